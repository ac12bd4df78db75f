// Every PostgreSQL advisory lock Vigil takes, by name, one number each: two unrelated kinds of work must
// never wait on each other by sharing one. A keyed lock passes its number as the seed of
// `hashtextextended(key, seed)`, so each kind has its own space of keys.
export const advisoryLocks = {
  /** Migrations, one replica at a time (a session lock on this id). */
  migrations: 7_446_112_001,
  /** Alert ingestion, per alert group key: deliveries of one group run one at a time. */
  alertGroup: 7_446_112,
  /** Notification planning, per incident: two workers never both send an incident's first message. */
  notificationPlan: 7_446_113,
  /** Remediation requests, per rate key, and the global cap on automatic runs. */
  remediationRate: 7_446_114,
  /** The runbook catalog sync, files and Runbook resources alike (a transaction lock on this id). */
  runbookSync: 7_446_115,
  /** Automatic remediation triggers, per incident. */
  remediationTrigger: 7_446_116,
  /** The postmortem draft, per incident (until 2026-12 it shared 7446114 with remediationRate). */
  postmortemDraft: 7_446_117,
  /** The escalation engine, per incident: its start, steps, stop and manual verbs run one at a time. */
  escalation: 7_446_118,
  /** Scheduling a person's page sends, per recipient and method: the send job's run time is the earliest due. */
  pageSend: 7_446_119,
} as const;
