// /admin/tokens – API tokens: create (shown once) with a scope and an expiry, revoke, last used
import { CreateTokenForm } from "@/components/admin/create-token-form";
import { RevokeTokenButton } from "@/components/admin/revoke-token-button";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { UtcTime } from "@/components/ui/utc-time";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { pageContext } from "../../page-context";

export const metadata = { title: "API tokens" };

export default async function TokensPage() {
  const ctx = await pageContext();
  const tokens = await listApiTokens({ ctx, input: {} });
  return (
    <div className="space-y-6">
      <CreateTokenForm />
      <DataTable
        columns={["Name", "Token", "Role", "Scope", "Created", "Last used", "Expires", ""]}
        empty={tokens.length === 0 && "No API tokens yet."}
      >
        {tokens.map((t) => {
          const expired = t.expires_at !== null && new Date(t.expires_at) <= ctx.now;
          return (
            <tr key={t.id} data-testid="token-row" className={t.revoked_at || expired ? "opacity-50" : undefined}>
              <td className={cell}>{t.name}</td>
              <td className={`${mutedCell} font-mono text-xs`}>{t.display_prefix}</td>
              <td className={cell}>{t.role}</td>
              <td className={`${cell} font-mono text-xs`}>{t.scope}</td>
              <td className={mutedCell}>
                <RelativeTime iso={t.created_at} now={ctx.now} />
              </td>
              <td className={mutedCell}>
                {t.last_used_at ? <RelativeTime iso={t.last_used_at} now={ctx.now} /> : "never"}
              </td>
              <td className={expired ? `${cell} text-red-700 dark:text-red-400` : mutedCell}>
                {t.expires_at ? (
                  <>
                    {expired && "expired "}
                    <UtcTime iso={t.expires_at} />
                  </>
                ) : (
                  "never"
                )}
              </td>
              <td className={`${cell} text-right`}>
                {t.revoked_at ? "revoked" : <RevokeTokenButton tokenId={t.id} name={t.name} />}
              </td>
            </tr>
          );
        })}
      </DataTable>
    </div>
  );
}
