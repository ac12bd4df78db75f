// /admin/users – who can sign in, their role (pinned by an admin, or from the identity provider's claims)
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
    <DataTable columns={["Name", "Email", "Role", "Role from", "Last sign-in"]} empty={users.length === 0 && "Nobody has signed in yet."}>
      {users.map((u) => (
        <tr key={u.id} data-testid="user-row">
          <td className={cell}>{u.name}</td>
          <td className={mutedCell}>{u.email}</td>
          <td className={cell}>
            <UserRoleForm userId={u.id} role={u.role} pinned={u.role_pinned} />
          </td>
          <td className={mutedCell}>{u.role_pinned ? "pinned by an admin" : "identity provider claims"}</td>
          <td className={mutedCell}>{u.last_sign_in_at ? <RelativeTime iso={u.last_sign_in_at} now={ctx.now} /> : "never"}</td>
        </tr>
      ))}
    </DataTable>
  );
}
