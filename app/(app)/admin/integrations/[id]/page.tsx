// /admin/integrations/{id} – one integration and the last 50 payloads it received, with what Vigil did
import { notFound } from "next/navigation";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { UtcTime } from "@/components/ui/utc-time";
import { isAppError } from "@/lib/errors";
import { integrationEndpoint } from "@/lib/intake/endpoints";
import { getIntegration } from "@/lib/intake/integrations";
import { pageContext } from "../../../page-context";

export const metadata = { title: "Integration" };

export default async function IntegrationPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext();
  const { id } = await params;
  const integration = await getIntegration({ ctx, input: { id } }).catch((error: unknown) => {
    if (isAppError(error) && (error.code === "not_found" || error.code === "invalid")) notFound();
    throw error;
  });
  const facts: [string, string | number | null][] = [
    ["Kind", integration.kind],
    ["Sends to", integrationEndpoint(integration.kind)],
    ["Default service", integration.default_service],
    ["Default team", integration.default_team],
    ["Default severity", integration.default_severity],
    ["Escalation policy", integration.escalation_policy],
    ["One incident per", integration.group_by],
    ["Ping every (min)", integration.interval_minutes],
    ["Events today", integration.events_today],
    ["Incidents opened today", integration.incidents_opened_today],
  ];
  return (
    <div className="space-y-6">
      <h2 className="text-lg font-semibold">{integration.name}</h2>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        {facts
          .filter(([, v]) => v !== null)
          .map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-zinc-500">{k}</dt>
              <dd className="font-mono text-xs">{v}</dd>
            </div>
          ))}
      </dl>
      <h3 className="font-medium">Last {integration.recent_events.length} payloads received</h3>
      <DataTable
        columns={["Received", "Action", "Answer", "What Vigil did", "Payload (secrets redacted)"]}
        empty={integration.recent_events.length === 0 && "Nothing received yet."}
      >
        {integration.recent_events.map((e, n) => (
          <tr key={`${e.received_at}-${n}`} data-testid="integration-event">
            <td className={mutedCell}>
              <UtcTime iso={e.received_at} />
            </td>
            <td className={`${cell} font-mono text-xs`}>{e.action}</td>
            <td className={cell}>{e.status}</td>
            <td className={cell}>{e.outcome}</td>
            <td className={cell}>
              <details>
                <summary className="cursor-pointer text-xs text-zinc-500">show</summary>
                <pre className="mt-1 max-h-96 max-w-xl overflow-auto text-xs">{JSON.stringify(e.payload, null, 2)}</pre>
              </details>
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
