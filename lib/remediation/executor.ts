// Carries out one run's action: Kubernetes through its client, or an HTTP POST, each within the timeout.
// The run's parameters were resolved when it was requested; they are checked again here, since they come
// back from the database.
import { z } from "zod";
import { kubernetesClient, type KubernetesSource } from "../integrations/kubernetes/kubernetes-client";
import {
  deletePod,
  formatTimeout,
  restartDeployment,
  scaleDeployment,
  type ActionOutcome,
} from "../integrations/kubernetes/workload-actions";
import type { ResolvedAction } from "./action-target";

export interface ExecutionRequest {
  runId: string;
  params: Record<string, unknown>;
  /** The run's first start (ISO 8601): the same for every attempt, so a repeated restart is no new rollout. */
  stamp: string;
  dryRun: boolean;
  /** An earlier attempt died mid-run: look before acting again. */
  recovered: boolean;
  timeoutMs: number;
}

export interface RemediationExecutor {
  execute(request: ExecutionRequest): Promise<ActionOutcome>;
}

const name = z.string().min(1).max(253);
const ResolvedActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("k8s.rollout_restart"), namespace: name, deployment: name }),
  z.object({
    type: z.literal("k8s.scale"),
    namespace: name,
    deployment: name,
    replicas: z.number().int().min(0),
    min_replicas: z.number().int(),
    max_replicas: z.number().int(),
  }),
  z.object({ type: z.literal("k8s.delete_pod"), namespace: name, pod: name }),
  z.object({
    type: z.literal("http.post"),
    url: z.url(),
    body: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
  }),
]);

export function createExecutor(options: {
  kubernetes: KubernetesSource;
  appUrl: string;
  fetch?: typeof fetch;
}): RemediationExecutor {
  return {
    async execute(request) {
      const parsed = ResolvedActionSchema.safeParse(request.params);
      if (!parsed.success)
        return {
          ok: false,
          output: `The run's parameters are not usable: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
        };
      const action: ResolvedAction = parsed.data;
      if (action.type === "http.post") return postHook(action, request, options.fetch ?? fetch, options.appUrl);
      const client = kubernetesClient(options.kubernetes);
      if (!client)
        return {
          ok: false,
          output:
            "Kubernetes is not configured: set KUBECONFIG or KUBERNETES_API_URL, or run the worker in the cluster",
        };
      const call = { client, timeoutMs: request.timeoutMs, dryRun: request.dryRun, recovered: request.recovered };
      switch (action.type) {
        case "k8s.rollout_restart":
          return restartDeployment(call, action.namespace, action.deployment, request.stamp);
        case "k8s.scale":
          return scaleDeployment(call, action.namespace, action.deployment, action.replicas);
        case "k8s.delete_pod":
          return deletePod(call, action.namespace, action.pod);
      }
    },
  };
}

async function postHook(
  action: Extract<ResolvedAction, { type: "http.post" }>,
  request: ExecutionRequest,
  doFetch: typeof fetch,
  appUrl: string,
): Promise<ActionOutcome> {
  const target = `POST ${action.url}`;
  // Whether an interrupted POST took effect cannot be asked of an arbitrary hook: it is not sent again.
  if (request.recovered)
    return {
      ok: false,
      output: `The worker stopped while ${target} was under way; whether it took effect is unknown, so it is not sent again (it carried Idempotency-Key ${request.runId})`,
    };
  const body = action.body ?? { run_id: request.runId, source: "vigil", app_url: appUrl };
  if (request.dryRun)
    return { ok: true, output: `Dry run: would ${target} with ${JSON.stringify(body)}; nothing was sent` };
  try {
    const res = await doFetch(action.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": request.runId,
        "user-agent": "Vigil remediation",
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: "manual",
    });
    const text = (await res.text()).slice(0, 500);
    return {
      ok: res.status >= 200 && res.status < 300,
      output: `${target} answered ${res.status}${text ? `: ${text}` : ""}`,
    };
  } catch (error) {
    const errorName = (error as Error).name;
    if (errorName === "TimeoutError" || errorName === "AbortError")
      return {
        ok: false,
        output: `${target}: no answer within ${formatTimeout(request.timeoutMs)}; it may or may not have taken effect`,
      };
    return {
      ok: false,
      output: `${target} failed: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`,
    };
  }
}
