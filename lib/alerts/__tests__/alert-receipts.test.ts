// The day's alert counters under concurrent deliveries: two deliveries of one service, in flight at once on
// two connections, must not queue on one counter row (each held its lock until it committed), and the
// deduplication figure must still count both.
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabaseClient, type DatabaseClient } from "@/db/client";
import { RECEIPT_SHARDS } from "@/lib/alerts/alert-receipts";
import { ingestAlertmanagerPayload } from "@/lib/alerts/ingest-alertmanager-payload";
import { getDeduplication } from "@/lib/analytics/get-deduplication";
import { ctxOf, responder, viewer } from "@/test/actors";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { ingestionSettings } from "@/test/notifications";

const t = useTestDatabase();
const clients: DatabaseClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

/** A client of one connection that gives up on a row lock after 2 s (a connection parameter). */
function oneConnection(): DatabaseClient {
  const url = new URL(t.url);
  url.searchParams.set("lock_timeout", "2000");
  const client = createDatabaseClient(url.toString(), { max: 1, applicationName: "vigil-test-receipts" });
  clients.push(client);
  return client;
}

const backendOf = async (client: DatabaseClient) =>
  client.db.transaction(async (tx) => {
    const [row] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
    return row!.pid;
  });

/** Two single-connection clients whose backends add to different shards. */
async function twoConnectionsOnDifferentShards(): Promise<[DatabaseClient, DatabaseClient]> {
  const first = oneConnection();
  const firstShard = (await backendOf(first)) % RECEIPT_SHARDS;
  for (let attempt = 0; attempt < 20; attempt++) {
    const second = oneConnection();
    if ((await backendOf(second)) % RECEIPT_SHARDS !== firstShard) return [first, second];
  }
  throw new Error("no second backend on another shard in 20 connections");
}

const delivery = (alertname: string, service = "ledger") =>
  webhook(`{}:{alertname="${alertname}"}`, [
    alert({ labels: { alertname, service, team: "finance", severity: "warning" } }),
  ]);

describe("the day's alert counters", () => {
  it("let two deliveries of one service run at once, and the figure counts both", async () => {
    // One delivery before, of another service: graphile-worker makes its task rows with the first job of
    // each kind, and a second delivery would wait for those rows of an uncommitted first one.
    await ingestAlertmanagerPayload({
      ctx: ctxOf(t.db, responder),
      input: delivery("Warmup", "warmup"),
      settings: ingestionSettings,
    });
    const [a, b] = await twoConnectionsOnDifferentShards();
    await a.db.transaction(async (tx) => {
      // The first delivery has counted, and its transaction stays open…
      await ingestAlertmanagerPayload({
        ctx: ctxOf(tx, responder),
        input: delivery("LedgerLagA"),
        settings: ingestionSettings,
      });
      // … while a second delivery of the same service counts and commits on another connection. On one
      // shared counter row it would wait for the first to commit, and give up after 2 s.
      await ingestAlertmanagerPayload({
        ctx: ctxOf(b.db, responder),
        input: delivery("LedgerLagB"),
        settings: ingestionSettings,
      });
    });

    const shards = await t.sql<{ rows: number; received: number }[]>`
      select count(*)::int as rows, sum(received)::int as received from alert_receipts where service = 'ledger'`;
    expect(shards).toEqual([{ rows: 2, received: 2 }]);
    const figure = await getDeduplication({ ctx: ctxOf(t.db, viewer), input: { range: "1d" } });
    expect(figure.rows.find((r) => r.service === "ledger")).toMatchObject({ team: "finance", alerts_received: 2 });
  });
});
