// /admin/routing – the notification rules in force, the channels' configuration, and a dry run
import { RoutingDryRun } from "@/components/admin/routing-dry-run";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { effectiveRouting } from "@/lib/notifications/explain-routing";
import { notificationSettings } from "@/lib/notifications/settings";
import { pageContext } from "../../page-context";

export const metadata = { title: "Routing" };

const describeChannel = (spec: unknown) =>
  typeof spec === "string"
    ? spec
    : Object.entries(spec as Record<string, string>)
        .map(([k, v]) => `${k}: ${v}`)
        .join("");

export default async function RoutingPage() {
  const ctx = await pageContext();
  const routing = effectiveRouting({ ctx, input: {}, settings: notificationSettings() });
  return (
    <div className="space-y-6">
      <p className="text-sm text-muted">
        Source: <code>{routing.source}</code>. Rules apply top to bottom; the first match decides unless it says
        continue.
      </p>
      <DataTable columns={["Rule", "Matches", "Notifies", "Falls back to"]}>
        {routing.routes.map((r) => (
          <tr key={r.name} data-testid="routing-rule">
            <td className={cell}>
              {r.name}
              {r.continue ? <span className="ml-2 text-xs text-muted">(continue)</span> : null}
            </td>
            <td className={`${mutedCell} font-mono text-xs`}>
              {Object.keys(r.match).length ? JSON.stringify(r.match) : "everything"}
            </td>
            <td className={mutedCell}>{r.notify.map(describeChannel).join(", ") || "—"}</td>
            <td className={mutedCell}>{r.fallback.map(describeChannel).join(", ") || "—"}</td>
          </tr>
        ))}
      </DataTable>
      <DataTable columns={["Channel", "Ready", "Configuration"]}>
        {routing.channels.map((c) => (
          <tr key={c.channel}>
            <td className={cell}>{c.channel}</td>
            <td className={cell}>{c.ready ? "yes" : "no"}</td>
            <td className={mutedCell}>{c.detail}</td>
          </tr>
        ))}
      </DataTable>
      <RoutingDryRun />
    </div>
  );
}
