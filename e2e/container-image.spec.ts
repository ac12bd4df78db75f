// The container image, without a Docker engine: e2e/support/image-build.ts carries out the Dockerfile's
// stages (a standalone `next build`; cached until the Dockerfile or its build context changes), and this
// spec runs what a container of it runs — the migration command against an empty database, the token
// CLI, `node server.js` and the worker, as the image's non-root user with only its ENV — then drives the
// API smoke test against that server.
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { freePort } from "@/db/embedded-postgres";
import { buildImage, type BuiltImage } from "./support/image-build";
import { runInImage, startInImage } from "./support/image-run";
import { stopProcess, waitForHealthy } from "./support/processes";
import { readE2eState } from "./support/state";

test.describe.configure({ mode: "serial" });

const database = `vigil_e2e_image_${process.pid}`;
let image: BuiltImage;
let env: Record<string, string>;
let baseUrl: string;
let token: string;
let web: ChildProcess | undefined;
let worker: ChildProcess | undefined;
let serverUrl: string;

const urlOf = (name: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

const migrate = ["node", "--import", "tsx", "scripts/migrate.ts"];

test.beforeAll(async () => {
  // A standalone build takes about a minute on two cores, more on a busy machine.
  test.setTimeout(600_000);
  image = buildImage({ log: (line) => console.log(`[image] ${line}`) });
  const state = readE2eState();
  serverUrl = state.databaseUrl;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${database}`);
  await admin.end();

  const port = await freePort();
  baseUrl = `http://localhost:${port}`;
  // What a deployment gives the containers (deploy/kubernetes); the image's ENV does the rest.
  env = {
    DATABASE_URL: urlOf(database),
    PORT: String(port),
    APP_URL: baseUrl,
    AUTH_SECRET: "image-auth-secret-0123456789abcdef0123456789",
    OIDC_ISSUER: state.workerEnv.OIDC_ISSUER!,
    OIDC_CLIENT_ID: state.workerEnv.OIDC_CLIENT_ID!,
    OIDC_CLIENT_SECRET: state.workerEnv.OIDC_CLIENT_SECRET!,
    WORKER_METRICS_PORT: String(await freePort()),
    LOG_LEVEL: "warn",
  };

  // The rollout order of deploy/kubernetes: migrate the empty database, then start the processes.
  const migrated = await runInImage(image, migrate, env);
  if (migrated.code !== 0) throw new Error(`the image's migration command failed:\n${migrated.output}`);
  const created = await runInImage(
    image,
    ["node", "--import", "tsx", "scripts/token.ts", "create", "--name", "image smoke", "--role", "admin"],
    env,
  );
  token = /Bearer (\S+)/.exec(created.output)?.[1] ?? "";
  if (created.code !== 0 || !token) throw new Error(`the image's token CLI failed:\n${created.output}`);
  web = startInImage(image, "web", image.cmd, env);
  worker = startInImage(image, "worker", ["node", "--import", "tsx", "worker/index.ts"], env);
  await waitForHealthy(`${baseUrl}/api/health`, web);
});

test.afterAll(async () => {
  for (const child of [web, worker]) if (child) await stopProcess(child);
  if (!serverUrl) return;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${database} with (force)`);
  await admin.end();
});

test("the migration command, run again on a migrated database, changes nothing", async () => {
  const again = await runInImage(image, migrate, env);
  expect(again.output).toContain("Database is up to date.");
  expect(again.code).toBe(0);
});

test("the web server and the worker run as the image's non-root user, and the worker's heartbeat reaches /api/health", async ({
  request,
}) => {
  await expect
    .poll(async () => await (await request.get(`${baseUrl}/api/health`)).json(), { timeout: 30_000 })
    .toEqual({ status: "ok", database: "ok", worker: "ok" });
  test.skip(process.getuid?.() !== 0, "the tests do not run as root, so the processes run as this user");
  for (const child of [web!, worker!]) expect(uidOf(child.pid!)).toBe(image.user.uid);
  expect(image.user.uid).not.toBe(0);
});

test("drives an incident from declaration to resolution and serves /metrics", async ({ request }) => {
  const auth = { authorization: `Bearer ${token}` };
  const created = await request.post(`${baseUrl}/api/v1/incidents`, {
    headers: auth,
    data: { title: "Image smoke test", severity: "P3", service: "smoke" },
  });
  expect(created.status()).toBe(201);
  const incident = await created.json();
  expect(created.headers()["location"]).toBe(`${baseUrl}/api/v1/incidents/${incident.ref}`);
  expect(
    (await (await request.post(`${baseUrl}/api/v1/incidents/${incident.ref}/ack`, { headers: auth })).json()).status,
  ).toBe("acknowledged");
  const resolved = await (
    await request.post(`${baseUrl}/api/v1/incidents/${incident.ref}/resolve`, {
      headers: auth,
      data: { resolution_note: "Fixed" },
    })
  ).json();
  expect(resolved).toMatchObject({ status: "resolved", resolution_note: "Fixed" });
  expect((await request.get(`${baseUrl}/api/v1/incidents`)).status()).toBe(401);

  const metrics = await (await request.get(`${baseUrl}/metrics`)).text();
  expect(metrics).toMatch(/^vigil_open_incidents\{severity="P3"\} \d+$/m);
  expect(metrics).toContain(
    'vigil_http_request_duration_seconds_count{method="POST",route="POST /api/v1/incidents",status="201"}',
  );
});

test("serves the sign-in page with its scripts and styles from .next/static", async ({ request }) => {
  const page = await request.get(`${baseUrl}/sign-in`);
  expect(page.status()).toBe(200);
  const assets = [...(await page.text()).matchAll(/\/_next\/static\/[^"'\s]+\.(?:js|css)/g)].map((m) => m[0]);
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of new Set(assets)) expect((await request.get(`${baseUrl}${asset}`)).status(), asset).toBe(200);
});

test("the HEALTHCHECK passes for the web server and for the worker, and fails when neither answers", async () => {
  expect((await runInImage(image, image.healthcheck, env)).code).toBe(0);
  expect(
    (await runInImage(image, image.healthcheck, { ...env, PORT: String(await freePort()) })).code,
    "the worker alone",
  ).toBe(0);
  const nobody = await runInImage(image, image.healthcheck, {
    ...env,
    PORT: String(await freePort()),
    WORKER_METRICS_PORT: String(await freePort()),
  });
  expect(nobody.code).toBe(1);
  expect(nobody.output).toContain("/api/health: no answer");
});

function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("Uid:"));
  return Number(line?.split(/\s+/)[1]);
}
