// Creating an integration through its real route, for the tests of each alert-source door.
import * as integrationsRoute from "@/app/api/v1/integrations/route";
import type { TestDatabase } from "./database";
import { call } from "./runtime";

export async function newIntegration(
  adminToken: string,
  input: Record<string, unknown>,
): Promise<{ id: string; secret: string }> {
  const res = await call(integrationsRoute.POST, "POST", "/api/v1/integrations", { token: adminToken, body: input });
  if (res.status !== 201) throw new Error(`integration not created: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; secret: string };
}

/** Row counts of what an ingestion writes, to prove a refused body wrote nothing. */
export async function writtenCounts(t: TestDatabase) {
  const [row] = await t.sql`select
    (select count(*)::int from incidents) as incidents,
    (select count(*)::int from alerts) as alerts,
    (select count(*)::int from timeline_events) as timeline,
    (select count(*)::int from audit_log) as audit`;
  return row as { incidents: number; alerts: number; timeline: number; audit: number };
}
