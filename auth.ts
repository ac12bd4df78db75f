// Auth.js v5: sign-in through one OpenID Connect provider (OIDC_ISSUER; `npm start` runs a dev one).
// Sessions are encrypted JWT cookies with a bounded lifetime. What a session may do is decided per
// request from the database (lib/auth/session.ts), not from the cookie.
import NextAuth, { type DefaultSession } from "next-auth";
import type { Role } from "@/lib/auth/roles";
import { clientIp } from "@/lib/http/request";
import { findUserBySubject } from "@/lib/users/find-user";
import { recordSignIn, recordSignOut, type SignInRefusal } from "@/lib/users/record-sign-in";
import { getRuntime } from "@/lib/runtime";

declare module "next-auth" {
  interface Session {
    user: { id: string; role: Role } & DefaultSession["user"];
  }
}
declare module "@auth/core/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
  }
}

/** The sign-in page's `error` codes for each refusal (app/sign-in/page.tsx words them). */
const signInErrorCodes: Record<SignInRefusal, string> = { no_role: "NoRole", email_unverified: "EmailNotVerified" };

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export const { handlers, auth, signIn, signOut } = NextAuth((request) => {
  const { config, database } = getRuntime();
  const ip = request ? clientIp(request) : null;
  const ctx = (now = new Date()) => ({ db: database.db, actor: { type: "system" as const, name: "sign-in", role: "viewer" as const, ip }, now });
  const { issuer, clientId, clientSecret } = config.auth;
  return {
    secret: config.auth.secret,
    trustHost: true,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: issuer
      ? [
          {
            id: "oidc",
            name: "Single sign-on",
            type: "oidc",
            issuer,
            clientId,
            clientSecret,
            // The dev identity provider is for trying the roles: it asks who you are at every sign-in, so
            // that after signing out you can come back as someone else (its own session would not ask).
            authorization: { params: { scope: "openid email profile groups", ...(config.auth.devIdentityProvider ? { prompt: "login" } : {}) } },
            checks: ["pkce", "state"],
          },
        ]
      : [],
    callbacks: {
      async signIn({ profile }) {
        if (!profile?.sub) return "/sign-in?error=AccessDenied";
        const result = await recordSignIn(
          ctx(),
          {
            subject: profile.sub,
            email: String(profile.email ?? ""),
            // Some providers (AWS Cognito) send the claim as a string.
            emailVerified: profile.email_verified === true || String(profile.email_verified) === "true",
            name: String(profile.name ?? profile.preferred_username ?? ""),
            claims: profile,
          },
          config.auth,
        );
        return "refused" in result ? `/sign-in?error=${signInErrorCodes[result.reason]}` : true;
      },
      async jwt({ token, trigger, profile }) {
        if (trigger === "signIn" && profile?.sub) {
          const user = await findUserBySubject(database.db, profile.sub);
          if (user) Object.assign(token, { uid: user.id, role: user.role, name: user.name, email: user.email });
        }
        return token;
      },
      session({ session, token }) {
        if (token.uid) session.user.id = token.uid;
        if (token.role) session.user.role = token.role;
        return session;
      },
    },
    events: {
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (!token?.uid) return;
        await recordSignOut({ ...ctx(), actor: { type: "user", userId: token.uid, name: String(token.name ?? ""), email: String(token.email ?? ""), role: token.role ?? "viewer", ip } });
      },
    },
  };
});
