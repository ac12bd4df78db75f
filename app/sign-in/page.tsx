// /sign-in – one button to the identity provider; with the dev provider, the accounts to use.
import type { Metadata } from "next";
import { signIn } from "@/auth";
import { Button } from "@/components/ui/button";
import { devAccounts } from "@/lib/auth/dev-accounts";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const errors: Record<string, string> = {
  NoRole: "Your account has no Vigil role. Ask a Vigil admin to give you one.",
  Disabled: "Your Vigil account is disabled. Ask a Vigil admin to enable it.",
  EmailNotVerified:
    "Your identity provider has not verified your email address, so Vigil cannot match you to the account that has it. Ask a Vigil admin.",
  AccessDenied: "The identity provider did not let you in.",
  Configuration: "Sign-in is not configured correctly. Check OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  const { config } = getRuntime();
  // Only local paths: an open redirect would let a link send people anywhere after signing in.
  const redirectTo = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";

  async function signInAction() {
    "use server";
    await signIn("oidc", { redirectTo });
  }

  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in to Vigil</h1>
      {error && (
        <p
          role="alert"
          className="mt-4 rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
        >
          {errors[error] ?? "Sign-in failed. Try again."}
        </p>
      )}
      <form action={signInAction} className="mt-6">
        <Button type="submit" intent="primary" className="w-full">
          Sign in with single sign-on
        </Button>
      </form>
      {config.auth.devIdentityProvider && (
        <section
          aria-labelledby="dev-accounts"
          className="mt-8 rounded border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
        >
          <h2 id="dev-accounts" className="font-semibold">
            Dev identity provider
          </h2>
          <p className="mt-1">
            Sign in as one of these accounts, with any password (any other login is a new person, whose role
            OIDC_DEFAULT_ROLE gives):
          </p>
          <ul className="mt-2 space-y-1">
            {devAccounts.map((a) => (
              <li key={a.login}>
                <code className="font-semibold">{a.login}</code> — {a.name}, {a.role}
              </li>
            ))}
          </ul>
          <p className="mt-2 text-xs">For local use only; set OIDC_ISSUER to use your identity provider.</p>
        </section>
      )}
    </main>
  );
}
