// /admin/integrations – alert sources: create (secret shown once), last event, events and incidents today
import Link from "next/link";
import { CreateIntegrationForm } from "@/components/admin/create-integration-form";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { integrationEndpoint } from "@/lib/intake/endpoints";
import { listIntegrations } from "@/lib/intake/integrations";
import { pageContext } from "../../page-context";

export const metadata = { title: "Integrations" };

export default async function IntegrationsPage() {
  const ctx = await pageContext();
  const integrations = await listIntegrations({ ctx, input: {} });
  return (
    <div className="space-y-6">
      <CreateIntegrationForm />
      <DataTable
        columns={["Name", "Kind", "Sends to", "Secret", "Last event", "Events today", "Incidents opened today"]}
        empty={integrations.length === 0 && "No integrations yet."}
      >
        {integrations.map((i) => (
          <tr key={i.id} data-testid="integration-row" className={i.secret_revoked ? "opacity-50" : undefined}>
            <td className={cell}>
              <Link href={`/admin/integrations/${i.id}`} className="underline">
                {i.name}
              </Link>
            </td>
            <td className={`${cell} font-mono text-xs`}>{i.kind}</td>
            <td className={`${mutedCell} font-mono text-xs`}>{integrationEndpoint(i.kind)}</td>
            <td className={`${mutedCell} font-mono text-xs`}>{i.secret_revoked ? "revoked" : i.secret_prefix}</td>
            <td className={mutedCell}>
              {i.last_event_at ? <RelativeTime iso={i.last_event_at} now={ctx.now} /> : "never"}
            </td>
            <td className={cell}>{i.events_today}</td>
            <td className={cell}>{i.incidents_opened_today}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
