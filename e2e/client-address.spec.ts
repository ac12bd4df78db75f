// The built app under `next start`, over real sockets: the audit log's client address is the socket's
// peer unless that peer is a trusted proxy (TRUSTED_PROXIES), so a client that writes its own
// X-Forwarded-For cannot put another address into the audit log; and an endless chunked upload to an
// unauthenticated door is cut off at its limit while the server stays healthy.
import type { ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { freePort } from "@/db/embedded-postgres";
import { startApp, stopProcess, waitForHealthy } from "./support/processes";
import { E2E_ADMIN_TOKEN, readE2eState } from "./support/state";

test.describe.configure({ mode: "serial", timeout: 120_000 });

let sql: postgres.Sql;
/** A second web server on the e2e database that trusts no proxy on loopback, and takes PagerDuty's webhooks. */
let untrusting: { url: string; process: ChildProcess };

test.beforeAll(async () => {
  const { workerEnv, databaseUrl } = readE2eState();
  sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const port = await freePort();
  untrusting = {
    url: `http://localhost:${port}`,
    process: startApp({
      ...workerEnv,
      PORT: String(port),
      TRUSTED_PROXIES: "10.0.0.0/8",
      PAGERDUTY_WEBHOOK_SECRET: "e2e-pagerduty-secret",
    }),
  };
  await waitForHealthy(`${untrusting.url}/api/health`, untrusting.process);
});

test.afterAll(async () => {
  if (untrusting) await stopProcess(untrusting.process);
  await sql?.end();
});

async function auditedAddress(baseUrl: string, forwardedFor: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/incidents`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${E2E_ADMIN_TOKEN}`,
      "content-type": "application/json",
      "x-forwarded-for": forwardedFor,
    },
    body: JSON.stringify({ title: "Where did this come from?", severity: "P4" }),
  });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const [row] = await sql<
    { ip: string }[]
  >`select host(ip_address) as ip from audit_log where resource_id = ${id} and action = 'incident.create'`;
  return row!.ip;
}

test("a forged X-Forwarded-For from a peer that is not a trusted proxy does not reach the audit log", async () => {
  expect(await auditedAddress(untrusting.url, "203.0.113.77")).toMatch(/^(127\.0\.0\.1|::1)$/);
});

test("what a trusted proxy on loopback forwards does (the default TRUSTED_PROXIES)", async ({ baseURL }) => {
  expect(await auditedAddress(baseURL!, "203.0.113.77")).toBe("203.0.113.77");
});

test("an endless chunked upload to PagerDuty's webhook is cut off at the limit, and the server carries on", async () => {
  const url = new URL("/api/v1/webhooks/pagerduty", untrusting.url);
  const chunk = Buffer.alloc(64 * 1024, "{");
  let sent = 0;
  const outcome = await new Promise<{ status?: number; body?: string; error?: string }>((resolve) => {
    const req = httpRequest(
      url,
      { method: "POST", headers: { "content-type": "application/json", "x-pagerduty-signature": "v1=00" } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode, body }));
        res.on("error", (error) => resolve({ status: res.statusCode, error: error.message }));
      },
    );
    req.on("error", (error) => resolve({ error: error.message }));
    // No Content-Length: Node sends it chunked. Up to 256 MiB, unless the server stops it first.
    const pump = () => {
      while (sent < 256 * 1024 * 1024) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
  // The server answered 413 (what `next start` does here) or closed the connection, long before the
  // sender was done.
  expect(outcome.status === 413 || outcome.error !== undefined, JSON.stringify(outcome)).toBe(true);
  if (outcome.status === 413) expect(outcome.body).toContain("urn:vigil:problem:too_large");
  expect(sent).toBeLessThan(64 * 1024 * 1024);
  expect((await fetch(new URL("/api/health", untrusting.url))).status).toBe(200);
});
