// Alerts -> incidents: the one ingestion core behind every alert source (Alertmanager, Grafana, the
// PagerDuty and Opsgenie APIs, webhooks, heartbeats). One delivery is one transaction, serialised per alert group by an
// advisory lock, so concurrent or retried deliveries of a group see each other's work.
//
// The rules, in the order they apply to each alert in the delivery:
// - An alert instance is (fingerprint, startsAt). It belongs to the incident where it was first recorded,
//   and later deliveries of it (retries, repeat_interval re-sends) only count a receipt there — unless its
//   status changed: firing -> resolved is recorded as the alert's end.
// - A firing instance not seen before joins the group's open incident. With no open incident it reopens
//   the group's latest incident if that one resolved automatically within REOPEN_WINDOW; otherwise it
//   opens a new incident.
// - A person may resolve an incident while its alerts still fire. Re-sends of those same instances stay
//   with the resolved incident and change nothing; only an instance that starts firing anew (a new
//   fingerprint, or a new startsAt) opens a new incident.
// - A resolved alert never seen firing is ignored (counted in the response): there is nothing to end.
// - When the last firing alert of an open incident resolves, the incident resolves automatically.
// - Severity follows the most severe firing alert upwards and never lowers by itself.
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { builtOnce } from "@/db/built-once";
import { alerts, incidents, type AlertRow, type IncidentRow, type MaintenanceWindowRow } from "@/db/schema";
import { auditInsert, type AuditEntry } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { inTransaction, type Ctx, type VerbArgs } from "../context";
import { toIncidentDto } from "../incidents/incident-dto";
import {
  appendTimelineEvent,
  appendTimelineEvents,
  insertIncident,
  type TimelineEntry,
} from "../incidents/incident-store";
import { moveIncident } from "../incidents/lifecycle";
import { recordIncidentChange } from "../incidents/record-incident-change";
import { formatIncidentRef } from "../incidents/ref";
import { PLAN_JOB } from "../notifications/outbound-events";
import { mutingWindows, recordMuted } from "../maintenance/muting";
import { planOpeningAlongside } from "../notifications/plan-notifications";
import type { NotificationSettings } from "../notifications/settings";
import {
  recordAlertsReceived,
  recordIncidentTransitions,
  type IncidentTransition,
} from "../observability/incident-metrics";
import type { Severity } from "../incidents/schemas";
import { alertReceiptsUpsert } from "./alert-receipts";
import { firingAlertsUpsert, knownAlertsUpdate, type KnownAlertReceipt } from "./alert-rows";
import { alertSourceNames, readAlertmanagerPayload, type AlertBatch, type IncomingAlert } from "./alertmanager-payload";
import { describeAlertLabels, listAlertNames } from "./describe-alert";
import { incidentFromAlerts, runbookOf } from "./incident-from-alerts";
import { moreSevere, severityOfAlert, type SeverityMap } from "./severity";
import { advisoryLocks } from "@/db/advisory-locks";
import { rowCountsOf, withStatements } from "@/db/statements-in-one-round-trip";

export interface IngestionSettings {
  reopenWindowMs: number;
  /** With them, a new incident's first messages are planned in the ingestion transaction (else by a job). */
  notifications?: NotificationSettings;
  serviceLabel: string;
  teamLabel: string;
  severityMap: SeverityMap;
}

export interface IngestionSummary {
  alerts: number;
  ignored: number;
  incidents: { created: string[]; reopened: string[]; updated: string[]; resolved: string[] };
}

/** What one delivery did to one incident, gathered before the timeline and audit are written. */
interface IncidentWork {
  row: IncidentRow;
  created: boolean;
  reopened: boolean;
  fired: IncomingAlert[];
  resolved: IncomingAlert[];
  /** A new incident's maintenance windows (read with its insert). */
  muting?: MaintenanceWindowRow[];
}

export async function ingestAlertmanagerPayload({
  ctx,
  input,
  settings,
}: VerbArgs<unknown> & { settings: IngestionSettings }): Promise<IngestionSummary> {
  authorize(ctx.actor, "alert.ingest");
  return ingestAlertBatch(ctx, readAlertmanagerPayload(input, ctx.now), settings);
}

/**
 * The one ingestion core every alert source feeds: each door reads its vendor's body into an AlertBatch
 * and hands it here. `run` may do more in the same transaction (an integration's acknowledgement).
 */
export async function ingestAlertBatch(
  ctx: Ctx,
  batch: AlertBatch,
  settings: IngestionSettings,
): Promise<IngestionSummary> {
  authorize(ctx.actor, "alert.ingest");
  let transitions: IncidentTransition[] = [];
  const summary = await inTransaction(ctx, async (txCtx) => {
    const ingestion = new GroupIngestion(txCtx, batch, settings);
    const result = await ingestion.run();
    transitions = ingestion.transitions;
    return result;
  });
  recordIncidentTransitions(transitions); // committed: count what it created and resolved
  recordAlertsReceived(batch.source, batch.alerts.length); // every copy any source delivered: the dedup figure
  return summary;
}

/** The group's open incident if it has one, else its latest (which a new alert may reopen): one row. */
const currentIncidentOfGroup = builtOnce((db) =>
  db
    .select()
    .from(incidents)
    .where(eq(incidents.groupKey, sql.placeholder("groupKey")))
    .orderBy(sql`${incidents.status} <> 'resolved' desc`, desc(incidents.createdAt))
    .limit(1)
    .for("update")
    .prepare("current_incident_of_group"),
);

/** What a delivery needs of an alert it already holds: which instance it is, where, and whether it ended. */
type KnownAlert = Pick<AlertRow, "id" | "incidentId" | "fingerprint" | "status" | "startsAt">;

/**
 * The alerts of the group's incidents with these fingerprints (any instance, any incident of the group).
 * Only the columns a delivery reads: a re-send of 20 alerts would otherwise carry and parse 40 JSON
 * documents and 60 timestamps it never looks at.
 */
const knownAlertsOfGroup = builtOnce((db) =>
  db
    .select({
      id: alerts.id,
      incidentId: alerts.incidentId,
      fingerprint: alerts.fingerprint,
      status: alerts.status,
      startsAt: alerts.startsAt,
    })
    .from(alerts)
    .innerJoin(incidents, eq(incidents.id, alerts.incidentId))
    .where(
      and(
        eq(incidents.groupKey, sql.placeholder("groupKey")),
        sql`${alerts.fingerprint} = any(${sql.placeholder("fingerprints")}::text[])`,
      ),
    )
    .prepare("known_alerts_of_group"),
);

class GroupIngestion {
  private readonly work = new Map<string, IncidentWork>();
  /** The held alert rows this delivery counts (and may end), by id: written in one statement. */
  private readonly receipts = new Map<string, KnownAlertReceipt & { fingerprint: string }>();
  private ignored = 0;
  /** The group's latest incident, read (and locked) at the start; resolved when there is no open one. */
  private latest: IncidentRow | undefined;
  /** Alerts this delivery ends, with their incidents (in the order they came). */
  private readonly resolvedAlerts: { incidentId: string; alert: IncomingAlert }[] = [];
  private readonly resolvedIn = new Set<string>();
  /** The alert counters' statement until a statement carries it. */
  private counters: SQL | undefined;
  /** The group's open incident, locked by that first read. */
  private open: IncidentRow | undefined;
  /** Incidents this delivery opened or moved, for the metrics recorded once it commits. */
  readonly transitions: IncidentTransition[] = [];

  constructor(
    /** Its `db` is the delivery's transaction. */
    private readonly ctx: Ctx,
    private readonly batch: AlertBatch,
    private readonly settings: IngestionSettings,
  ) {}

  async run(): Promise<IngestionSummary> {
    const { batch } = this;
    const tx = this.ctx.db;
    // The lock, then both reads, in one round trip. A statement's snapshot is taken when it starts, so the
    // reads must start after the lock is granted to see what the group's previous delivery committed: they
    // do, because postgres.js sends a transaction's statements in the order they are started and
    // PostgreSQL runs them in that order. Each is started here by `execute()`, in this order (awaiting
    // drizzle's lazy `tx.execute` would start the lock a tick later, after the reads);
    // db/__tests__/library-assumptions.test.ts checks that order holds.
    const locked = tx
      .execute(sql`select pg_advisory_xact_lock(hashtextextended(${batch.groupKey}, ${advisoryLocks.alertGroup}))`)
      .execute();
    const fingerprints = batch.alerts.map((a) => a.fingerprint);
    const [, [current], known] = await Promise.all([
      locked,
      currentIncidentOfGroup(tx).execute({ groupKey: batch.groupKey }),
      fingerprints.length
        ? knownAlertsOfGroup(tx).execute({ groupKey: batch.groupKey, fingerprints })
        : ([] as KnownAlert[]),
    ]);
    const open = current?.status !== "resolved" ? current : undefined;
    this.latest = current;
    this.open = open;

    const newlyFiring: IncomingAlert[] = [];
    for (const alert of batch.alerts) {
      const instance =
        (batch.instanceByFingerprint &&
          known.find((k) => k.fingerprint === alert.fingerprint && k.status === "firing")) ||
        known.find((k) => k.fingerprint === alert.fingerprint && k.startsAt.getTime() === alert.startsAt.getTime());
      if (instance && !(instance.status === "resolved" && alert.status === "firing")) {
        this.recordKnownInstance(instance, alert);
      } else if (alert.status === "firing") {
        newlyFiring.push(alert);
      } else {
        // Resolved, and this instance was never seen firing: end the open incident's alert of the same
        // fingerprint if there is one (its firing delivery may have carried another startsAt).
        const current =
          open &&
          known.find((k) => k.incidentId === open.id && k.fingerprint === alert.fingerprint && k.status === "firing");
        if (current) this.recordKnownInstance(current, alert);
        else this.ignored++;
      }
    }

    for (const incidentId of this.resolvedIn) await this.workForIncident(incidentId);
    for (const { incidentId, alert } of this.resolvedAlerts) this.work.get(incidentId)!.resolved.push(alert);

    if (newlyFiring.length > 0) {
      const target = open ? this.workFor(open) : await this.reopenRecentlyAutoResolved(newlyFiring);
      if (target) target.fired.push(...newlyFiring);
      else await this.openIncident(newlyFiring);
    }
    // The held alerts' update rides with the first incident's events, unless a new firing instance of one
    // of them takes its row in that same statement (a row may not be written twice by one statement).
    if (this.receipts.size > 0 && this.rewritesHeldRow(newlyFiring)) await this.countReceipts();

    this.counters = alertReceiptsUpsert(batch, this.settings, this.ctx.now);
    const works = [...this.work.values()];
    for (const [i, work] of works.entries()) await this.finish(work, i === works.length - 1);
    // What is left (a re-send changes no incident): the held alerts' update and the counters, together.
    const rest = Object.entries({ held_alerts: this.takeReceipts(), counted: this.takeCounters() }).filter(
      (entry): entry is [string, SQL] => entry[1] !== undefined,
    );
    if (rest.length > 0) {
      await tx.execute(withStatements(rest, sql`select 1${rowCountsOf(rest.map(([name]) => name))}`));
    }
    return this.summary();
  }

  private workFor(row: IncidentRow): IncidentWork {
    let work = this.work.get(row.id);
    if (!work) {
      work = { row, created: false, reopened: false, fired: [], resolved: [] };
      this.work.set(row.id, work);
    }
    return work;
  }

  /** A delivery of an instance we already hold: count the receipt; record the end if it resolved. */
  private recordKnownInstance(instance: KnownAlert, alert: IncomingAlert): void {
    const resolvesNow = instance.status === "firing" && alert.status === "resolved";
    // One copy per fingerprint reaches here (the payload reader keeps the last).
    const receipt = {
      id: instance.id,
      fingerprint: instance.fingerprint,
      annotations: alert.annotations,
      resolvedAt: null as Date | null,
    };
    this.receipts.set(instance.id, receipt);
    if (!resolvesNow) return;
    receipt.resolvedAt = alert.endsAt ?? this.ctx.now;
    instance.status = "resolved";
    this.resolvedAlerts.push({ incidentId: instance.incidentId, alert });
    this.resolvedIn.add(instance.incidentId);
  }

  /** One UPDATE for every held alert of the delivery: receipts, annotations and ends together. */
  private async countReceipts(): Promise<void> {
    const update = this.takeReceipts();
    if (update) await this.ctx.db.execute(update);
  }

  /** The held alerts' update, once: to run, or to embed in a statement the delivery sends anyway. */
  private takeReceipts(): SQL | undefined {
    if (this.receipts.size === 0) return undefined;
    const update = knownAlertsUpdate([...this.receipts.values()], this.ctx.now);
    this.receipts.clear();
    return update;
  }

  /** The day's counters statement, once: last in the delivery (see alert-receipts.ts). */
  private takeCounters(): SQL | undefined {
    const counters = this.counters;
    this.counters = undefined;
    return counters;
  }

  private rewritesHeldRow(firing: IncomingAlert[]): boolean {
    const fingerprints = new Set(firing.map((a) => a.fingerprint));
    return [...this.receipts.values()].some((r) => fingerprints.has(r.fingerprint));
  }

  private async workForIncident(incidentId: string): Promise<IncidentWork> {
    const existing = this.work.get(incidentId);
    if (existing) return existing;
    if (incidentId === this.open?.id) return this.workFor(this.open); // locked by the first read
    const [row] = await this.ctx.db.select().from(incidents).where(eq(incidents.id, incidentId)).for("update");
    if (!row) throw new Error(`incident ${incidentId} of a known alert is missing`);
    return this.workFor(row);
  }

  private async reopenRecentlyAutoResolved(firing: IncomingAlert[]): Promise<IncidentWork | null> {
    const latest = this.latest;
    const windowStart = this.ctx.now.getTime() - this.settings.reopenWindowMs;
    if (!latest?.autoResolved || !latest.resolvedAt || latest.resolvedAt.getTime() < windowStart) return null;
    const names = listAlertNames(firing.map((a) => describeAlertLabels(a.labels)));
    const minutes = Math.round(this.settings.reopenWindowMs / 60_000);
    const { row } = await moveIncident(
      this.ctx,
      latest,
      { type: "reopen" },
      {
        note: `${names} fired again within ${minutes >= 1 ? `${minutes} min` : `${this.settings.reopenWindowMs / 1000} s`} of the automatic resolution`,
        auditAction: "incident.reopen",
        automatic: true,
      },
    );
    const work = this.workFor(row);
    work.row = row;
    work.reopened = true;
    return work;
  }

  /** A new incident; its alerts go with its first event. */
  private async openIncident(firing: IncomingAlert[]): Promise<void> {
    const fields = incidentFromAlerts(this.batch, firing, this.settings);
    // The maintenance windows that hold back its first page, read in the same round trip as the insert.
    const [row, muting] = await Promise.all([
      insertIncident(this.ctx, fields),
      this.settings.notifications
        ? mutingWindows(this.ctx.db, { ...fields, groupKey: this.batch.groupKey }, this.ctx.now)
        : [],
    ]);
    this.work.set(row.id, { row, created: true, reopened: false, fired: firing, resolved: [], muting });
    this.transitions.push({ before: null, after: row });
  }

  /** The statement that records these firing alerts on the incident (embed it, or execute it). */
  private firingUpsert(incidentId: string, firing: IncomingAlert[]) {
    return firingAlertsUpsert(incidentId, firing, this.ctx.now);
  }

  /** Timeline, audit, severity and automatic resolution for one incident this delivery changed. */
  private async finish(work: IncidentWork, last: boolean): Promise<void> {
    const { ctx, batch } = this;
    // The day's counters ride with the delivery's last statement when that is this incident's events.
    const counters = last && !this.followsUp(work) ? this.takeCounters() : undefined;
    const ref = formatIncidentRef(work.row.number);
    const firedNames = work.fired.map((a) => describeAlertLabels(a.labels));
    const resolvedNames = work.resolved.map((a) => describeAlertLabels(a.labels));

    if (work.created) {
      const { notifications } = this.settings;
      // A maintenance window or snooze still opens the incident; it only holds back the first page.
      const muting = work.muting ?? [];
      const held = this.takeReceipts();
      const opening =
        notifications && planOpeningAlongside(toIncidentDto(work.row, null), notifications, ctx.now, muting.length > 0);
      await appendTimelineEvent(
        ctx,
        work.row.id,
        {
          kind: "created",
          text: `${work.row.severity} incident opened from ${alertSourceNames[batch.source]}: ${plural(firedNames.length, "alert")} firing (${listAlertNames(firedNames)})`,
          data: {
            group_key: batch.groupKey,
            alerts: work.fired.map((a) => a.fingerprint),
            ...(batch.integrationId ? { integration_id: batch.integrationId } : {}),
          },
        },
        {
          audit: {
            action: "incident.create",
            resourceType: "incident",
            resourceId: work.row.id,
            details: {
              ref,
              title: work.row.title,
              severity: work.row.severity,
              source: batch.source,
              group_key: batch.groupKey,
            },
          },
          // The first page and card are planned here rather than by a job. Automatic remediation is always
          // its job's to decide, from the runbook catalog as it is when the job runs: an alert that arrives
          // before a runbook (or its new version) is loaded must not lose its automatic action.
          alongside: {
            opening_alerts: this.firingUpsert(work.row.id, work.fired),
            ...(held && { held_alerts: held }),
            ...(counters && { counted: counters }),
            ...opening?.alongside,
          },
          jobs: opening?.jobs,
          handledJobs: notifications ? [PLAN_JOB] : [],
        },
      );
      await recordMuted(ctx.db, work.row.id, muting, ctx.now);
      if (batch.truncatedAlerts > 0) await appendTimelineEvent(ctx, work.row.id, truncationEntry(batch));
    } else {
      // The alerts, the events and the audit row of what the delivery did to this incident: one statement.
      const entries: TimelineEntry[] = [];
      if (work.fired.length > 0) {
        entries.push({
          kind: "alerts_fired",
          text: `${plural(firedNames.length, "alert")} firing: ${listAlertNames(firedNames)}`,
          data: { alerts: work.fired.map((a) => a.fingerprint) },
        });
      }
      if (work.resolved.length > 0) {
        entries.push({
          kind: "alerts_resolved",
          text: `${plural(resolvedNames.length, "alert")} resolved: ${listAlertNames(resolvedNames)}`,
          data: { alerts: work.resolved.map((a) => a.fingerprint) },
        });
      }
      if (batch.truncatedAlerts > 0 && work.fired.length > 0) entries.push(truncationEntry(batch));
      const held = entries.length > 0 ? this.takeReceipts() : undefined; // no event, no statement
      const alongside = {
        ...(work.fired.length > 0 && { new_alerts: this.firingUpsert(work.row.id, work.fired) }),
        ...(held && { held_alerts: held }),
        ...(counters && { counted: counters }),
      };
      const audit: AuditEntry = {
        action: "alert.ingest",
        resourceType: "incident",
        resourceId: work.row.id,
        details: {
          ref,
          fired: work.fired.map((a) => a.fingerprint),
          resolved: work.resolved.map((a) => a.fingerprint),
        },
      };
      const raise = this.severityRaise(work);
      // A severity raise writes these with its own event and audit row, after the incident's update.
      if (raise)
        await this.raiseSeverity(work, raise, entries, {
          ...alongside,
          ingested: auditInsert(ctx, audit, { returningId: true }),
        });
      else
        await appendTimelineEvents(
          ctx,
          entries.map((entry) => ({ incidentId: work.row.id, entry })),
          { audit, alongside },
        );
    }

    if (work.row.status !== "resolved" && work.resolved.length > 0) await this.resolveWhenQuiet(work);
    if (this.linksRunbook(work)) {
      const runbookUrl = runbookOf(batch.commonAnnotations, work.fired);
      if (runbookUrl) {
        ({ row: work.row } = await recordIncidentChange(ctx, work.row, {
          patch: { runbookUrl },
          event: {
            kind: "runbook_linked",
            text: `Runbook linked from the alerts' annotations: ${runbookUrl}`,
            data: { runbook_url: runbookUrl },
          },
          audit: {
            action: "incident.update",
            details: { changes: { runbook_url: { from: null, to: runbookUrl } }, source: batch.source },
          },
        }));
      }
    }
  }

  /** The most severe alert that joined, when it is more severe than the incident. */
  private severityRaise(work: IncidentWork): { alert: IncomingAlert; severity: Severity } | null {
    if (work.created || work.fired.length === 0) return null;
    const levels = work.fired.map((a) => ({
      alert: a,
      severity: severityOfAlert(a.labels, this.settings.severityMap),
    }));
    const top = levels.reduce((a, b) => (moreSevere(a.severity, b.severity) === a.severity ? a : b));
    return moreSevere(top.severity, work.row.severity) === work.row.severity ? null : top;
  }

  /** Whether finishing this incident writes more after its events (then the counters wait for the end). */
  private followsUp(work: IncidentWork): boolean {
    if (work.created)
      return (work.muting?.length ?? 0) > 0 || this.batch.truncatedAlerts > 0 || this.linksRunbook(work);
    return (
      (work.fired.length === 0 && work.resolved.length === 0) || // no events: no statement to ride with
      (work.row.status !== "resolved" && work.resolved.length > 0) ||
      this.linksRunbook(work)
    );
  }

  private linksRunbook(work: IncidentWork): boolean {
    return (
      !work.row.runbookUrl && work.fired.length > 0 && runbookOf(this.batch.commonAnnotations, work.fired) !== null
    );
  }

  private async raiseSeverity(
    work: IncidentWork,
    top: { alert: IncomingAlert; severity: Severity },
    before: TimelineEntry[],
    alongside: Record<string, SQL>,
  ): Promise<void> {
    const from: Severity = work.row.severity;
    ({ row: work.row } = await recordIncidentChange(
      this.ctx,
      work.row,
      {
        patch: { severity: top.severity },
        event: {
          kind: "severity_changed",
          text: `Severity raised from ${from} to ${top.severity}: ${describeAlertLabels(top.alert.labels)} fired`,
          data: { from, to: top.severity, fingerprint: top.alert.fingerprint },
        },
        audit: {
          action: "incident.update",
          details: { changes: { severity: { from, to: top.severity } }, source: this.batch.source },
        },
      },
      { before, alongside },
    ));
  }

  private async resolveWhenQuiet(work: IncidentWork): Promise<void> {
    const [firing] = await this.ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(alerts)
      .where(and(eq(alerts.incidentId, work.row.id), eq(alerts.status, "firing")));
    if ((firing?.n ?? 0) > 0) return;
    const { row } = await moveIncident(
      this.ctx,
      work.row,
      { type: "resolve" },
      { note: "all alerts resolved", auditAction: "incident.resolve", automatic: true },
    );
    this.transitions.push({ before: work.row, after: row });
    work.row = row;
  }

  private summary(): IngestionSummary {
    const all = [...this.work.values()];
    const refs = (pick: (w: IncidentWork) => boolean) => all.filter(pick).map((w) => formatIncidentRef(w.row.number));
    return {
      alerts: this.batch.alerts.length,
      ignored: this.ignored,
      incidents: {
        created: refs((w) => w.created),
        reopened: refs((w) => w.reopened),
        updated: refs((w) => !w.created && !w.reopened && (w.fired.length > 0 || w.resolved.length > 0)),
        resolved: refs((w) => w.row.status === "resolved" && w.row.autoResolved && w.resolved.length > 0),
      },
    };
  }
}

const truncationEntry = (batch: AlertBatch): TimelineEntry => ({
  kind: "alerts_truncated",
  text: `Alertmanager left ${plural(batch.truncatedAlerts, "alert")} of this group out of its notification (max_alerts); see Alertmanager for the full list`,
  data: { truncated_alerts: batch.truncatedAlerts },
});

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
