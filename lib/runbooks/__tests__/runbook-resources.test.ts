// Runbooks as Kubernetes custom resources, end to end below the UI: the worker's watch against the fake
// Kubernetes API (list, watch with resourceVersion and bookmarks, 410 Gone), the catalog on real
// PostgreSQL, an admin's approval of the actions, and remediation requests that are denied until then.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { createIncident } from "@/lib/incidents/create-incident";
import { kubernetesClient } from "@/lib/integrations/kubernetes/kubernetes-client";
import { createLogger } from "@/lib/observability/logger";
import { requestRemediation } from "@/lib/remediation/request-remediation";
import { approveRunbookActions } from "@/lib/runbooks/approve-runbook-actions";
import { getRunbook, listRunbookVersions } from "@/lib/runbooks/read-runbooks";
import { updateRunbook } from "@/lib/runbooks/save-runbook";
import { runbookResourceHandlers } from "@/lib/runbooks/sync-runbook-resources";
import { watchRunbookResources } from "@/lib/runbooks/watch-runbook-resources";
import { admin, ctxOf, responder } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { FAKE_KUBERNETES_TOKEN, useRemediation } from "@/test/remediation";

const t = useTestDatabase();
const r = useRemediation(t, { REMEDIATION_NAMESPACES: "shop" });
const stop = new AbortController();
let watching: Promise<void>;

beforeAll(() => {
  const client = kubernetesClient({ kind: "url", url: r.k8s.url, token: FAKE_KUBERNETES_TOKEN })!;
  watching = watchRunbookResources({
    client,
    namespace: "shop",
    handlers: runbookResourceHandlers(t.db, "shop", r.settings),
    log: createLogger("silent"),
    signal: stop.signal,
    retryMs: 20,
  });
});
afterAll(async () => {
  stop.abort();
  await watching;
});

const spec = (overrides: Record<string, unknown> = {}) => ({
  title: "Checkout errors",
  alerts: { alertnames: ["CheckoutErrors"] },
  actions: [
    {
      id: "restart",
      title: "Restart checkout",
      type: "k8s.rollout_restart",
      max_per_hour: 50,
      params: { namespace: "shop", deployment: "checkout" },
    },
  ],
  body: "## Symptoms\n\nCheckout fails.\n",
  ...overrides,
});

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read().catch(() => undefined as T);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const runbook = (slug: string) => getRunbook({ ctx: ctxOf(t.db, responder), input: { slug } });
const watchRequests = () => r.k8s.received.filter((q) => q.resource === "runbook" && q.query?.watch === "true");
const listRequests = () => r.k8s.received.filter((q) => q.resource === "runbook" && q.query?.watch === undefined);

async function requestRestart(slug: string) {
  r.k8s.addDeployment({ namespace: "shop", name: "checkout" });
  const incident = await createIncident({ ctx: ctxOf(t.db, admin), input: { title: "checkout", severity: "P2" } });
  return requestRemediation({
    ctx: ctxOf(t.db, responder),
    input: { ref: incident.incident.ref, runbook: slug, action: "restart" },
    settings: r.settings,
  });
}

describe("Runbook custom resources", () => {
  it("syncs a new resource with its actions inactive until an admin approves that version", async () => {
    r.k8s.applyRunbook({ namespace: "shop", name: "checkout-errors", spec: spec() });
    const synced = await eventually(
      () => runbook("checkout-errors"),
      (rb) => rb.version === 1,
    );
    expect(synced).toMatchObject({
      source: "kubernetes",
      resource: { ref: "shop/checkout-errors", removed_at: null, problem: null, actions_approved: null },
      updated_by: { name: "shop/checkout-errors (Kubernetes)" },
    });
    expect(synced.actions_inactive).toMatch(/wait for an admin's approval/);
    expect(synced.body).toContain("Checkout fails.");

    const denied = await requestRestart("checkout-errors");
    expect(denied).toMatchObject({ status: "denied", reason: expect.stringMatching(/wait for an admin's approval/) });

    await expect(
      approveRunbookActions({ ctx: ctxOf(t.db, responder), input: { slug: "checkout-errors", version: 1 } }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const approved = await approveRunbookActions({
      ctx: ctxOf(t.db, admin),
      input: { slug: "checkout-errors", version: 1 },
    });
    expect(approved.runbook).toMatchObject({
      actions_inactive: null,
      resource: { actions_approved: { version: 1, by: "admin bot" } },
    });
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.action, "runbook.approve_actions"));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorName: "admin bot",
      details: { slug: "checkout-errors", resource: "shop/checkout-errors", version: 1 },
    });

    expect(await requestRestart("checkout-errors")).toMatchObject({ status: "approved" });
  });

  it("keeps the approval through a text-only change and drops it when the actions change", async () => {
    r.k8s.applyRunbook({
      namespace: "shop",
      name: "checkout-errors",
      spec: spec({ body: "## Symptoms\n\nCheckout fails, often after a deploy.\n" }),
    });
    const reworded = await eventually(
      () => runbook("checkout-errors"),
      (rb) => rb.version === 2,
    );
    expect(reworded.body).toContain("often after a deploy");
    expect(reworded.actions_inactive).toBeNull();

    const changed = spec();
    (changed.actions as { max_per_hour: number }[])[0]!.max_per_hour = 99;
    r.k8s.applyRunbook({ namespace: "shop", name: "checkout-errors", spec: changed });
    const rearmed = await eventually(
      () => runbook("checkout-errors"),
      (rb) => rb.version === 3,
    );
    expect(rearmed.actions_inactive).toMatch(/changed since an admin approved version 1/);
    expect(rearmed.resource?.actions_approved).toBeNull();
    await expect(
      approveRunbookActions({ ctx: ctxOf(t.db, admin), input: { slug: "checkout-errors", version: 2 } }),
    ).rejects.toMatchObject({ code: "conflict" });
  });

  it("is read-only in Vigil: edits go to the resource", async () => {
    const current = await runbook("checkout-errors");
    await expect(
      updateRunbook({
        ctx: ctxOf(t.db, admin),
        input: { slug: "checkout-errors", base_version: current.version, markdown: current.markdown + "\nmore\n" },
      }),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/edit the resource in Kubernetes/) });
  });

  it("resumes after a disconnect from the last resourceVersion it saw, bookmarks included", async () => {
    const lists = listRequests().length;
    // A change in a namespace this watch does not cover moves the resourceVersion; the bookmark tells the watch.
    r.k8s.applyRunbook({ namespace: "elsewhere", name: "other", spec: spec({ slug: "other-ns" }) });
    r.k8s.bookmark();
    const bookmarked = r.k8s.applyRunbook({ namespace: "elsewhere", name: "other", spec: spec({ slug: "other-ns" }) });
    r.k8s.bookmark();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const watchesBefore = watchRequests().length;
    r.k8s.disconnectWatches();
    r.k8s.applyRunbook({
      namespace: "shop",
      name: "checkout-errors",
      spec: spec({ title: "Checkout errors (resumed)" }),
    });
    const resumed = await eventually(
      () => runbook("checkout-errors"),
      (rb) => rb.title === "Checkout errors (resumed)",
    );
    expect(resumed.version).toBe(4);
    const again = watchRequests().slice(watchesBefore);
    expect(again[0]?.query).toMatchObject({ resourceVersion: bookmarked, allowWatchBookmarks: "true" });
    expect(listRequests().length).toBe(lists);
  });

  it("lists again on 410 Gone, and marks the runbook of a resource deleted meanwhile as removed", async () => {
    r.k8s.applyRunbook({ namespace: "shop", name: "short-lived", spec: spec({ title: "Short-lived" }) });
    await eventually(
      () => runbook("short-lived"),
      (rb) => rb.version === 1,
    );
    const lists = listRequests().length;
    // While the watch is away, a resource goes and the history it would resume from is compacted.
    r.k8s.disconnectWatches();
    r.k8s.deleteRunbook("shop", "short-lived");
    r.k8s.compact();
    const removed = await eventually(
      () => runbook("short-lived"),
      (rb) => rb.resource?.removed_at !== null,
    );
    expect(removed.actions_inactive).toMatch(/was deleted/);
    expect(listRequests().length).toBe(lists + 1);
    expect(r.k8s.openWatches()).toBe(1);
  });

  it("marks a runbook removed when the watch sees its resource deleted", async () => {
    r.k8s.applyRunbook({ namespace: "shop", name: "gone-soon", spec: spec({ title: "Gone soon" }) });
    await eventually(
      () => runbook("gone-soon"),
      (rb) => rb.version === 1,
    );
    r.k8s.deleteRunbook("shop", "gone-soon");
    const removed = await eventually(
      () => runbook("gone-soon"),
      (rb) => rb.resource?.removed_at !== null,
    );
    expect(removed.actions_inactive).toMatch(/was deleted/);
    const removals = await t.db.select().from(auditLog).where(eq(auditLog.action, "runbook.resource_removed"));
    expect(removals.map((a) => a.details.resource)).toContain("shop/gone-soon");
  });

  it("refuses a resource whose actions name a namespace REMEDIATION_NAMESPACES does not allow", async () => {
    const payments = spec({ title: "Payments" });
    (payments.actions as { params: { namespace: string } }[])[0]!.params.namespace = "payments";
    r.k8s.applyRunbook({ namespace: "shop", name: "payments", spec: payments });
    const refused = await eventually(
      () => runbook("payments"),
      (rb) => rb.version === 1,
    );
    expect(refused.resource?.problem).toMatch(
      /namespace payments, which REMEDIATION_NAMESPACES \(shop\) does not allow/,
    );
    expect(refused.actions_inactive).toMatch(/is refused/);
    await expect(
      approveRunbookActions({ ctx: ctxOf(t.db, admin), input: { slug: "payments", version: 1 } }),
    ).rejects.toMatchObject({ code: "conflict" });
  });

  it("leaves a runbook another source owns alone", async () => {
    r.k8s.applyRunbook({ namespace: "shop", name: "high-error-rate", spec: spec({ title: "Hijack" }) });
    r.k8s.applyRunbook({ namespace: "shop", name: "marker", spec: spec({ title: "Marker" }) });
    await eventually(
      () => runbook("marker"),
      (rb) => rb.version === 1,
    );
    const shipped = await runbook("high-error-rate");
    expect(shipped).toMatchObject({ source: "file", resource: null });
    expect(
      (await listRunbookVersions({ ctx: ctxOf(t.db, responder), input: { slug: "high-error-rate" } })).length,
    ).toBe(1);
  });
});
