// What the door tests (app/**/__tests__) read back from the database to check a request's effect, and
// the few rows they set up directly. Kept here so route tests never import the database themselves.
import { and, desc, eq, sql } from "drizzle-orm";
import { createDatabaseClient } from "@/db/client";
import {
  ackLinks,
  analyticsAnswers,
  auditLog,
  incidents,
  notifications,
  remediationRuns,
  timelineEvents,
  users,
} from "@/db/schema";
import { loadConfig } from "@/lib/env";
import { createLogger } from "@/lib/observability/logger";
import { getRuntime, setRuntime } from "@/lib/runtime";
import type { TestDatabase } from "./database";

export const incidentRow = async (t: TestDatabase, id: string) =>
  (await t.db.select().from(incidents).where(eq(incidents.id, id)))[0];
export const incidentByTitle = async (t: TestDatabase, title: string) =>
  (await t.db.select().from(incidents).where(eq(incidents.title, title)))[0];

/** The incident's timeline, newest first; only events of `kind` when given. */
export const timelineOf = (t: TestDatabase, incidentId: string, kind?: string) =>
  t.db
    .select()
    .from(timelineEvents)
    .where(
      kind
        ? and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, kind))
        : eq(timelineEvents.incidentId, incidentId),
    )
    .orderBy(desc(timelineEvents.id));

export const auditRowsOf = (t: TestDatabase, resourceId: string, action: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.resourceId, resourceId), eq(auditLog.action, action)));

export const notificationsOf = (t: TestDatabase, incidentId: string) =>
  t.db.select().from(notifications).where(eq(notifications.incidentId, incidentId));
export const remediationRunsOf = (t: TestDatabase, incidentId: string) =>
  t.db.select().from(remediationRuns).where(eq(remediationRuns.incidentId, incidentId));

/** The acknowledge links issued for an incident, oldest first. */
export const ackLinksOf = (t: TestDatabase, incidentId: string) =>
  t.db.select().from(ackLinks).where(eq(ackLinks.incidentId, incidentId)).orderBy(ackLinks.createdAt);

export const userRow = async (t: TestDatabase, id: string) =>
  (await t.db.select().from(users).where(eq(users.id, id)))[0];
export const insertUser = async (t: TestDatabase, values: typeof users.$inferInsert) =>
  (await t.db.insert(users).values(values).returning())[0]!;

export const analyticsAnswerRows = (t: TestDatabase) =>
  t.db.select().from(analyticsAnswers).orderBy(analyticsAnswers.key);

/** Makes every stored analytics answer `ms` older, as if computed (and asked for) that long ago. */
export const ageAnalyticsAnswers = (t: TestDatabase, ms: number) =>
  t.db
    .update(analyticsAnswers)
    .set({
      computedAt: sql`${analyticsAnswers.computedAt} - make_interval(secs => ${ms / 1000})`,
      requestedAt: sql`${analyticsAnswers.requestedAt} - make_interval(secs => ${ms / 1000})`,
    })
    .where(sql`true`);

/** As if the incident had its own Slack channel already. */
export const setIncidentSlackChannel = (t: TestDatabase, incidentId: string, channelId: string) =>
  t.db.update(incidents).set({ slackChannelId: channelId }).where(eq(incidents.id, incidentId));

/**
 * Runs `body` with the process runtime pointed at a database that refuses connections (a closed port),
 * then puts the test's runtime back: for the doors' answers when PostgreSQL is down.
 */
export async function withDatabaseDown<T>(body: () => Promise<T>): Promise<T> {
  const healthy = getRuntime();
  const url = "postgres://nobody@localhost:1/vigil";
  const unreachable = createDatabaseClient(url, { max: 1 });
  setRuntime({ config: loadConfig({ DATABASE_URL: url }), database: unreachable, logger: createLogger("silent") });
  try {
    return await body();
  } finally {
    setRuntime(healthy);
    await unreachable.close();
  }
}
