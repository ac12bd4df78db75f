// Remediation as its tests see it: a runtime whose Kubernetes is the loopback fake, the shipped runbooks
// loaded into the catalog, and the settings the verbs take (REMEDIATION_* defaults unless overridden).
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startFakeKubernetes, type FakeKubernetes } from "@/e2e/fakes/kubernetes";
import { loadConfig } from "@/lib/env";
import { createLogger } from "@/lib/observability/logger";
import { remediationSettingsFrom, type RemediationSettings } from "@/lib/remediation/settings";
import { syncRunbookFiles } from "@/lib/runbooks/sync-runbook-files";
import { setRuntime } from "@/lib/runtime";
import type { TestDatabase } from "./database";

export const FAKE_KUBERNETES_TOKEN = "test-kubernetes-token";
export const shippedRunbooksDir = path.resolve(import.meta.dirname, "../runbooks");

export interface RemediationTest {
  k8s: FakeKubernetes;
  settings: RemediationSettings;
}

/** Starts the fake Kubernetes API, installs a runtime pointing at it, and loads runbooks/ into the catalog. */
export function useRemediation(t: TestDatabase, env: Record<string, string> = {}): RemediationTest {
  const handle = {} as RemediationTest;
  beforeAll(async () => {
    handle.k8s = await startFakeKubernetes({ token: FAKE_KUBERNETES_TOKEN });
    const config = loadConfig({
      DATABASE_URL: t.url,
      LOG_LEVEL: "silent",
      VIGIL_CONFIG: "/nonexistent/vigil.config.yaml",
      KUBERNETES_API_URL: handle.k8s.url,
      KUBERNETES_TOKEN: FAKE_KUBERNETES_TOKEN,
      REMEDIATION_TIMEOUT: "2s",
      ...env,
    });
    setRuntime({ config, database: t, logger: createLogger("silent") });
    handle.settings = remediationSettingsFrom(config);
    await syncRunbookFiles(t.db, shippedRunbooksDir, new Date());
  });
  afterAll(async () => handle.k8s?.close());
  return handle;
}
