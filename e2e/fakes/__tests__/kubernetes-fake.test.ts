// The fake Kubernetes API answers @kubernetes/client-node 1.4 the way an API server does, and checks what
// Vigil must get right: method, path and the patch content types. Also Vigil's own workload actions
// against it: idempotent per run, and readable failures.
import { ApiException, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { kubernetesClient } from "@/lib/integrations/kubernetes/kubernetes-client";
import { deletePod, restartDeployment, scaleDeployment } from "@/lib/integrations/kubernetes/workload-actions";
import { fakeControl, MERGE_PATCH, startFakeKubernetes, STRATEGIC_MERGE_PATCH, type FakeKubernetes } from "../index";

const TOKEN = "test-kubernetes-token";
let k8s: FakeKubernetes;
beforeAll(async () => {
  k8s = await startFakeKubernetes({ token: TOKEN });
});
afterAll(() => k8s.close());
beforeEach(() => {
  k8s.reset();
  k8s.addDeployment({ namespace: "shop", name: "checkout", replicas: 3 });
  k8s.addPod({ namespace: "shop", name: "checkout-7d9f8-abcde" });
});

const client = (token = TOKEN) => kubernetesClient({ kind: "url", url: k8s.url, token })!;
const call = (overrides: Partial<{ dryRun: boolean; recovered: boolean; timeoutMs: number }> = {}) => ({
  client: client(),
  timeoutMs: 2000,
  dryRun: false,
  recovered: false,
  ...overrides,
});
const failureOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as ApiException<string>,
  );

describe("the fake Kubernetes API, through @kubernetes/client-node", () => {
  it("restarts a deployment with a strategic merge patch of the pod template annotation", async () => {
    const body = {
      spec: {
        template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2026-11-28T06:30:00.000Z" } } },
      },
    };
    const patched = await client().apps.patchNamespacedDeployment(
      { name: "checkout", namespace: "shop", body },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    expect(patched.spec?.template?.metadata?.annotations).toEqual({
      "kubectl.kubernetes.io/restartedAt": "2026-11-28T06:30:00.000Z",
    });
    expect(k8s.received.at(-1)).toMatchObject({
      method: "PATCH",
      path: "/apis/apps/v1/namespaces/shop/deployments/checkout",
      contentType: STRATEGIC_MERGE_PATCH,
      status: 200,
      authorized: true,
    });
    expect(k8s.deployment("shop", "checkout")?.restarts).toEqual(["2026-11-28T06:30:00.000Z"]);
  });

  it("refuses the client's default JSON patch and other content types, like a strict API server", async () => {
    const body = { spec: { replicas: 5 } };
    const jsonPatch = await failureOf(
      client().apps.patchNamespacedDeploymentScale({ name: "checkout", namespace: "shop", body }),
    );
    expect(jsonPatch?.code).toBe(400);
    const wrongType = await failureOf(
      client().apps.patchNamespacedDeploymentScale(
        { name: "checkout", namespace: "shop", body },
        setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(wrongType?.code).toBe(415);
    expect(k8s.deployment("shop", "checkout")?.replicas).toBe(3);
  });

  it("reads and patches the Scale object with a merge patch", async () => {
    const scale = await client().apps.readNamespacedDeploymentScale({ name: "checkout", namespace: "shop" });
    expect(scale).toMatchObject({
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      spec: { replicas: 3 },
      status: { replicas: 3, selector: "app=checkout" },
    });
    const after = await client().apps.patchNamespacedDeploymentScale(
      { name: "checkout", namespace: "shop", body: { spec: { replicas: 5 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(after.spec?.replicas).toBe(5);
    expect(k8s.received.at(-1)).toMatchObject({
      method: "PATCH",
      path: "/apis/apps/v1/namespaces/shop/deployments/checkout/scale",
      contentType: MERGE_PATCH,
    });
  });

  it("answers 404 with a Status for an unknown deployment, 401 for a wrong token, and deletes pods", async () => {
    const missing = await failureOf(client().apps.readNamespacedDeployment({ name: "nope", namespace: "shop" }));
    expect(missing?.code).toBe(404);
    expect(JSON.parse(missing!.body)).toMatchObject({
      kind: "Status",
      reason: "NotFound",
      message: 'deployments.apps "nope" not found',
      code: 404,
    });
    expect(
      (await failureOf(client("wrong").apps.readNamespacedDeployment({ name: "checkout", namespace: "shop" })))?.code,
    ).toBe(401);
    const deleted = await client().core.deleteNamespacedPod({ name: "checkout-7d9f8-abcde", namespace: "shop" });
    expect(deleted.metadata?.deletionTimestamp).toBeDefined();
    expect(k8s.pod("shop", "checkout-7d9f8-abcde")).toBeUndefined();
  });

  it("fails on plan and serves its state over the control routes", async () => {
    k8s.fail({ times: 1, status: 503, only: "GET deployment" });
    expect(
      (await failureOf(client().apps.readNamespacedDeployment({ name: "checkout", namespace: "shop" })))?.code,
    ).toBe(503);
    await fakeControl(k8s.url).post("deployments", { namespace: "payments", name: "ledger", replicas: 2 });
    expect(await fakeControl(k8s.url).get("deployment", { namespace: "payments", name: "ledger" })).toMatchObject({
      replicas: 2,
      restarts: [],
    });
  });
});

describe("Vigil's workload actions", () => {
  it("restart once per run: the same run's stamp sent again is found already applied", async () => {
    expect(await restartDeployment(call(), "shop", "checkout", "2026-11-28T06:30:00.000Z")).toEqual({
      ok: true,
      output: expect.stringMatching(/^Restarted deployment shop\/checkout \(rolling restart of 3 replicas/),
    });
    expect(
      await restartDeployment(call({ recovered: true }), "shop", "checkout", "2026-11-28T06:30:00.000Z"),
    ).toMatchObject({ ok: true, output: expect.stringContaining("already restarted by this run") });
    expect(k8s.received.filter((r) => r.method === "PATCH")).toHaveLength(1);
    expect(k8s.deployment("shop", "checkout")?.restarts).toHaveLength(1);
  });

  it("refuse to restart a paused deployment, and say why an unknown one failed", async () => {
    k8s.addDeployment({ namespace: "shop", name: "paused", paused: true });
    expect(await restartDeployment(call(), "shop", "paused", "s")).toMatchObject({
      ok: false,
      output: expect.stringContaining("is paused"),
    });
    expect(await restartDeployment(call(), "shop", "nope", "s")).toEqual({
      ok: false,
      output: 'deployment shop/nope was not found (Kubernetes answered 404: deployments.apps "nope" not found)',
    });
  });

  it("scale to an absolute count, changing nothing when it is already there", async () => {
    expect(await scaleDeployment(call(), "shop", "checkout", 5)).toEqual({
      ok: true,
      output: "Scaled deployment shop/checkout from 3 to 5 replicas",
    });
    expect(await scaleDeployment(call(), "shop", "checkout", 5)).toEqual({
      ok: true,
      output: "deployment shop/checkout already has 5 replicas; nothing to change",
    });
    expect(k8s.received.filter((r) => r.method === "PATCH")).toHaveLength(1);
  });

  it("delete a pod once; a recovered attempt finds it gone", async () => {
    expect(await deletePod(call(), "shop", "checkout-7d9f8-abcde")).toMatchObject({
      ok: true,
      output: expect.stringMatching(
        /^Deleted pod shop\/checkout-7d9f8-abcde; its ReplicaSet checkout-7d9f8 replaces it/,
      ),
    });
    expect(await deletePod(call({ recovered: true }), "shop", "checkout-7d9f8-abcde")).toMatchObject({
      ok: true,
      output: expect.stringContaining("is gone"),
    });
    expect(await deletePod(call(), "shop", "checkout-7d9f8-abcde")).toMatchObject({
      ok: false,
      output: expect.stringContaining("was not found"),
    });
  });

  it("change nothing in a dry run", async () => {
    expect(await restartDeployment(call({ dryRun: true }), "shop", "checkout", "s")).toMatchObject({
      ok: true,
      output: expect.stringMatching(/^Dry run: would restart/),
    });
    expect(await scaleDeployment(call({ dryRun: true }), "shop", "checkout", 4)).toMatchObject({
      ok: true,
      output: expect.stringMatching(/^Dry run: would scale deployment shop\/checkout from 3 to 4/),
    });
    expect(k8s.received.every((r) => r.method === "GET")).toBe(true);
  });

  it("give up after the timeout, saying the change may or may not have happened", async () => {
    k8s.fail({ times: 1, delayMs: 1500, only: "PATCH deployment" });
    const outcome = await restartDeployment(call({ timeoutMs: 300 }), "shop", "checkout", "s2");
    expect(outcome).toMatchObject({
      ok: false,
      output: expect.stringContaining("No answer from Kubernetes (http://127.0.0.1:"),
    });
    expect(outcome.output).toContain("within 300 ms for deployment shop/checkout; it may or may not have been applied");
  });
});

describe("Runbook custom resources in the fake: list and watch as the API server answers them", () => {
  /** Reads a watch's newline-delimited events until `count` arrived or the stream ended. */
  async function watchEvents(query: string, count: number, act: () => void = () => {}) {
    const res = await fetch(`${k8s.url}/apis/vigil.dev/v1/namespaces/shop/runbooks?watch=true&${query}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    act();
    let text = "";
    const events: { type: string; object: { code?: number; reason?: string; metadata?: Record<string, unknown> } }[] =
      [];
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      const lines = text.split("\n");
      text = lines.pop()!;
      for (const line of lines) if (line) events.push(JSON.parse(line));
    }
    await reader.cancel();
    return events;
  }

  it("lists with the collection's resourceVersion, and streams later changes and bookmarks from it", async () => {
    k8s.applyRunbook({ namespace: "shop", name: "a", spec: { title: "A" } });
    const list = (await (
      await fetch(`${k8s.url}/apis/vigil.dev/v1/namespaces/shop/runbooks`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).json()) as { kind: string; metadata: { resourceVersion: string }; items: unknown[] };
    expect(list).toMatchObject({ kind: "RunbookList", items: [{ kind: "Runbook", metadata: { name: "a" } }] });
    const events = await watchEvents(
      `resourceVersion=${list.metadata.resourceVersion}&allowWatchBookmarks=true`,
      3,
      () => {
        k8s.applyRunbook({ namespace: "shop", name: "a", spec: { title: "A2" } });
        k8s.deleteRunbook("shop", "a");
        k8s.bookmark();
      },
    );
    expect(events.map((e) => e.type)).toEqual(["MODIFIED", "DELETED", "BOOKMARK"]);
    expect(Number(events[2]!.object.metadata!.resourceVersion)).toBeGreaterThan(Number(list.metadata.resourceVersion));
  });

  it("answers a watch from a compacted resourceVersion with an ERROR event carrying 410 Expired", async () => {
    const old = k8s.applyRunbook({ namespace: "shop", name: "b", spec: { title: "B" } });
    k8s.applyRunbook({ namespace: "shop", name: "b", spec: { title: "B2" } });
    k8s.compact();
    const [event] = await watchEvents(`resourceVersion=${old}`, 1);
    expect(event).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
  });
});
