// The three Kubernetes actions remediation takes, each safe to repeat for the same run:
// - rollout restart sets the pod template annotation kubectl sets, to the run's own timestamp: sent again,
//   it changes nothing (the template is already that), so no second rollout happens;
// - scale sets an absolute replica count through the scale subresource;
// - delete pod deletes one named pod; once it is gone there is nothing left to delete.
// A retry after a crash (`recovered`) first reads the object and adopts the earlier attempt's effect when
// it is there, so the API sees the change once. A dry run only reads.
import { ApiException } from "@kubernetes/client-node";
import { callOptions, mergePatch, strategicMergePatch, type KubernetesClient } from "./kubernetes-client";

export interface KubernetesCall {
  client: KubernetesClient;
  timeoutMs: number;
  dryRun: boolean;
  recovered: boolean;
}

export interface ActionOutcome {
  ok: boolean;
  output: string;
}

export const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

export async function restartDeployment(
  call: KubernetesCall,
  namespace: string,
  name: string,
  stamp: string,
): Promise<ActionOutcome> {
  const what = `deployment ${namespace}/${name}`;
  return explained(what, call, async () => {
    const deployment = await call.client.apps.readNamespacedDeployment(
      { name, namespace },
      callOptions(call.timeoutMs),
    );
    const replicas = deployment.spec?.replicas ?? 0;
    // kubectl refuses too: a paused deployment would not roll out the new template.
    if (deployment.spec?.paused)
      return { ok: false, output: `${what} is paused: resume it (kubectl rollout resume) before restarting` };
    if (deployment.spec?.template?.metadata?.annotations?.[RESTARTED_AT] === stamp) {
      return {
        ok: true,
        output: `${what} was already restarted by this run (${RESTARTED_AT}=${stamp}); not restarted again`,
      };
    }
    if (call.dryRun)
      return { ok: true, output: `Dry run: would restart ${what} (${replicas} replicas); nothing was changed` };
    const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: stamp } } } } };
    await call.client.apps.patchNamespacedDeployment({ name, namespace, body }, strategicMergePatch(call.timeoutMs));
    return {
      ok: true,
      output: `Restarted ${what} (rolling restart of ${replicas} replicas, ${RESTARTED_AT}=${stamp})`,
    };
  });
}

export async function scaleDeployment(
  call: KubernetesCall,
  namespace: string,
  name: string,
  replicas: number,
): Promise<ActionOutcome> {
  const what = `deployment ${namespace}/${name}`;
  return explained(what, call, async () => {
    const scale = await call.client.apps.readNamespacedDeploymentScale(
      { name, namespace },
      callOptions(call.timeoutMs),
    );
    const current = scale.spec?.replicas ?? 0;
    if (current === replicas)
      return { ok: true, output: `${what} already has ${replicas} replicas; nothing to change` };
    if (call.dryRun)
      return {
        ok: true,
        output: `Dry run: would scale ${what} from ${current} to ${replicas} replicas; nothing was changed`,
      };
    const body = { spec: { replicas } };
    const after = await call.client.apps.patchNamespacedDeploymentScale(
      { name, namespace, body },
      mergePatch(call.timeoutMs),
    );
    return { ok: true, output: `Scaled ${what} from ${current} to ${after.spec?.replicas ?? replicas} replicas` };
  });
}

export async function deletePod(call: KubernetesCall, namespace: string, name: string): Promise<ActionOutcome> {
  const what = `pod ${namespace}/${name}`;
  return explained(what, call, async () => {
    let pod;
    try {
      pod = await call.client.core.readNamespacedPod({ name, namespace }, callOptions(call.timeoutMs));
    } catch (error) {
      if (call.recovered && error instanceof ApiException && error.code === 404)
        return { ok: true, output: `${what} is gone: deleted by this run's earlier attempt` };
      throw error;
    }
    if (pod.metadata?.deletionTimestamp)
      return {
        ok: true,
        output: `${what} is already being deleted (since ${new Date(pod.metadata.deletionTimestamp).toISOString()})`,
      };
    if (call.dryRun)
      return {
        ok: true,
        output: `Dry run: would delete ${what} (${pod.status?.phase ?? "unknown phase"}); nothing was changed`,
      };
    await call.client.core.deleteNamespacedPod({ name, namespace }, callOptions(call.timeoutMs));
    const owner = pod.metadata?.ownerReferences?.[0];
    return { ok: true, output: `Deleted ${what}${owner ? `; its ${owner.kind} ${owner.name} replaces it` : ""}` };
  });
}

/** Runs `work`, turning Kubernetes' refusals and silences into an outcome people can read. */
async function explained(
  what: string,
  call: KubernetesCall,
  work: () => Promise<ActionOutcome>,
): Promise<ActionOutcome> {
  try {
    return await work();
  } catch (error) {
    return { ok: false, output: describeFailure(what, call, error) };
  }
}

export function describeFailure(
  what: string,
  call: Pick<KubernetesCall, "client" | "timeoutMs">,
  error: unknown,
): string {
  if (error instanceof ApiException) {
    const message = statusMessage(error.body);
    if (error.code === 404) return `${what} was not found (Kubernetes answered 404${message ? `: ${message}` : ""})`;
    if (error.code === 403)
      return `Vigil's service account may not do this to ${what} (Kubernetes answered 403${message ? `: ${message}` : ""}); see deploy/kubernetes (remediation Role)`;
    if (error.code === 401)
      return `Kubernetes did not accept Vigil's credentials (401${message ? `: ${message}` : ""})`;
    return `Kubernetes answered ${error.code} for ${what}${message ? `: ${message}` : ""}`;
  }
  const name = (error as Error).name;
  if (name === "AbortError" || name === "TimeoutError")
    return `No answer from Kubernetes (${call.client.server}) within ${formatTimeout(call.timeoutMs)} for ${what}; it may or may not have been applied`;
  const cause =
    (error as { cause?: { code?: string }; code?: string }).code ??
    (error as { cause?: { code?: string } }).cause?.code;
  return `Could not reach Kubernetes at ${call.client.server} for ${what}: ${cause ?? (error as Error).message}`;
}

/** The `message` of a Kubernetes Status body (a JSON string in ApiException.body). */
function statusMessage(body: unknown): string | null {
  if (typeof body === "string") {
    try {
      return statusMessage(JSON.parse(body) as unknown);
    } catch {
      return body.slice(0, 300) || null;
    }
  }
  if (body && typeof body === "object" && "message" in body && typeof body.message === "string") return body.message;
  return null;
}

export const formatTimeout = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);
