// The restore drill of docs/operations.md, performed on a small database: fill it through the API, take
// a `pg_dump -Fc`, `pg_restore` it into a fresh database, migrate (nothing to do), and check that the app
// serves the restored database exactly as it served the original, and carries on from where it stood.
//
// pg_dump must be at least as new as the server. CI's pg_dump and server are Debian's PostgreSQL 15, so
// with DATABASE_URL at that server the drill runs; on the embedded PostgreSQL 18 (no DATABASE_URL) or
// without a matching pg_dump it is skipped, and its title says why.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDatabaseClient, type DatabaseClient } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { databaseUrlFor } from "@/test/global-setup";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";
import { getRuntime, setRuntime } from "@/lib/runtime";
import * as incidentsRoute from "@/app/api/v1/incidents/route";
import * as countsRoute from "@/app/api/v1/incidents/counts/route";
import * as incidentRoute from "@/app/api/v1/incidents/[ref]/route";
import * as ackRoute from "@/app/api/v1/incidents/[ref]/ack/route";
import * as resolveRoute from "@/app/api/v1/incidents/[ref]/resolve/route";
import * as timelineRoute from "@/app/api/v1/incidents/[ref]/timeline/route";
import * as alertsRoute from "@/app/api/v1/incidents/[ref]/alerts/route";
import * as notificationsRoute from "@/app/api/v1/incidents/[ref]/notifications/route";
import * as auditRoute from "@/app/api/v1/audit/route";
import * as usersRoute from "@/app/api/v1/users/route";
import * as tokensRoute from "@/app/api/v1/tokens/route";
import * as webhookRoute from "@/app/api/v1/webhooks/alertmanager/route";

/** Why the drill cannot run here, or undefined when it can. */
async function drillUnavailable(): Promise<string | undefined> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl)
    return "no DATABASE_URL: the tests run on the embedded PostgreSQL 18, which Debian's pg_dump 15 cannot dump (set DATABASE_URL=postgres://postgres@localhost:5432/postgres)";
  let dumpVersion: string;
  try {
    dumpVersion = execFileSync("pg_dump", ["--version"], { encoding: "utf8" });
    execFileSync("pg_restore", ["--version"], { encoding: "utf8" });
  } catch {
    return "pg_dump / pg_restore are not installed (apt-get install postgresql-client)";
  }
  const dumpMajor = Number(/(\d+)(?:\.\d+)?/.exec(dumpVersion)?.[1]);
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin<{ version: string }[]>`select current_setting('server_version_num') as version`;
    const serverMajor = Math.floor(Number(row!.version) / 10_000);
    if (dumpMajor < serverMajor) return `pg_dump ${dumpMajor} cannot dump PostgreSQL ${serverMajor}`;
  } finally {
    await admin.end();
  }
  return undefined;
}

const skipReason = await drillUnavailable();
if (skipReason) console.warn(`The backup-and-restore drill is skipped: ${skipReason}`);
const t = useTestDatabase();
const tokens = useTestRuntime(t);
let workDir: string | undefined;
const restoredName = `vigil_test_restored_${randomBytes(4).toString("hex")}`;
let restored: DatabaseClient | undefined;

afterAll(async () => {
  await restored?.close();
  const admin = postgres(inject("serverUrl"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${restoredName} with (force)`);
  await admin.end();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** What operators and integrations see: every read the API offers on the data, as JSON. */
async function apiAnswers(refs: string[]): Promise<Record<string, unknown>> {
  const get = async <P>(handler: Parameters<typeof call<P>>[0], url: string, params?: P) => {
    const res = await call(handler, "GET", url, { token: tokens.admin, params });
    expect(res.status, url).toBe(200);
    return res.json() as Promise<unknown>;
  };
  const answers: Record<string, unknown> = {
    incidents: await get(incidentsRoute.GET, "/api/v1/incidents?limit=200"),
    unresolved: await get(incidentsRoute.GET, "/api/v1/incidents?status=open&status=acknowledged"),
    counts: await get(countsRoute.GET, "/api/v1/incidents/counts"),
    audit: await get(auditRoute.GET, "/api/v1/audit?limit=200"),
    users: await get(usersRoute.GET, "/api/v1/users"),
    tokens: await get(tokensRoute.GET, "/api/v1/tokens"),
  };
  for (const ref of refs) {
    answers[ref] = {
      incident: await get(incidentRoute.GET, `/api/v1/incidents/${ref}`, { ref }),
      timeline: await get(timelineRoute.GET, `/api/v1/incidents/${ref}/timeline`, { ref }),
      alerts: await get(alertsRoute.GET, `/api/v1/incidents/${ref}/alerts`, { ref }),
      notifications: await get(notificationsRoute.GET, `/api/v1/incidents/${ref}/notifications`, { ref }),
    };
  }
  return answers;
}

/** Rows per table of Vigil's schema and graphile-worker's (the queued jobs are part of the state). */
async function rowCounts(sql: postgres.Sql): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }[]>`
    select format('%I.%I', table_schema, table_name) as name from information_schema.tables
     where table_schema in ('public', 'graphile_worker', 'drizzle') and table_type = 'BASE TABLE' order by 1`;
  const counts: Record<string, number> = {};
  for (const { name } of tables)
    counts[name] = Number((await sql.unsafe(`select count(*)::int as n from ${name}`))[0]!.n);
  return counts;
}

/** Declares, acknowledges, annotates and resolves through the API, and lets Alertmanager open two incidents. */
async function fillThroughTheApi(): Promise<string[]> {
  const refs: string[] = [];
  for (const [title, severity] of [
    ["Checkout 5xx above 5%", "P1"],
    ["Search latency p95 over 2 s", "P2"],
    ["Nightly report late", "P4"],
  ] as const) {
    const res = await call(incidentsRoute.POST, "POST", "/api/v1/incidents", {
      token: tokens.responder,
      body: { title, severity, service: "shop", labels: { drill: "yes" } },
    });
    expect(res.status).toBe(201);
    refs.push(((await res.json()) as { ref: string }).ref);
  }
  const [first, second] = refs as [string, string, string];
  await call(ackRoute.POST, "POST", `/api/v1/incidents/${first}/ack`, {
    token: tokens.responder,
    params: { ref: first },
  });
  await call(timelineRoute.POST, "POST", `/api/v1/incidents/${first}/timeline`, {
    token: tokens.responder,
    params: { ref: first },
    body: { text: "Rolled back release 42" },
  });
  await call(resolveRoute.POST, "POST", `/api/v1/incidents/${first}/resolve`, {
    token: tokens.responder,
    params: { ref: first },
    body: { resolution_note: "Rollback" },
  });
  await call(ackRoute.POST, "POST", `/api/v1/incidents/${second}/ack`, {
    token: tokens.admin,
    params: { ref: second },
  });
  for (const group of ['{}:{alertname="DiskFull"}', '{}:{alertname="QueueBacklog"}']) {
    const name = /alertname="(\w+)"/.exec(group)![1]!;
    const body = webhook(group, [
      alert({
        labels: { alertname: name, service: "infra", severity: "warning", instance: "a" },
        annotations: { summary: `${name} on a` },
      }),
      alert({
        labels: { alertname: name, service: "infra", severity: "critical", instance: "b" },
        annotations: { summary: `${name} on b` },
      }),
    ]);
    const res = await call(webhookRoute.POST, "POST", "/api/v1/webhooks/alertmanager", {
      token: tokens.responder,
      body,
    });
    expect(res.status).toBe(200);
    refs.push(...((await res.json()) as { incidents: { created: string[] } }).incidents.created);
    // Alertmanager's repeat: counted as a receipt, nothing else.
    await call(webhookRoute.POST, "POST", "/api/v1/webhooks/alertmanager", { token: tokens.responder, body });
  }
  return refs;
}

describe("backup and restore", () => {
  it.skipIf(skipReason !== undefined)(
    skipReason
      ? `restores a pg_dump that the app then serves unchanged (skipped: ${skipReason})`
      : "restores a pg_dump into a fresh database that the app then serves unchanged, and carries on from there",
    async () => {
      const refs = await fillThroughTheApi();
      expect(refs).toHaveLength(5);
      const before = await apiAnswers(refs);
      const rowsBefore = await rowCounts(t.sql);
      expect(rowsBefore["public.incidents"]).toBe(5);

      // The drill, as docs/operations.md has an operator do it.
      workDir = mkdtempSync(path.join(os.tmpdir(), "vigil-restore-drill-"));
      const dump = path.join(workDir, "vigil.dump");
      execFileSync("pg_dump", ["--format=custom", "--no-owner", `--file=${dump}`, `--dbname=${t.url}`], {
        stdio: "pipe",
      });
      const admin = postgres(inject("serverUrl"), { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${restoredName}`);
      await admin.end();
      const restoredUrl = databaseUrlFor(inject("serverUrl"), restoredName);
      execFileSync("pg_restore", ["--no-owner", "--exit-on-error", `--dbname=${restoredUrl}`, dump], { stdio: "pipe" });
      await migrateDatabase(restoredUrl);

      restored = createDatabaseClient(restoredUrl, { max: 5, applicationName: "vigil-restore-drill" });
      expect(await rowCounts(restored.sql), "every table, the migration journal and the job queue included").toEqual(
        rowsBefore,
      );
      const original = getRuntime();
      setRuntime({ ...original, database: restored });
      try {
        // The same tokens work (their hashes came back), and every answer is the same.
        expect(await apiAnswers(refs)).toEqual(before);

        // It carries on: the numbering continues, and the audit log is still append-only.
        const next = await call(incidentsRoute.POST, "POST", "/api/v1/incidents", {
          token: tokens.responder,
          body: { title: "After the restore", severity: "P3" },
        });
        expect(next.status).toBe(201);
        const highest = Math.max(...refs.map((r) => Number(r.slice("INC-".length))));
        expect(((await next.json()) as { ref: string }).ref).toBe(`INC-${highest + 1}`);
        await expect(restored.sql`update audit_log set action = 'tampered'`).rejects.toThrow();
      } finally {
        setRuntime(original);
      }
    },
    60_000,
  );
});
