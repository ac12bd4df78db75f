import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { alerts, type AlertRow } from "@/db/schema";
import type { VerbArgs } from "../context";
import { readIncidentChildren } from "../incidents/read-incident-children";

export const IncidentAlert = z.object({
  fingerprint: z.string(),
  status: z.enum(["firing", "resolved"]),
  name: z.string().describe("alertname"),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  summary: z.string().nullable(),
  description: z.string().nullable(),
  runbook_url: z.string().nullable(),
  generator_url: z.string().nullable().describe("The Prometheus expression that fired, as a link"),
  links: z
    .array(z.object({ text: z.string(), href: z.string() }))
    .describe("Dashboards, panels, silences, images and the sender's own links (Grafana, PagerDuty, webhooks)"),
  values: z.string().nullable().describe("What the alert rule measured (Grafana's values)"),
  starts_at: z.iso.datetime(),
  ends_at: z.iso.datetime().nullable(),
  first_received_at: z.iso.datetime(),
  last_received_at: z.iso.datetime(),
  receive_count: z.number().int(),
});
export type IncidentAlert = z.infer<typeof IncidentAlert>;

const toDto = (row: AlertRow): IncidentAlert => ({
  fingerprint: row.fingerprint,
  status: row.status,
  name: row.labels.alertname ?? "alert",
  labels: row.labels,
  annotations: row.annotations,
  summary: row.annotations.summary ?? null,
  description: row.annotations.description ?? null,
  runbook_url: row.annotations.runbook_url ?? null,
  generator_url: row.generatorUrl,
  links: linksOf(row.annotations),
  values: row.annotations.values ?? row.annotations.value_string ?? null,
  starts_at: row.startsAt.toISOString(),
  ends_at: row.endsAt?.toISOString() ?? null,
  first_received_at: row.firstReceivedAt.toISOString(),
  last_received_at: row.lastReceivedAt.toISOString(),
  receive_count: row.receiveCount,
});

const namedLinks: Record<string, string> = {
  dashboard_url: "Dashboard",
  panel_url: "Panel",
  image_url: "Image",
  silence_url: "Silence",
};

/** Links a sender put in the annotations: Grafana's URLs by name, and `link:<text>` from the other formats. */
function linksOf(annotations: Record<string, string>): { text: string; href: string }[] {
  return Object.entries(annotations).flatMap(([key, href]) => {
    const text = namedLinks[key] ?? (key.startsWith("link:") ? key.slice(5) : null);
    return text && /^https?:\/\//i.test(href) ? [{ text, href }] : [];
  });
}

/** The incident's alerts: firing first, then by when they started. */
export function listIncidentAlerts(args: VerbArgs<{ ref: string }>): Promise<IncidentAlert[]> {
  const { db } = args.ctx;
  return readIncidentChildren(args, async (incidentId) =>
    (
      await db
        .select()
        .from(alerts)
        .where(eq(alerts.incidentId, incidentId))
        .orderBy(asc(alerts.status), asc(alerts.startsAt))
    ).map(toDto),
  );
}
