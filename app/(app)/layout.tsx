import { cookies } from "next/headers";
import Link from "next/link";
import { KeyboardHelp } from "@/components/keyboard-help";
import { ThemeToggle } from "@/components/theme-toggle";
import { Button } from "@/components/ui/button";
import { NavLink } from "@/components/ui/nav-link";
import { signOut } from "@/auth";
import { can } from "@/lib/auth/permissions";
import { getRuntime } from "@/lib/runtime";
import { pageContext } from "./page-context";

async function signOutAction() {
  "use server";
  await signOut({ redirectTo: "/sign-in" });
}

// Every signed-in page reads the session and live data: nothing here is prerendered.
export const dynamic = "force-dynamic";

const navLink = "text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100";
const navCurrent = "font-medium text-zinc-900 underline decoration-2 underline-offset-8 dark:text-zinc-100";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { actor } = await pageContext();
  const chosen = (await cookies()).get("theme")?.value;
  const theme = chosen === "dark" || chosen === "light" ? chosen : "system";
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <nav className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3" aria-label="Main">
          <Link href="/" className="font-semibold tracking-tight">
            Vigil
          </Link>
          <NavLink href="/" className={navLink} current={navCurrent}>
            Open incidents
          </NavLink>
          <NavLink href="/analytics" className={navLink} current={navCurrent}>
            Analytics
          </NavLink>
          <NavLink href="/incidents" className={navLink} current={navCurrent}>
            History
          </NavLink>
          <NavLink href="/runbooks" className={navLink} current={navCurrent}>
            Runbooks
          </NavLink>
          <NavLink href="/postmortems" className={navLink} current={navCurrent}>
            Postmortems
          </NavLink>
          <NavLink href="/oncall" className={navLink} current={navCurrent}>
            On call
          </NavLink>
          <NavLink href="/maintenance" className={navLink} current={navCurrent}>
            Maintenance
          </NavLink>
          {getRuntime().config.devInbox && (
            <NavLink href="/dev/inbox" className={navLink} current={navCurrent}>
              Dev inbox
            </NavLink>
          )}
          {can(actor.role, "user.manage") && (
            <NavLink href="/admin" className={navLink} current={navCurrent}>
              Admin
            </NavLink>
          )}
          <a href="/api/v1/openapi.json" className={`ml-auto ${navLink}`}>
            API
          </a>
          <span className="text-sm" data-testid="signed-in-as">
            {actor.name}{" "}
            <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
              {actor.role}
            </span>
          </span>
          <ThemeToggle initial={theme} />
          <form action={signOutAction}>
            <Button type="submit" intent="quiet">
              Sign out
            </Button>
          </form>
        </nav>
      </header>
      <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-6">{children}</main>
      <KeyboardHelp />
    </div>
  );
}
