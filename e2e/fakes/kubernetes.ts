// A loopback fake of the Kubernetes API: the calls Vigil's remediation makes, answered like an API server
// does (../shared/PROTOCOLS.md): Deployments (GET, PATCH), their scale subresource (GET, PATCH with the
// autoscaling/v1 Scale object) and Pods (GET, DELETE), under Bearer auth, errors as `Status` objects.
//
// Stricter than a real API server on one point, on purpose: a PATCH must carry the content type Vigil
// ought to send — a strategic merge patch for the rollout restart, a merge patch for the scale — and any
// other is answered 415 (a JSON patch with an object body gets the real server's 400). The fake keeps the
// state those calls change, so a test can see the effect: a restart is a new value of the restartedAt
// template annotation (re-sending the same value changes nothing, as with the real thing).
//
// Runbook custom resources (runbooks.vigil.dev/v1) are listed and watched as the API server does it: a list
// carries the collection's resourceVersion; a watch (`?watch=true&resourceVersion=N`) streams one JSON
// event per line (ADDED, MODIFIED, DELETED, BOOKMARK when allowWatchBookmarks=true) for every change
// after N, and a version older than the compacted history gets an ERROR event with a 410 "Expired" Status.
// Tests change the resources, send bookmarks, cut every open watch, and compact the history.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  answerControl,
  answerThroughPlan,
  closeHttpServer,
  FailurePlans,
  now,
  readBody,
  sendJson,
  startHttpServer,
  type Answer,
  type Fake,
  type Recorded,
} from "./fake-server";

export const STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
export const MERGE_PATCH = "application/merge-patch+json";
const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

export type KubernetesResource = "deployment" | "scale" | "pod" | "runbook" | "unknown";

export interface KubernetesReceived extends Recorded {
  method: string;
  /** The request path without the query. */
  path: string;
  resource: KubernetesResource;
  namespace?: string;
  name?: string;
  /** The Content-Type header without parameters, when there was one. */
  contentType: string | null;
  authorized: boolean;
  body?: unknown;
  /** The query parameters (a watch's resourceVersion, allowWatchBookmarks). */
  query?: Record<string, string>;
}

export interface FakeDeployment {
  namespace: string;
  name: string;
  replicas: number;
  paused: boolean;
  /** The pod template's annotations. */
  templateAnnotations: Record<string, string>;
  generation: number;
  /** Every restartedAt value a patch set, in order: how many rollouts a restart caused. */
  restarts: string[];
}

export interface FakePod {
  namespace: string;
  name: string;
  phase: string;
  ownerKind: string;
  ownerName: string;
}

export interface FakeKubernetes extends Fake<KubernetesReceived> {
  token: string;
  addDeployment(spec: { namespace: string; name: string; replicas?: number; paused?: boolean }): void;
  addPod(spec: { namespace: string; name: string; phase?: string; ownerName?: string }): void;
  deployment(namespace: string, name: string): FakeDeployment | undefined;
  pod(namespace: string, name: string): FakePod | undefined;
  /** Creates or replaces a Runbook resource (ADDED or MODIFIED to the watches); returns its resourceVersion. */
  applyRunbook(spec: { namespace: string; name: string; spec: Record<string, unknown> }): string;
  /** Deletes a Runbook resource (DELETED to the watches). */
  deleteRunbook(namespace: string, name: string): void;
  /** Sends a BOOKMARK at the current resourceVersion to every watch that asked for bookmarks. */
  bookmark(): void;
  /** Ends every open watch response, as an API server restart or a load balancer timeout does. */
  disconnectWatches(): void;
  /** Forgets the event history so far: a watch from an older resourceVersion gets 410 Gone. */
  compact(): void;
  /** How many watches are open now. */
  openWatches(): number;
}

export interface FakeRunbookResource {
  apiVersion: "vigil.dev/v1";
  kind: "Runbook";
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string; generation: number };
  spec: Record<string, unknown>;
}

const status = (code: number, reason: string, message: string, details?: Record<string, unknown>) => ({
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message,
  reason,
  ...(details ? { details } : {}),
  code,
});

const reasons: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

interface Route {
  resource: KubernetesResource;
  namespace?: string;
  name?: string;
}

function routeOf(path: string): Route {
  const deployment = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)(\/scale)?$/.exec(path);
  if (deployment)
    return {
      resource: deployment[3] ? "scale" : "deployment",
      namespace: decodeURIComponent(deployment[1]!),
      name: decodeURIComponent(deployment[2]!),
    };
  const runbookList = /^\/apis\/vigil\.dev\/v1(?:\/namespaces\/([^/]+))?\/runbooks$/.exec(path);
  if (runbookList)
    return { resource: "runbook", ...(runbookList[1] ? { namespace: decodeURIComponent(runbookList[1]) } : {}) };
  const pod = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(path);
  if (pod) return { resource: "pod", namespace: decodeURIComponent(pod[1]!), name: decodeURIComponent(pod[2]!) };
  return { resource: "unknown" };
}

export async function startFakeKubernetes(options: { port?: number; token: string }): Promise<FakeKubernetes> {
  const { token } = options;
  const received: KubernetesReceived[] = [];
  const plans = new FailurePlans();
  const deployments = new Map<string, FakeDeployment & { uid: string }>();
  const pods = new Map<string, FakePod & { uid: string }>();
  let resourceVersion = 1000;
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  const runbookResources = new Map<string, FakeRunbookResource>();
  /** Every Runbook change since the last compaction, in order. */
  const runbookEvents: { rv: number; type: "ADDED" | "MODIFIED" | "DELETED"; object: FakeRunbookResource }[] = [];
  let compactedThrough = 0;
  const watches = new Set<{ namespace?: string; bookmarks: boolean; res: ServerResponse }>();
  const writeEvent = (res: ServerResponse, type: string, object: unknown) =>
    res.write(`${JSON.stringify({ type, object })}\n`);
  const publish = (type: "ADDED" | "MODIFIED" | "DELETED", object: FakeRunbookResource) => {
    runbookEvents.push({ rv: resourceVersion, type, object });
    for (const watch of watches)
      if (!watch.namespace || watch.namespace === object.metadata.namespace) writeEvent(watch.res, type, object);
  };
  const runbookList = (namespace?: string) => ({
    apiVersion: "vigil.dev/v1",
    kind: "RunbookList",
    metadata: { resourceVersion: String(resourceVersion) },
    items: [...runbookResources.values()].filter((r) => !namespace || r.metadata.namespace === namespace),
  });
  /** GET …/runbooks?watch=true: the stream stays open until the client leaves or the test cuts it. */
  const openWatch = (res: ServerResponse, route: Route, query: URLSearchParams) => {
    const from = Number(query.get("resourceVersion") || "0");
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    // The API server answers the headers at once; events follow as they happen.
    res.flushHeaders();
    if (from > 0 && from < compactedThrough) {
      writeEvent(res, "ERROR", {
        ...status(410, "Expired", `too old resource version: ${from} (${compactedThrough})`),
      });
      res.end();
      return;
    }
    const inScope = (r: FakeRunbookResource) => !route.namespace || r.metadata.namespace === route.namespace;
    // No version: the current objects as ADDED first (the API server's "synthetic" events), then changes.
    const backlog =
      from === 0
        ? [...runbookResources.values()].filter(inScope).map((object) => ({ type: "ADDED", object }))
        : runbookEvents.filter((e) => e.rv > from && inScope(e.object));
    for (const e of backlog) writeEvent(res, e.type, e.object);
    const watch = { namespace: route.namespace, bookmarks: query.get("allowWatchBookmarks") === "true", res };
    watches.add(watch);
    res.on("close", () => watches.delete(watch));
  };

  const deploymentJson = (d: FakeDeployment & { uid: string }) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: d.name,
      namespace: d.namespace,
      uid: d.uid,
      generation: d.generation,
      resourceVersion: String(resourceVersion),
    },
    spec: {
      replicas: d.replicas,
      ...(d.paused ? { paused: true } : {}),
      selector: { matchLabels: { app: d.name } },
      template: {
        metadata: {
          labels: { app: d.name },
          ...(Object.keys(d.templateAnnotations).length ? { annotations: { ...d.templateAnnotations } } : {}),
        },
        spec: { containers: [{ name: d.name, image: `${d.name}:1.0.0` }] },
      },
    },
    status: {
      observedGeneration: d.generation,
      replicas: d.replicas,
      readyReplicas: d.replicas,
      updatedReplicas: d.replicas,
      availableReplicas: d.replicas,
    },
  });
  const scaleJson = (d: FakeDeployment & { uid: string }) => ({
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: d.name, namespace: d.namespace, uid: d.uid, resourceVersion: String(resourceVersion) },
    spec: { replicas: d.replicas },
    status: { replicas: d.replicas, selector: `app=${d.name}` },
  });
  const podJson = (p: FakePod & { uid: string }, deleting = false) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: p.name,
      namespace: p.namespace,
      uid: p.uid,
      resourceVersion: String(resourceVersion),
      ownerReferences: [
        { apiVersion: "apps/v1", kind: p.ownerKind, name: p.ownerName, uid: randomUUID(), controller: true },
      ],
      ...(deleting
        ? {
            deletionTimestamp: new Date(Date.now() + 30_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
            deletionGracePeriodSeconds: 30,
          }
        : {}),
    },
    spec: { containers: [{ name: "app", image: "app:1.0.0" }] },
    status: { phase: p.phase },
  });

  const notFound = (route: Route) =>
    route.resource === "pod"
      ? {
          status: 404,
          body: status(404, "NotFound", `pods "${route.name}" not found`, { name: route.name, kind: "pods" }),
        }
      : {
          status: 404,
          body: status(404, "NotFound", `deployments.apps "${route.name}" not found`, {
            name: route.name,
            group: "apps",
            kind: "deployments",
          }),
        };

  const patchProblem = (contentType: string | null, expected: string, body: unknown): Answer | null => {
    if (contentType === "application/json-patch+json" && !Array.isArray(body)) {
      return {
        status: 400,
        body: status(400, "BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch"),
      };
    }
    if (contentType !== expected)
      return {
        status: 415,
        body: status(
          415,
          "UnsupportedMediaType",
          `the fake expects Content-Type ${expected} here, got ${contentType ?? "none"}`,
        ),
      };
    if (!isRecord(body))
      return { status: 400, body: status(400, "BadRequest", "the patch body must be a JSON object") };
    return null;
  };

  const handleApi = (method: string, route: Route, contentType: string | null, body: unknown): Answer => {
    if (route.resource === "runbook")
      return method === "GET"
        ? { status: 200, body: runbookList(route.namespace) }
        : { status: 405, body: status(405, "MethodNotAllowed", `${method} is not supported on runbooks here`) };
    if (route.resource === "unknown")
      return { status: 404, body: status(404, "NotFound", "the server could not find the requested resource") };
    const id = key(route.namespace!, route.name!);
    if (route.resource === "pod") {
      const pod = pods.get(id);
      if (method !== "GET" && method !== "DELETE")
        return { status: 405, body: status(405, "MethodNotAllowed", `${method} is not supported on pods here`) };
      if (!pod) return notFound(route);
      if (method === "GET") return { status: 200, body: podJson(pod) };
      pods.delete(id);
      resourceVersion++;
      return { status: 200, body: podJson(pod, true) };
    }
    const deployment = deployments.get(id);
    if (method !== "GET" && method !== "PATCH")
      return {
        status: 405,
        body: status(
          405,
          "MethodNotAllowed",
          `${method} is not supported on ${route.resource === "scale" ? "deployments/scale" : "deployments"} here`,
        ),
      };
    if (method === "PATCH") {
      const problem = patchProblem(contentType, route.resource === "scale" ? MERGE_PATCH : STRATEGIC_MERGE_PATCH, body);
      if (problem) return problem;
    }
    if (!deployment) return notFound(route);
    if (method === "GET")
      return { status: 200, body: route.resource === "scale" ? scaleJson(deployment) : deploymentJson(deployment) };
    const spec = isRecord(body) && isRecord(body.spec) ? body.spec : {};
    if (spec.replicas !== undefined) {
      if (typeof spec.replicas !== "number" || !Number.isInteger(spec.replicas) || spec.replicas < 0) {
        return {
          status: 422,
          body: status(
            422,
            "Invalid",
            `Scale.autoscaling "${route.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0`,
          ),
        };
      }
      deployment.replicas = spec.replicas;
    }
    if (route.resource === "deployment") {
      if (typeof spec.paused === "boolean") deployment.paused = spec.paused;
      const template = isRecord(spec.template) && isRecord(spec.template.metadata) ? spec.template.metadata : {};
      if (isRecord(template.annotations)) {
        const before = JSON.stringify(deployment.templateAnnotations);
        for (const [name, value] of Object.entries(template.annotations)) {
          if (value === null) delete deployment.templateAnnotations[name];
          else deployment.templateAnnotations[name] = String(value);
        }
        // A changed pod template is a new rollout; the same template again is none.
        if (JSON.stringify(deployment.templateAnnotations) !== before) {
          deployment.generation++;
          const restartedAt = deployment.templateAnnotations[RESTARTED_AT];
          if (restartedAt) deployment.restarts.push(restartedAt);
        }
      }
    }
    resourceVersion++;
    return { status: 200, body: route.resource === "scale" ? scaleJson(deployment) : deploymentJson(deployment) };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (await answerControl(req, res, controls)) return;
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const route = routeOf(url.pathname);
    const contentType = req.headers["content-type"]?.split(";")[0]?.trim() ?? null;
    const raw = (await readBody(req)).toString("utf8");
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return sendJson(res, 400, status(400, "BadRequest", "the request body is not JSON"));
    }
    const authorized = req.headers.authorization === `Bearer ${token}`;
    const watching =
      route.resource === "runbook" && method === "GET" && /^(true|1)$/.test(url.searchParams.get("watch") ?? "");
    if (watching && authorized && plans.take([`WATCH runbook`]) === undefined) {
      received.push({
        at: now(),
        status: 200,
        method,
        path: url.pathname,
        resource: route.resource,
        ...(route.namespace ? { namespace: route.namespace } : {}),
        contentType,
        authorized,
        query: Object.fromEntries(url.searchParams),
      });
      return openWatch(res, route, url.searchParams);
    }
    await answerThroughPlan(
      res,
      plans.take([`${method} ${route.resource}`, method]),
      (code) => ({
        status: code,
        body: status(code, reasons[code] ?? "InternalError", `the fake was told to fail with ${code}`),
      }),
      (): Answer =>
        authorized
          ? handleApi(method, route, contentType, body)
          : { status: 401, body: status(401, "Unauthorized", "Unauthorized") },
      (answer, flags) => {
        received.push({
          at: now(),
          status: answer.status,
          ...flags,
          method,
          path: url.pathname,
          resource: route.resource,
          ...(route.namespace ? { namespace: route.namespace, name: route.name } : {}),
          contentType,
          authorized,
          ...(body !== undefined ? { body } : {}),
          ...(url.search ? { query: Object.fromEntries(url.searchParams) } : {}),
        });
      },
    );
  };

  const addDeployment: FakeKubernetes["addDeployment"] = ({ namespace, name, replicas = 3, paused = false }) => {
    deployments.set(key(namespace, name), {
      namespace,
      name,
      replicas,
      paused,
      templateAnnotations: {},
      generation: 1,
      restarts: [],
      uid: randomUUID(),
    });
  };
  const addPod: FakeKubernetes["addPod"] = ({ namespace, name, phase = "Running", ownerName }) => {
    pods.set(key(namespace, name), {
      namespace,
      name,
      phase,
      ownerKind: "ReplicaSet",
      ownerName: ownerName ?? name.replace(/-[a-z0-9]{5}$/, ""),
      uid: randomUUID(),
    });
  };
  const cloneDeployment = (d: (FakeDeployment & { uid: string }) | undefined): FakeDeployment | undefined =>
    d && {
      namespace: d.namespace,
      name: d.name,
      replicas: d.replicas,
      paused: d.paused,
      templateAnnotations: { ...d.templateAnnotations },
      generation: d.generation,
      restarts: [...d.restarts],
    };

  const applyRunbook: FakeKubernetes["applyRunbook"] = ({ namespace, name, spec }) => {
    const existing = runbookResources.get(key(namespace, name));
    resourceVersion++;
    const object: FakeRunbookResource = {
      apiVersion: "vigil.dev/v1",
      kind: "Runbook",
      metadata: {
        name,
        namespace,
        uid: existing?.metadata.uid ?? randomUUID(),
        resourceVersion: String(resourceVersion),
        generation: (existing?.metadata.generation ?? 0) + 1,
      },
      spec: structuredClone(spec),
    };
    runbookResources.set(key(namespace, name), object);
    publish(existing ? "MODIFIED" : "ADDED", object);
    return String(resourceVersion);
  };
  const deleteRunbook: FakeKubernetes["deleteRunbook"] = (namespace, name) => {
    const existing = runbookResources.get(key(namespace, name));
    if (!existing) return;
    runbookResources.delete(key(namespace, name));
    resourceVersion++;
    publish("DELETED", { ...existing, metadata: { ...existing.metadata, resourceVersion: String(resourceVersion) } });
  };
  const bookmark = () => {
    for (const watch of watches)
      if (watch.bookmarks)
        writeEvent(watch.res, "BOOKMARK", {
          apiVersion: "vigil.dev/v1",
          kind: "Runbook",
          metadata: { resourceVersion: String(resourceVersion) },
        });
  };
  const disconnectWatches = () => {
    for (const watch of watches) watch.res.end();
    watches.clear();
  };
  const compact = () => {
    runbookEvents.length = 0;
    compactedThrough = resourceVersion;
  };

  const reset = () => {
    received.length = 0;
    plans.clear();
    deployments.clear();
    pods.clear();
    disconnectWatches();
    runbookResources.clear();
    runbookEvents.length = 0;
  };
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const controls = {
    received: () => received,
    fail: plans.add.bind(plans),
    reset,
    routes: {
      "POST deployments": ({ body }: { body: unknown }) => {
        const b = isRecord(body) ? body : {};
        const namespace = str(b.namespace);
        const name = str(b.name);
        if (!namespace || !name) throw new Error("a deployment needs namespace and name");
        addDeployment({
          namespace,
          name,
          ...(typeof b.replicas === "number" ? { replicas: b.replicas } : {}),
          ...(typeof b.paused === "boolean" ? { paused: b.paused } : {}),
        });
        return { ok: true };
      },
      "POST pods": ({ body }: { body: unknown }) => {
        const b = isRecord(body) ? body : {};
        const namespace = str(b.namespace);
        const name = str(b.name);
        if (!namespace || !name) throw new Error("a pod needs namespace and name");
        addPod({ namespace, name, ...(str(b.phase) ? { phase: str(b.phase) } : {}) });
        return { ok: true };
      },
      "GET deployment": ({ query }: { query: URLSearchParams }) =>
        cloneDeployment(deployments.get(key(query.get("namespace") ?? "", query.get("name") ?? ""))) ?? null,
      "POST runbooks": ({ body }: { body: unknown }) => {
        const b = isRecord(body) ? body : {};
        const namespace = str(b.namespace);
        const name = str(b.name);
        if (!namespace || !name || !isRecord(b.spec)) throw new Error("a Runbook needs namespace, name and spec");
        return { resourceVersion: applyRunbook({ namespace, name, spec: b.spec }) };
      },
      "POST disconnect-watches": () => {
        disconnectWatches();
        return { ok: true };
      },
    },
  };

  const { server, url } = await startHttpServer(options.port, handle);
  return {
    url,
    token,
    received,
    fail: (plan) => plans.add(plan),
    reset,
    close: () => {
      disconnectWatches();
      return closeHttpServer(server);
    },
    addDeployment,
    addPod,
    applyRunbook,
    deleteRunbook,
    bookmark,
    disconnectWatches,
    compact,
    openWatches: () => watches.size,
    deployment: (namespace, name) => cloneDeployment(deployments.get(key(namespace, name))),
    pod: (namespace, name) => {
      const p = pods.get(key(namespace, name));
      return (
        p && { namespace: p.namespace, name: p.name, phase: p.phase, ownerKind: p.ownerKind, ownerName: p.ownerName }
      );
    },
  };
}
