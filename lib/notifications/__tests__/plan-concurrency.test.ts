// Planning with several workers: two events of one incident planned at the same moment (its opening and
// its severity raised to P1) must not both send the first page and the first card. Found by
// e2e/replicas.spec.ts with two workers; here the overlap is made certain by holding the first plan's
// transaction open while the second one starts.
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { notifications, timelineEvents } from "@/db/schema";
import { loadConfig } from "@/lib/env";
import { createIncident } from "@/lib/incidents/create-incident";
import { updateIncident } from "@/lib/incidents/update-incident";
import { notificationSettings } from "@/lib/notifications/settings";
import { planNotifications } from "@/lib/notifications/plan-notifications";
import { createLogger } from "@/lib/observability/logger";
import { setRuntime } from "@/lib/runtime";
import { ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();

beforeAll(() => {
  const config = loadConfig({
    DATABASE_URL: t.url,
    LOG_LEVEL: "silent",
    VIGIL_CONFIG: "/nonexistent/vigil.config.yaml",
    PAGERDUTY_ROUTING_KEY: "0123456789abcdef0123456789abcdef",
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_CHANNEL_CRITICAL: "#incidents-critical",
  });
  setRuntime({ config, database: t, logger: createLogger("silent") });
});

it("plans an incident's first page and card once when two of its events are planned at the same time", async () => {
  const { incident } = await createIncident({ ctx: ctxOf(t.db), input: { title: "Checkout errors", severity: "P2" } });
  await updateIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref, severity: "P1" } });
  const events = await t.db
    .select()
    .from(timelineEvents)
    .where(eq(timelineEvents.incidentId, incident.id))
    .orderBy(timelineEvents.id);
  const [opened, raised] = events;
  expect([opened?.kind, raised?.kind]).toEqual(["created", "updated"]);

  let releaseFirst = () => {};
  const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
  let firstPlanned = () => {};
  const firstDone = new Promise<void>((resolve) => (firstPlanned = resolve));
  const first = t.db.transaction(async (tx) => {
    await planNotifications(tx, opened!.id, notificationSettings(), new Date());
    firstPlanned();
    await firstHeld;
  });
  await firstDone;
  const second = t.db.transaction((tx) => planNotifications(tx, raised!.id, notificationSettings(), new Date()));
  // The second plan now waits for the first one's commit, or (the bug) plans the same messages again.
  await new Promise((r) => setTimeout(r, 300));
  releaseFirst();
  await Promise.all([first, second]);

  const opens = await t.db
    .select({ channel: notifications.channel, target: notifications.target })
    .from(notifications)
    .where(and(eq(notifications.incidentId, incident.id), eq(notifications.purpose, "open")));
  expect(opens.map((o) => `${o.channel}:${o.target}`).sort()).toEqual([
    "pagerduty:default",
    "slack:#incidents-critical",
  ]);
});
