// /admin/users – who can sign in, their role (pinned by an admin, or from the identity provider's claims),
// and disabling someone (which signs them out everywhere)
import { UserAccessButton } from "@/components/admin/user-access-button";
import { UserRoleForm } from "@/components/admin/user-role-form";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { listUsers } from "@/lib/users/manage-users";
import { pageContext } from "../../page-context";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  const ctx = await pageContext();
  const users = await listUsers({ ctx, input: {} });
  return (
    <DataTable
      columns={["Name", "Email", "Role", "Role from", "Last sign-in", "Access"]}
      empty={users.length === 0 && "Nobody has signed in yet."}
    >
      {users.map((u) => (
        <tr key={u.id} data-testid="user-row" className={u.disabled_at ? "bg-zinc-50 dark:bg-zinc-950" : undefined}>
          <td className={cell}>{u.name}</td>
          <td className={mutedCell}>{u.email}</td>
          <td className={cell}>
            <UserRoleForm userId={u.id} role={u.role} pinned={u.role_pinned} />
          </td>
          <td className={mutedCell}>{u.role_pinned ? "pinned by an admin" : "identity provider claims"}</td>
          <td className={mutedCell}>
            {u.last_sign_in_at ? <RelativeTime iso={u.last_sign_in_at} now={ctx.now} /> : "never"}
          </td>
          <td className={cell}>
            {u.disabled_at && (
              <span className="mr-2 text-xs text-red-700 dark:text-red-400">
                disabled · <RelativeTime iso={u.disabled_at} now={ctx.now} />
              </span>
            )}
            {u.id !== ctx.actor.userId && (
              <UserAccessButton userId={u.id} name={u.name} disabled={u.disabled_at !== null} />
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
