// A runbook's execution history: runs of its actions across incidents, executed by the worker against the
// fake Kubernetes API, read back with filters, keyset pages, the success rate and the median duration,
// through the verb and GET /api/v1/runbooks/{slug}/runs.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { remediationRuns } from "@/db/schema";
import { createIncident } from "@/lib/incidents/create-incident";
import { requestRemediation } from "@/lib/remediation/request-remediation";
import { listRunbookRuns } from "@/lib/remediation/runbook-runs";
import { createRunbook } from "@/lib/runbooks/save-runbook";
import { admin, ctxOf, responder, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { drainJobs } from "@/test/jobs";
import { useRemediation } from "@/test/remediation";
import { call, useTestRuntime } from "@/test/runtime";
import * as runsRoute from "@/app/api/v1/runbooks/[slug]/runs/route";

const t = useTestDatabase();
// The remediation runtime (its Kubernetes is the fake) is installed after the test runtime, so it wins.
const tokens = useTestRuntime(t);
const r = useRemediation(t);

const markdown = `---
slug: runs-history
title: Runs history
alerts:
  alertnames: [RunsHistory]
actions:
  - { id: restart, title: Restart, type: k8s.rollout_restart, max_per_hour: 100, params: { namespace: shop, deployment: history-api } }
  - { id: restart-missing, title: Restart missing, type: k8s.rollout_restart, max_per_hour: 100, params: { namespace: shop, deployment: not-there } }
---
## Symptoms
`;

const declared = async (title: string) =>
  (await createIncident({ ctx: ctxOf(t.db, admin), input: { title, severity: "P2" } })).incident.ref;

/** Pins a run's times so the figures are known: requested on `day`, ran for `seconds`. */
async function pinTimes(id: string, day: string, seconds: number) {
  const requestedAt = new Date(`${day}T10:00:00Z`);
  await t.db
    .update(remediationRuns)
    .set({
      requestedAt,
      startedAt: new Date(requestedAt.getTime() + 1000),
      finishedAt: new Date(requestedAt.getTime() + 1000 + seconds * 1000),
    })
    .where(eq(remediationRuns.id, id));
}

const ids: Record<string, string> = {};
let incidents: string[] = [];

beforeAll(async () => {
  r.k8s.addDeployment({ namespace: "shop", name: "history-api", replicas: 2 });
  await createRunbook({ ctx: ctxOf(t.db, admin), input: { markdown } });
  incidents = [await declared("first"), await declared("second")];
  const ask = async (ref: string, action: string) =>
    (
      await requestRemediation({
        ctx: ctxOf(t.db, responder),
        input: { ref, action, runbook: "runs-history" },
        settings: r.settings,
      })
    ).id;
  ids.a = await ask(incidents[0]!, "restart");
  ids.b = await ask(incidents[0]!, "restart-missing");
  ids.c = await ask(incidents[1]!, "restart");
  ids.d = await ask(incidents[1]!, "restart");
  await drainJobs(t);
  await pinTimes(ids.a, "2026-11-01", 10);
  await pinTimes(ids.b, "2026-11-02", 20);
  await pinTimes(ids.c, "2026-11-03", 40);
  await pinTimes(ids.d, "2026-11-04", 30);
});

describe("a runbook's runs", () => {
  it("lists every run across incidents, newest first, with who asked, the outcome, the duration and the output", async () => {
    const runs = await listRunbookRuns({ ctx: ctxOf(t.db, viewer), input: { slug: "runs-history" } });
    expect(runs.data.map((run) => run.id)).toEqual([ids.d, ids.c, ids.b, ids.a]);
    expect(new Set(runs.data.map((run) => run.incident?.ref))).toEqual(new Set(incidents));
    expect(runs.data.find((run) => run.id === ids.b)).toMatchObject({
      action_id: "restart-missing",
      target: "deployment shop/not-there",
      status: "failed",
      automatic: false,
      requested_by: { name: "responder bot" },
      duration_ms: 20_000,
    });
    expect(runs.data.find((run) => run.id === ids.a)).toMatchObject({ status: "succeeded", duration_ms: 10_000 });
    expect(
      runs.data.find((run) => run.id === ids.b)?.output ?? runs.data.find((run) => run.id === ids.b)?.reason,
    ).toMatch(/not-there/);
    // Three succeeded (10 s, 40 s, 30 s), one failed (20 s): 75 %, median of 10/20/30/40 = 25 s.
    expect(runs.stats).toEqual({ runs: 4, succeeded: 3, failed: 1, success_rate: 0.75, median_duration_ms: 25_000 });
  });

  it("filters by outcome, action and date range; the figures follow the action and dates", async () => {
    const ctx = ctxOf(t.db, viewer);
    const failed = await listRunbookRuns({ ctx, input: { slug: "runs-history", outcome: "failed" } });
    expect(failed.data.map((run) => run.id)).toEqual([ids.b]);
    const restarts = await listRunbookRuns({ ctx, input: { slug: "runs-history", action: "restart" } });
    expect(restarts.data.map((run) => run.id)).toEqual([ids.d, ids.c, ids.a]);
    expect(restarts.stats).toMatchObject({ success_rate: 1, median_duration_ms: 30_000 });
    const early = await listRunbookRuns({ ctx, input: { slug: "runs-history", from: "2026-11-02", to: "2026-11-04" } });
    expect(early.data.map((run) => run.id)).toEqual([ids.c, ids.b]);
    expect(early.stats).toMatchObject({
      runs: 2,
      succeeded: 1,
      failed: 1,
      success_rate: 0.5,
      median_duration_ms: 30_000,
    });
  });

  it("pages with a cursor, each run once", async () => {
    const ctx = ctxOf(t.db, viewer);
    const first = await listRunbookRuns({ ctx, input: { slug: "runs-history", limit: 3 } });
    expect(first.data.map((run) => run.id)).toEqual([ids.d, ids.c, ids.b]);
    const second = await listRunbookRuns({
      ctx,
      input: { slug: "runs-history", limit: 3, cursor: first.next_cursor! },
    });
    expect(second.data.map((run) => run.id)).toEqual([ids.a]);
    expect(second.next_cursor).toBeNull();
  });

  it("answers over HTTP to a viewer, with 400 naming a bad filter and 404 for an unknown runbook", async () => {
    const ok = await call(runsRoute.GET, "GET", "/api/v1/runbooks/runs-history/runs?outcome=failed", {
      token: tokens.viewer,
      params: { slug: "runs-history" },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ runbook: { slug: "runs-history" }, data: [{ id: ids.b }] });
    const bad = await call(runsRoute.GET, "GET", "/api/v1/runbooks/runs-history/runs?outcome=sideways&cursor=x", {
      token: tokens.viewer,
      params: { slug: "runs-history" },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path)).toContain("outcome");
    const missing = await call(runsRoute.GET, "GET", "/api/v1/runbooks/nope/runs", {
      token: tokens.viewer,
      params: { slug: "nope" },
    });
    expect(missing.status).toBe(404);
    const anonymous = await call(runsRoute.GET, "GET", "/api/v1/runbooks/runs-history/runs", {
      params: { slug: "runs-history" },
    });
    expect(anonymous.status).toBe(401);
  });
});
