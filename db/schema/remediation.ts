// Remediation runs: one row per requested runbook action, from the policy's decision through approval
// to the executor's result. A run executes at most once: the worker claims the row (running, with a
// lease) before it acts, and a retried job finds it claimed or finished.
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { incidents } from "./incidents";
import { runbooks } from "./runbooks";

export const remediationStatusEnum = pgEnum("remediation_status", [
  "pending_approval",
  "approved",
  "running",
  "succeeded",
  "failed",
  "rejected",
  "rate_limited",
  "denied",
]);

export const remediationRuns = pgTable(
  "remediation_runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    incidentId: uuid().references(() => incidents.id, { onDelete: "set null" }),
    runbookId: uuid().references(() => runbooks.id, { onDelete: "set null" }),
    runbookVersion: integer(),
    /** The action's id within its runbook (front matter). */
    actionId: text().notNull(),
    /** k8s.rollout_restart, k8s.scale, k8s.delete_pod, http.post */
    actionType: text().notNull(),
    /** What it acts on, for people: "deployment shop/checkout". */
    target: text().notNull(),
    /** Action type + target: the rate limit counts runs per key per hour. */
    rateKey: text().notNull(),
    /** The resolved parameters the executor uses (namespace, deployment, replicas, url…). */
    params: jsonb().$type<Record<string, unknown>>().notNull(),
    status: remediationStatusEnum().notNull(),
    /** Why the policy decided as it did, or why it failed. */
    reason: text(),
    dryRun: boolean().notNull().default(false),
    automatic: boolean().notNull().default(false),
    requestedByType: text().notNull(),
    requestedById: text(),
    requestedByName: text().notNull(),
    requestedAt: timestamp({ withTimezone: true }).notNull(),
    decidedByType: text(),
    decidedById: text(),
    decidedByName: text(),
    decidedAt: timestamp({ withTimezone: true }),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    leaseUntil: timestamp({ withTimezone: true }),
    attempts: integer().notNull().default(0),
    output: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index("remediation_runs_rate_idx").on(t.rateKey, t.requestedAt),
    index("remediation_runs_incident_idx").on(t.incidentId, t.requestedAt),
    index("remediation_runs_status_idx").on(t.status, t.requestedAt),
  ],
);

export type RemediationRunRow = typeof remediationRuns.$inferSelect;
