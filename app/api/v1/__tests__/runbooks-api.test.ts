// The runbook and remediation endpoints, called as Next.js calls them: the catalog, editing with
// front-matter errors as problem+json, export, an incident's runbook, and requesting and approving runs.
import { beforeAll, describe, expect, it } from "vitest";
import { createIncident } from "@/lib/incidents/create-incident";
import { syncRunbookFiles } from "@/lib/runbooks/sync-runbook-files";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { shippedRunbooksDir } from "@/test/remediation";
import { call, useTestRuntime } from "@/test/runtime";
import * as incidentRunbookRoute from "../incidents/[ref]/runbook/route";
import * as remediationsRoute from "../incidents/[ref]/remediations/route";
import * as approveRoute from "../remediations/[id]/approve/route";
import * as runbookRoute from "../runbooks/[slug]/route";
import * as exportRoute from "../runbooks/[slug]/export/route";
import * as versionsRoute from "../runbooks/[slug]/versions/route";
import * as runbooksRoute from "../runbooks/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
beforeAll(async () => void (await syncRunbookFiles(t.db, shippedRunbooksDir, new Date())));

const declared = async (labels: Record<string, string>) =>
  (await createIncident({ ctx: ctxOf(t.db, admin), input: { title: "api check", severity: "P2", labels } })).incident;

describe("the runbook catalog over HTTP", () => {
  it("lists the runbooks and shows one, to any role", async () => {
    const list = await call(runbooksRoute.GET, "GET", "/api/v1/runbooks", { token: tokens.viewer });
    expect(list.status).toBe(200);
    const { data } = (await list.json()) as { data: { slug: string }[] };
    expect(data.map((r) => r.slug)).toEqual(
      expect.arrayContaining([
        "high-error-rate",
        "service-down",
        "high-latency",
        "pod-crash-looping",
        "database-connections-exhausted",
        "disk-filling-up",
        "certificate-expiring",
      ]),
    );
    const one = await call(runbookRoute.GET, "GET", "/api/v1/runbooks/high-error-rate", {
      token: tokens.viewer,
      params: { slug: "high-error-rate" },
    });
    expect(await one.json()).toMatchObject({
      slug: "high-error-rate",
      version: 1,
      actions: [
        { id: "restart-deployment", auto: true, max_per_hour: 3 },
        { id: "rollback-last-deploy", requires_approval: true },
      ],
    });
  });

  it("answers front-matter problems with 400 and the failing fields, and saves a valid edit as a new version", async () => {
    const created = await call(runbooksRoute.POST, "POST", "/api/v1/runbooks", {
      token: tokens.responder,
      body: { markdown: "---\nslug: api-made\ntitle: Made\nalerts:\n  alertnames: [Made]\n---\n## Symptoms\n" },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("http://localhost:3000/api/v1/runbooks/api-made");
    const bad = await call(runbookRoute.PUT, "PUT", "/api/v1/runbooks/api-made", {
      token: tokens.responder,
      params: { slug: "api-made" },
      body: { base_version: 1, markdown: "---\nslug: api-made\ntitle: Made\nalerts: {}\n---\n" },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    expect((await bad.json()).errors).toEqual([
      { path: "front_matter.alerts", message: "line 4: name at least one alertname or label matcher" },
    ]);
    const good = await call(runbookRoute.PUT, "PUT", "/api/v1/runbooks/api-made", {
      token: tokens.responder,
      params: { slug: "api-made" },
      body: {
        base_version: 1,
        markdown: "---\nslug: api-made\ntitle: Made Better\nalerts:\n  alertnames: [Made]\n---\n## Symptoms\n",
      },
    });
    expect(await good.json()).toMatchObject({ changed: true, runbook: { version: 2, title: "Made Better" } });
    const versions = await call(versionsRoute.GET, "GET", "/api/v1/runbooks/api-made/versions", {
      token: tokens.viewer,
      params: { slug: "api-made" },
    });
    expect(((await versions.json()) as { data: { version: number }[] }).data.map((v) => v.version)).toEqual([2, 1]);
    const stale = await call(runbookRoute.PUT, "PUT", "/api/v1/runbooks/api-made", {
      token: tokens.responder,
      params: { slug: "api-made" },
      body: { base_version: 1, markdown: "---\nslug: api-made\ntitle: Old\nalerts:\n  alertnames: [Made]\n---\n" },
    });
    expect(stale.status).toBe(409);
  });

  it("answers 403 to a responder who writes a regular-expression matcher, which an admin may", async () => {
    const markdown =
      "---\nslug: api-regex\ntitle: Regex\nalerts:\n  matchers: ['alertname=~\"(.*.)*X\"']\n---\n## Symptoms\n";
    const refused = await call(runbooksRoute.POST, "POST", "/api/v1/runbooks", {
      token: tokens.responder,
      body: { markdown },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({
      detail: expect.stringContaining("Only an admin can add or change a regular-expression matcher"),
    });
    expect(
      (await call(runbooksRoute.POST, "POST", "/api/v1/runbooks", { token: tokens.admin, body: { markdown } })).status,
    ).toBe(201);
  });

  it("refuses a body the markdown renderer could not show in bounded time, saving nothing", async () => {
    const markdown = `---\nslug: thick-emphasis\ntitle: Thick\nalerts:\n  alertnames: [Thick]\n---\n## Steps\n\n${"*_".repeat(20_000)}\n`;
    const res = await call(runbooksRoute.POST, "POST", "/api/v1/runbooks", {
      token: tokens.responder,
      body: { markdown },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([
      {
        path: "markdown",
        message: expect.stringMatching(/^cannot be shown: the paragraph ending on line 9 has more than 500 emphasis/),
      },
    ]);
    const missing = await call(runbookRoute.GET, "GET", "/api/v1/runbooks/thick-emphasis", {
      token: tokens.viewer,
      params: { slug: "thick-emphasis" },
    });
    expect(missing.status).toBe(404);
  });

  it("exports the current version as a markdown file", async () => {
    const res = await call(exportRoute.GET, "GET", "/api/v1/runbooks/high-latency/export", {
      token: tokens.viewer,
      params: { slug: "high-latency" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="high-latency.md"');
    expect(await res.text()).toMatch(/^---\nslug: high-latency\n/);
  });
});

describe("an incident's runbook and its runs over HTTP", () => {
  it("shows the matched runbook with each action's target, takes a request and an approval", async () => {
    const incident = await declared({
      alertname: "DatabaseConnectionsExhausted",
      namespace: "data",
      client_deployment: "orders",
    });
    const params = { ref: incident.ref };
    const runbook = await call(incidentRunbookRoute.GET, "GET", `/api/v1/incidents/${incident.ref}/runbook`, {
      token: tokens.viewer,
      params,
    });
    expect(await runbook.json()).toMatchObject({
      runbook: { slug: "database-connections-exhausted" },
      reason:
        "matches alertname DatabaseConnectionsExhausted or PostgresqlTooManyConnections or MysqlTooManyConnections",
      targets: {
        "restart-pooler": [{ target: "deployment data/pgbouncer", problem: null }],
        "restart-leaking-client": [{ target: "deployment data/orders" }],
      },
    });

    const refused = await call(remediationsRoute.POST, "POST", `/api/v1/incidents/${incident.ref}/remediations`, {
      token: tokens.viewer,
      params,
      body: { action: "restart-pooler" },
    });
    expect(refused.status).toBe(403);
    const requested = await call(remediationsRoute.POST, "POST", `/api/v1/incidents/${incident.ref}/remediations`, {
      token: tokens.responder,
      params,
      body: { action: "restart-pooler" },
    });
    expect(requested.status).toBe(201);
    const run = (await requested.json()) as { id: string; status: string };
    expect(run.status).toBe("pending_approval");

    expect(
      (
        await call(approveRoute.POST, "POST", `/api/v1/remediations/${run.id}/approve`, {
          token: tokens.responder,
          params: { id: run.id },
        })
      ).status,
    ).toBe(403);
    const approved = await call(approveRoute.POST, "POST", `/api/v1/remediations/${run.id}/approve`, {
      token: tokens.admin,
      params: { id: run.id },
    });
    expect(await approved.json()).toMatchObject({
      id: run.id,
      status: "approved",
      decided_by: { name: "admin token" },
    });
    const list = await call(remediationsRoute.GET, "GET", `/api/v1/incidents/${incident.ref}/remediations`, {
      token: tokens.viewer,
      params,
    });
    expect(((await list.json()) as { data: { id: string; status: string; runbook: string }[] }).data).toEqual([
      expect.objectContaining({ id: run.id, status: "approved", runbook: "database-connections-exhausted" }),
    ]);
  });

  it("says there is no runbook for an incident nothing matches", async () => {
    const incident = await declared({ alertname: "SomethingElse" });
    const res = await call(incidentRunbookRoute.GET, "GET", `/api/v1/incidents/${incident.ref}/runbook`, {
      token: tokens.viewer,
      params: { ref: incident.ref },
    });
    expect(await res.json()).toEqual({ runbook: null, reason: null, targets: {} });
  });
});
