// The two database roles of deploy/postgres/roles.sql, applied as docs/operations.md says, on a database of
// their own: the owner runs the migrations; the app's role runs Vigil (verbs, the job queue) and may add
// to the audit log and the timeline and read them, never change, delete or empty them. TRUNCATE is
// refused to the owner as well, by the trigger. Roles are server-wide, so each run names its own.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Logger, runOnce } from "graphile-worker";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabaseClient, type DatabaseClient } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { createIncident } from "@/lib/incidents/create-incident";
import { admin, ctxOf } from "@/test/actors";
import { databaseUrlFor } from "@/test/global-setup";
import { databaseName } from "@/test/leftover-databases";

const rolesFile = path.resolve(import.meta.dirname, "../../deploy/postgres/roles.sql");
const run = randomBytes(4).toString("hex");
const OWNER = `vigil_t${run}`;
const APP = `vigil_t${run}_app`;
const database = databaseName("vigil_test", `roles_${run}`);

/** The documented file with this run's role names in place of `vigil` and `vigil_app`. */
const rolesSql = () =>
  readFileSync(rolesFile, "utf8")
    .replace(/\bvigil_app\b/g, APP)
    .replace(/\bvigil\b/g, OWNER);

const serverUrl = () => inject("serverUrl");
/** Each role gets this run's password: a server with trust auth ignores it, the embedded one asks for it. */
const password = randomBytes(12).toString("hex");
const urlAs = (role: string) => {
  const url = new URL(databaseUrlFor(serverUrl(), database));
  url.username = role;
  url.password = password;
  return url.toString();
};

let superuser: postgres.Sql;
let owner: postgres.Sql;
let app: DatabaseClient;

/** PostgreSQL's refusal of a statement, or null when it ran. */
const refusal = (statement: Promise<unknown>) =>
  statement.then(
    () => null,
    (error: { message: string }) => error.message,
  );

beforeAll(async () => {
  const server = postgres(serverUrl(), { max: 1, onnotice: () => {} });
  try {
    await server.unsafe(`create database ${database}`);
  } finally {
    await server.end();
  }
  superuser = postgres(databaseUrlFor(serverUrl(), database), { max: 1, onnotice: () => {} });
  // What docs/operations.md says to do on a new database: the roles first, then the migrations as the owner.
  await superuser.unsafe(rolesSql());
  for (const role of [OWNER, APP]) await superuser.unsafe(`alter role ${role} password '${password}'`);
  await migrateDatabase(urlAs(OWNER));
  owner = postgres(urlAs(OWNER), { max: 1, onnotice: () => {} });
  app = createDatabaseClient(urlAs(APP), { max: 2 });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await owner?.end();
  await superuser?.end();
  const server = postgres(serverUrl(), { max: 1, onnotice: () => {} });
  try {
    await server.unsafe(`drop database if exists ${database} with (force)`);
    await server.unsafe(`drop role if exists ${APP}`);
    await server.unsafe(`drop role if exists ${OWNER}`);
  } finally {
    await server.end();
  }
});

describe("the database roles", () => {
  it("let the app role run Vigil: verbs write incidents, timeline, audit and jobs, and the worker takes jobs", async () => {
    const { incident } = await createIncident({
      ctx: ctxOf(app.db, admin),
      input: { title: "Roles check", severity: "P2" },
    });
    await acknowledgeIncident({ ctx: ctxOf(app.db, admin), input: { ref: incident.ref } });
    const audit = await app.sql`select action from audit_log where resource_id = ${incident.id} order by id`;
    expect(audit.map((r) => r.action)).toEqual(["incident.create", "incident.acknowledge"]);

    await app.sql`select graphile_worker.add_job('roles.check', '{}'::json)`;
    const done: string[] = [];
    await runOnce({
      connectionString: urlAs(APP),
      taskList: { "roles.check": async () => void done.push("ran") },
      logger: new Logger(() => () => {}),
      noHandleSignals: true,
    });
    expect(done).toEqual(["ran"]);
  });

  it("let the app role add to the audit log and read it, but not change, delete or empty it", async () => {
    await app.sql`insert into audit_log (timestamp, action, resource_type, resource_id, actor_type, actor_name) values (now(), 'roles.check', 'test', 'r1', 'system', 'roles test')`;
    expect(await app.sql`select action from audit_log where resource_id = 'r1'`).toEqual([{ action: "roles.check" }]);
    const denied = `permission denied for table audit_log`;
    expect(await refusal(app.sql`update audit_log set action = 'rewritten' where resource_id = 'r1'`)).toBe(denied);
    expect(await refusal(app.sql`delete from audit_log where resource_id = 'r1'`)).toBe(denied);
    expect(await refusal(app.sql`truncate audit_log`)).toBe(denied);
    expect(await refusal(app.sql`update timeline_events set text = 'rewritten'`)).toBe(
      "permission denied for table timeline_events",
    );
    expect(await refusal(app.sql`truncate timeline_events`)).toBe("permission denied for table timeline_events");
  });

  it("keep the app role from changing the schema", async () => {
    expect(await refusal(app.sql`create table roles_check (id int)`)).toBe("permission denied for schema public");
    expect(await refusal(app.sql`drop table audit_log`)).toBe("must be owner of table audit_log");
  });

  it("refuse TRUNCATE of the audit log and the timeline to their owner too, by the trigger", async () => {
    expect(await refusal(owner`truncate audit_log`)).toBe("audit_log is append-only");
    expect(await refusal(owner`truncate timeline_events`)).toBe("timeline_events is append-only");
    expect(await refusal(owner`truncate incidents cascade`)).toMatch(/is append-only$/);
    expect(await refusal(superuser`truncate audit_log`)).toBe("audit_log is append-only");
    expect((await owner`select count(*)::int as n from audit_log`)[0]!.n).toBeGreaterThan(0);
  });

  it("stay as they are when the file is applied again after the migrations (an existing installation)", async () => {
    await superuser.unsafe(rolesSql());
    for (const role of [OWNER, APP]) await superuser.unsafe(`alter role ${role} password '${password}'`);
    expect(await refusal(app.sql`update audit_log set action = 'rewritten' where resource_id = 'r1'`)).toBe(
      "permission denied for table audit_log",
    );
    expect(await refusal(app.sql`update incidents set title = title`)).toBeNull();
  });
});
