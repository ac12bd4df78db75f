// The audit log as CSV (RFC 4180) for spreadsheets and auditors. Cells that a spreadsheet would run as
// a formula (=, +, -, @ first) are prefixed with a quote mark: the log holds text people typed.
import type { AuditEntry } from "./list-audit-log";

export const auditCsvHeader = [
  "id",
  "timestamp",
  "actor_type",
  "actor_id",
  "actor_name",
  "user_id",
  "action",
  "resource_type",
  "resource_id",
  "ip_address",
  "details",
];

export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function auditCsvRow(e: AuditEntry): string {
  return [
    e.id,
    e.timestamp,
    e.actor.type,
    e.actor.id,
    e.actor.name,
    e.actor.user_id,
    e.action,
    e.resource_type,
    e.resource_id,
    e.ip_address,
    e.details,
  ]
    .map(csvCell)
    .join(",");
}
