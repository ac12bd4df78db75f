import { forbidden } from "next/navigation";
import { NavLink } from "@/components/ui/nav-link";
import { can } from "@/lib/auth/permissions";
import { pageContext } from "../page-context";

const tabs = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/tokens", label: "API tokens" },
  { href: "/admin/integrations", label: "Integrations" },
  { href: "/admin/routing", label: "Routing" },
  { href: "/admin/audit", label: "Audit log" },
];

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const { actor } = await pageContext();
  if (!can(actor.role, "user.manage")) forbidden();
  return (
    <div>
      <h1 className="text-xl font-semibold">Admin</h1>
      <nav aria-label="Admin" className="mt-3 mb-6 flex flex-wrap gap-4 border-b border-zinc-200 dark:border-zinc-800">
        {tabs.map((t) => (
          <NavLink
            key={t.href}
            href={t.href}
            className="-mb-px border-b-2 border-transparent px-1 pb-2 text-sm hover:border-zinc-400"
            current="!border-zinc-900 font-medium dark:!border-zinc-100"
          >
            {t.label}
          </NavLink>
        ))}
      </nav>
      {children}
    </div>
  );
}
