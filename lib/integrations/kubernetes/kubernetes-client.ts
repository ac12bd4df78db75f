// The Kubernetes API through @kubernetes/client-node 1.4 (2.x needs Node 22), pointed where the
// configuration says: KUBERNETES_API_URL + KUBERNETES_TOKEN (tests, out-of-cluster use), KUBECONFIG, or
// the pod's service account. Every call gets a timeout, and the patch calls their content type: the
// client's default is a JSON patch, which the API server refuses for the objects we send.
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Observable,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type ConfigurationOptions,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
} from "@kubernetes/client-node";
import type { Config } from "../../env";

export type KubernetesSource = Config["kubernetes"]["source"];

export interface KubernetesClient {
  apps: AppsV1Api;
  core: CoreV1Api;
  customObjects: CustomObjectsApi;
  /** The client's list-and-watch stream reader (Runbook resources). */
  watch: Watch;
  /** Where it points, for messages ("https://10.0.0.1:443"). */
  server: string;
}

const clients = new Map<string, KubernetesClient>();

/** A client for the configured cluster, or null when none is configured. */
export function kubernetesClient(source: KubernetesSource): KubernetesClient | null {
  if (source.kind === "none") return null;
  const key = JSON.stringify(source);
  let client = clients.get(key);
  if (!client) {
    const kc = new KubeConfig();
    if (source.kind === "url") {
      kc.loadFromOptions({
        // A plain-http server (a loopback fake, a kubectl proxy) is refused unless TLS checks are off; an
        // https server keeps them.
        clusters: [{ name: "vigil", server: source.url, skipTLSVerify: source.url.startsWith("http:") }],
        users: [{ name: "vigil", ...(source.token ? { token: source.token } : {}) }],
        contexts: [{ name: "vigil", cluster: "vigil", user: "vigil" }],
        currentContext: "vigil",
      });
    } else if (source.kind === "kubeconfig") {
      kc.loadFromFile(source.path);
    } else {
      kc.loadFromCluster();
    }
    client = {
      apps: kc.makeApiClient(AppsV1Api),
      core: kc.makeApiClient(CoreV1Api),
      customObjects: kc.makeApiClient(CustomObjectsApi),
      watch: new Watch(kc),
      server: kc.getCurrentCluster()?.server ?? "(unknown)",
    };
    clients.set(key, client);
  }
  return client;
}

/** Aborts the call after `ms`: the executor's timeout. */
function timeoutMiddleware(ms: number): ObservableMiddleware {
  return {
    pre: (context: RequestContext) => {
      context.setSignal(AbortSignal.timeout(ms));
      return new Observable(Promise.resolve(context));
    },
    post: (response: ResponseContext) => new Observable(Promise.resolve(response)),
  };
}

export const callOptions = (timeoutMs: number): ConfigurationOptions => ({
  middleware: [timeoutMiddleware(timeoutMs)],
  middlewareMergeStrategy: "append",
});
export const strategicMergePatch = (timeoutMs: number) =>
  setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch, callOptions(timeoutMs));
export const mergePatch = (timeoutMs: number) =>
  setHeaderOptions("Content-Type", PatchStrategy.MergePatch, callOptions(timeoutMs));
