// The integrations' event logs on real PostgreSQL: the doors' entries are queued and written together,
// each log keeps its newest 50 and everything of the last day and a half, and a write that fails is
// logged and dropped without holding up the entries queued after it.
import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/context";
import { flushIntegrationEvents, queueIntegrationEvent } from "@/lib/intake/integration-event-log";
import { createIntegration } from "@/lib/intake/integrations";
import { createLogger } from "@/lib/observability/logger";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();
const log = createLogger("silent");
const ctx = () => ({ db: t.db, actor: systemActor("test"), now: new Date() });
const event = (n: number) => ({
  action: "trigger",
  status: 202,
  outcome: `event ${n}`,
  payload: { n, token: "s3cret" },
});
const countOf = async (id: string) =>
  (await t.sql`select count(*)::int as n from integration_events where integration_id = ${id}`)[0]!.n as number;

describe("the integration event log", () => {
  it("writes what was queued for several integrations in one go, secrets redacted", async () => {
    const a = await createIntegration({ ctx: ctx(), input: { kind: "webhook", name: "log a" } });
    const b = await createIntegration({ ctx: ctx(), input: { kind: "webhook", name: "log b" } });
    for (let n = 0; n < 3; n++) queueIntegrationEvent(t.db, a, new Date(), event(n), log);
    queueIntegrationEvent(t.db, b, new Date(), event(9), log);
    expect(await countOf(a.id)).toBe(0);
    await flushIntegrationEvents(t.db);
    expect([await countOf(a.id), await countOf(b.id)]).toEqual([3, 1]);
    const [row] = await t.sql`select payload from integration_events where integration_id = ${b.id}`;
    expect(row!.payload).toEqual({ n: 9, token: "[redacted]" });
  });

  it("keeps each log's newest 50 and its last day and a half", async () => {
    const a = await createIntegration({ ctx: ctx(), input: { kind: "webhook", name: "pruned" } });
    const now = Date.now();
    const old = (hours: number) => new Date(now - hours * 3600_000);
    const counts = async () =>
      (
        await t.sql`select count(*) filter (where received_at >= ${old(36).toISOString()}::timestamptz)::int as recent,
                           count(*) filter (where received_at < ${old(36).toISOString()}::timestamptz)::int as old
                      from integration_events where integration_id = ${a.id}`
      )[0];
    // 60 entries two days old; the next write prunes the old ones beyond the newest 50.
    for (let n = 0; n < 60; n++) queueIntegrationEvent(t.db, a, old(48 + n / 60), event(n), log);
    await flushIntegrationEvents(t.db);
    for (let n = 0; n < 5; n++) queueIntegrationEvent(t.db, a, old(1), event(100 + n), log);
    await flushIntegrationEvents(t.db);
    expect(await counts()).toEqual({ recent: 5, old: 50 });
    // Recent entries are all kept, past 50; old ones only while among the newest 50.
    for (let n = 0; n < 60; n++) queueIntegrationEvent(t.db, a, old(2), event(200 + n), log);
    await flushIntegrationEvents(t.db);
    expect(await counts()).toEqual({ recent: 65, old: 45 });
  });

  it("drops a batch it cannot write and goes on with the next", async () => {
    const a = await createIntegration({ ctx: ctx(), input: { kind: "webhook", name: "after a failure" } });
    // No such integration: the foreign key refuses the whole batch.
    queueIntegrationEvent(t.db, { id: "00000000-0000-4000-8000-000000000000" }, new Date(), event(1), log);
    await flushIntegrationEvents(t.db);
    queueIntegrationEvent(t.db, a, new Date(), event(2), log);
    await flushIntegrationEvents(t.db);
    expect(await countOf(a.id)).toBe(1);
  });
});
