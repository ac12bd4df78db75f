// The worker's watch on Runbook custom resources, as Kubernetes controllers do it: list (and reconcile the
// catalog with what is listed), then watch from the list's resourceVersion with bookmarks. After a
// disconnect it watches again from the last resourceVersion it processed (an event or a bookmark); when
// the server answers 410 Gone (that version was compacted away) it lists afresh. Events are applied one at
// a time, in order; an event that could not be stored is seen again, since the watch resumes before it.
import type { KubernetesClient } from "../integrations/kubernetes/kubernetes-client";
import type { Logger } from "../observability/logger";
import type { RunbookResource } from "./sync-runbook-resources";

export interface RunbookWatchHandlers {
  /** A full list of the watched namespace (null: all): reconcile the catalog with it. */
  listed(resources: RunbookResource[]): Promise<void>;
  changed(resource: RunbookResource): Promise<void>;
  deleted(resource: RunbookResource): Promise<void>;
}

export interface RunbookWatchOptions {
  client: Pick<KubernetesClient, "customObjects" | "watch">;
  namespace: string | null;
  handlers: RunbookWatchHandlers;
  log: Logger;
  signal: AbortSignal;
  /** The wait before watching again after a disconnect; doubled after each failure, up to 30 s. */
  retryMs?: number;
}

const GROUP = "vigil.dev";
const VERSION = "v1";
const PLURAL = "runbooks";

interface WatchStatus {
  code?: number;
  message?: string;
}

class ResourceVersionGone extends Error {}

const isGone = (error: unknown) =>
  error instanceof ResourceVersionGone || (error as { statusCode?: number; code?: number })?.statusCode === 410;

/** Runs until `signal` aborts; never throws for the cluster's or the database's failures (it logs and retries). */
export async function watchRunbookResources(options: RunbookWatchOptions): Promise<void> {
  const { client, namespace, handlers, log, signal } = options;
  const baseRetryMs = options.retryMs ?? 1000;
  const path = namespace
    ? `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/${PLURAL}`
    : `/apis/${GROUP}/${VERSION}/${PLURAL}`;
  const state = { resourceVersion: null as string | null };
  let failures = 0;
  while (!signal.aborted) {
    try {
      if (state.resourceVersion === null) {
        const list = (await (namespace
          ? client.customObjects.listNamespacedCustomObject({
              group: GROUP,
              version: VERSION,
              namespace,
              plural: PLURAL,
            })
          : client.customObjects.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL }))) as {
          items?: RunbookResource[];
          metadata?: { resourceVersion?: string };
        };
        await handlers.listed(list.items ?? []);
        state.resourceVersion = list.metadata?.resourceVersion ?? "";
        log.info({ namespace, resources: list.items?.length ?? 0 }, "Runbook resources listed");
      }
      await watchOnce(options, path, state);
      failures = 0;
    } catch (error) {
      if (signal.aborted) break;
      if (isGone(error)) {
        log.info(
          { namespace, resourceVersion: state.resourceVersion },
          "Runbook watch expired (410 Gone): listing again",
        );
        state.resourceVersion = null;
        continue;
      }
      failures++;
      log.warn({ err: error, namespace, resourceVersion: state.resourceVersion }, "Runbook watch failed: retrying");
    }
    await pause(Math.min(baseRetryMs * 2 ** failures, 30_000), signal);
  }
}

/** One watch connection, until it closes; `state.resourceVersion` follows every event applied. */
async function watchOnce(
  { client, handlers, signal }: RunbookWatchOptions,
  path: string,
  state: { resourceVersion: string | null },
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let applied: Promise<void> = Promise.resolve();
    let failed: unknown = null;
    let controller: AbortController | null = null;
    const stop = (error: unknown) => {
      failed ??= error;
      controller?.abort();
    };
    const onAbort = () => controller?.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    const apply = async (type: string, object: RunbookResource & WatchStatus) => {
      if (failed) return;
      if (type === "ERROR") {
        stop(
          object.code === 410 ? new ResourceVersionGone(object.message) : new Error(object.message ?? "watch error"),
        );
        return;
      }
      if (type === "ADDED" || type === "MODIFIED") await handlers.changed(object);
      else if (type === "DELETED") await handlers.deleted(object);
      else if (type !== "BOOKMARK") return;
      state.resourceVersion = object.metadata?.resourceVersion ?? state.resourceVersion;
    };
    void client.watch
      .watch(
        path,
        { resourceVersion: state.resourceVersion ?? "", allowWatchBookmarks: true },
        (type: string, object: RunbookResource & WatchStatus) => {
          applied = applied.then(() => apply(type, object)).catch(stop);
        },
        (error: unknown) => {
          void applied.then(() => {
            signal.removeEventListener("abort", onAbort);
            if (failed) reject(failed);
            else if (error && !signal.aborted) reject(error);
            else resolve();
          });
        },
      )
      .then((c) => {
        controller = c;
        if (signal.aborted || failed) c.abort();
      });
  });
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
