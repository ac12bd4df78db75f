// Runbook custom resources (runbooks.vigil.dev/v1, deploy/kubernetes/base/runbook-crd.yaml) into the
// catalog, through the same writer as files in runbooks/ (syncRunbookOrigin). A resource's spec is the
// file's front matter plus `body`, the markdown; it becomes the same document a file would be. What the
// watch sees (watch-runbook-resources.ts) lands here: an added or changed resource is synced, a deleted one
// marks its runbook removed, and a fresh list removes the ones no longer listed.
import { and, isNotNull, isNull, like } from "drizzle-orm";
import { stringify } from "yaml";
import type { DbOrTx } from "@/db/client";
import { runbooks } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { systemActor, type Ctx } from "../context";
import type { Logger } from "../observability/logger";
import type { RunbookWatchHandlers } from "./watch-runbook-resources";
import { parseRunbookDocument, type RunbookDocument } from "./runbook-document";
import { markRunbookResourceRemoved } from "./runbook-store";
import {
  problemText,
  sha256,
  syncRunbookOrigin,
  withCatalogLock,
  type RunbookOrigin,
  type SyncReport,
} from "./sync-runbook-files";

export const runbookResourceApi = { group: "vigil.dev", version: "v1", plural: "runbooks", kind: "Runbook" } as const;

/** A Runbook object as the Kubernetes API sends it (only what the sync reads). */
export interface RunbookResource {
  metadata?: { namespace?: string; name?: string; resourceVersion?: string };
  spec?: Record<string, unknown>;
}

export const resourceRefOf = (resource: RunbookResource) =>
  `${resource.metadata?.namespace ?? "default"}/${resource.metadata?.name ?? ""}`;

/** The runbook document a resource stands for: its spec as front matter (slug defaults to its name), then `body`. */
export function runbookMarkdownOf(resource: RunbookResource): string {
  const { body, ...frontMatter } = resource.spec ?? {};
  const yaml = stringify({ slug: resource.metadata?.name, ...frontMatter });
  return `---\n${yaml}---\n${typeof body === "string" ? body : ""}`;
}

/**
 * Why a resource's actions are refused, or null: each Kubernetes action must name a namespace
 * REMEDIATION_NAMESPACES allows. A template (`{{labels.namespace}}`) is checked by the policy when it is
 * filled, which needs the list set; with no list, a resource may not act on Kubernetes at all.
 */
export function refusedNamespaces(document: RunbookDocument, allowed: readonly string[]): string | null {
  const problems = document.frontMatter.actions.flatMap((action) => {
    const namespace = "namespace" in action.params ? action.params.namespace : null;
    if (namespace === null) return [];
    if (allowed.length === 0)
      return [`action ${action.id} names namespace ${namespace}, and REMEDIATION_NAMESPACES allows none`];
    if (namespace.includes("{{") || allowed.includes(namespace)) return [];
    return [
      `action ${action.id} names namespace ${namespace}, which REMEDIATION_NAMESPACES (${allowed.join(", ")}) does not allow`,
    ];
  });
  return problems.length > 0 ? problems.join("; ") : null;
}

export interface ResourceSyncSettings {
  /** REMEDIATION_NAMESPACES. */
  namespaces: readonly string[];
}

const catalogCtx = (db: DbOrTx, now: Date): Ctx => ({ db, actor: systemActor("Runbook catalog"), now });
const emptyReport = (): SyncReport => ({ created: [], updated: [], adopted: [], unchanged: [], skipped: [] });

function originOf(resource: RunbookResource, settings: ResourceSyncSettings, report: SyncReport): RunbookOrigin | null {
  const ref = resourceRefOf(resource);
  const markdown = runbookMarkdownOf(resource);
  const parsed = parseRunbookDocument(markdown);
  if (!parsed.ok) {
    report.skipped.push({ file: ref, problems: parsed.errors.map(problemText) });
    return null;
  }
  return {
    kind: "kubernetes",
    ref,
    markdown,
    hash: sha256(markdown),
    document: parsed.document,
    columns: { resourceProblem: refusedNamespaces(parsed.document, settings.namespaces), removedAt: null },
  };
}

/** An added or changed resource: synced like a file (a new version only when its document changed). */
export async function applyRunbookResource(
  db: DbOrTx,
  resource: RunbookResource,
  settings: ResourceSyncSettings,
  now: Date,
  log?: Logger,
): Promise<SyncReport> {
  const report = emptyReport();
  const origin = originOf(resource, settings, report);
  if (origin) await withCatalogLock(catalogCtx(db, now), (txCtx) => syncRunbookOrigin(txCtx, origin, report));
  logSkipped(report, log);
  return report;
}

/** A deleted resource: its runbook stays (history, runs) and is marked removed; its actions stop acting. */
export async function removeRunbookResource(db: DbOrTx, ref: string, now: Date): Promise<boolean> {
  return withCatalogLock(catalogCtx(db, now), async (txCtx) => {
    const row = await markRunbookResourceRemoved(txCtx.db, ref, now);
    if (!row) return false;
    await recordAudit(txCtx, {
      action: "runbook.resource_removed",
      resourceType: "runbook",
      resourceId: row.id,
      details: { slug: row.slug, resource: ref },
    });
    return true;
  });
}

/**
 * After a (re)list: every listed resource synced, and the runbook of every resource of the watched
 * namespace (`null`: all) that the list no longer has marked removed — a deletion the watch missed.
 */
export async function reconcileRunbookResources(
  db: DbOrTx,
  resources: RunbookResource[],
  namespace: string | null,
  settings: ResourceSyncSettings,
  now: Date,
  log?: Logger,
): Promise<SyncReport> {
  const report = emptyReport();
  const origins = resources.flatMap((r) => originOf(r, settings, report) ?? []);
  await withCatalogLock(catalogCtx(db, now), async (txCtx) => {
    for (const origin of origins) await syncRunbookOrigin(txCtx, origin, report);
  });
  const listed = new Set(resources.map(resourceRefOf));
  const known = await db
    .select({ ref: runbooks.resourceRef })
    .from(runbooks)
    .where(
      and(
        isNotNull(runbooks.resourceRef),
        isNull(runbooks.removedAt),
        namespace === null ? undefined : like(runbooks.resourceRef, `${namespace}/%`),
      ),
    );
  for (const { ref } of known) if (ref && !listed.has(ref)) await removeRunbookResource(db, ref, now);
  logSkipped(report, log);
  return report;
}

function logSkipped(report: SyncReport, log: Logger | undefined) {
  for (const skipped of report.skipped)
    log?.error({ resource: skipped.file, problems: skipped.problems }, "Runbook resource not loaded");
}

/** What the watch does with what it sees (watch-runbook-resources.ts), for one watched namespace (null: all). */
export function runbookResourceHandlers(
  db: DbOrTx,
  namespace: string | null,
  settings: ResourceSyncSettings,
  log?: Logger,
): RunbookWatchHandlers {
  return {
    listed: async (resources) =>
      void (await reconcileRunbookResources(db, resources, namespace, settings, new Date(), log)),
    changed: async (resource) => void (await applyRunbookResource(db, resource, settings, new Date(), log)),
    deleted: async (resource) => void (await removeRunbookResource(db, resourceRefOf(resource), new Date())),
  };
}
