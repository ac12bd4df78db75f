// The Prometheus and Alertmanager configuration shipped in deploy/ is checked with the real tools:
// promtool, amtool and, once, a real Prometheus server. They come from Debian
// (`apt-get install prometheus prometheus-alertmanager`, done by CI); without them these tests fail
// and say so, they never skip.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { freePort } from "@/db/embedded-postgres";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { ruleGroups } from "./kubernetes/prometheus-rule";

const deployDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(deployDir);
const prometheusDir = path.join(deployDir, "prometheus");
const rulesDir = path.join(prometheusDir, "rules");
const ruleTestsDir = path.join(prometheusDir, "tests");
const prometheusConfig = path.join(prometheusDir, "prometheus.yml");
const kubernetesConfig = path.join(prometheusDir, "prometheus-kubernetes.yml");
const longTermConfig = path.join(prometheusDir, "prometheus-long-term.yml");
const alertmanagerConfig = path.join(deployDir, "alertmanager", "alertmanager.yml");

const INSTALL_HINT =
  "Install them with: apt-get install -y --no-install-recommends prometheus prometheus-alertmanager " +
  "(provides /usr/bin/prometheus, promtool, prometheus-alertmanager and amtool).";

/** Absolute path of a tool on PATH (or /usr/bin), or an error that says how to install it. */
function requireTool(name: string): string {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/bin"].filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    `\`${name}\` is not installed: the deploy config tests run the real Prometheus tools. ${INSTALL_HINT}`,
  );
}

/** Runs a tool from the repository root; on a non-zero exit, fails with everything it printed. */
function run(tool: string, args: string[]): string {
  const binary = requireTool(tool);
  try {
    return execFileSync(binary, args, {
      cwd: repoRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${tool} ${args.join(" ")} failed (exit ${e.status ?? "?"}):\n${e.stdout ?? ""}${e.stderr ?? e.message}`,
    );
  }
}

const ymlIn = (dir: string, suffix = ".yml") =>
  readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => path.relative(repoRoot, path.join(dir, f)));

/**
 * Debian's prometheus (2.42.0+ds) is built without Kubernetes service discovery and rejects
 * `kubernetes_sd_configs`. Swap that block for file discovery (the relabelling stays untouched) and
 * point rule_files at the real rules, so the variant can be checked and run here.
 */
function kubernetesConfigWithFileDiscovery(workDir: string): string {
  const source = readFileSync(kubernetesConfig, "utf8");
  const sd = "    kubernetes_sd_configs:\n      - role: pod\n";
  expect(
    source.split(sd).length - 1,
    "prometheus-kubernetes.yml has exactly one `kubernetes_sd_configs: [role: pod]`",
  ).toBe(1);
  expect(source).toContain("  - rules/*.yml\n");
  const derived = source
    .replace(sd, `    file_sd_configs:\n      - files: [${JSON.stringify(path.join(workDir, "pods.json"))}]\n`)
    .replace("  - rules/*.yml\n", `  - ${JSON.stringify(path.join(rulesDir, "*.yml"))}\n`);
  const file = path.join(workDir, "prometheus.yml");
  writeFileSync(file, derived);
  return file;
}

/** The alerting rules of deploy/prometheus/rules, as written. */
function shippedAlertRules(): { alert: string; labels?: Record<string, string> }[] {
  return (ruleGroups() as { rules: { alert?: string; labels?: Record<string, string> }[] }[]).flatMap((g) =>
    g.rules.flatMap((r) => (r.alert ? [{ alert: r.alert, labels: r.labels }] : [])),
  );
}

/** The labels of the meta-alerts about Vigil itself: they page, and Alertmanager pages for them directly. */
const vigilMeta = { team: "observability", severity: "page", pager: "alertmanager" };

/** Every alert, the Vigil runbook it links to, and the fixed labels it must carry. */
const expectedAlerts: Record<string, { runbook: string; labels?: Record<string, string> }> = {
  ServiceDown: { runbook: "service-down", labels: { severity: "page" } },
  ServiceTargetDown: { runbook: "service-down", labels: { severity: "warning" } },
  HighErrorRate: { runbook: "high-error-rate", labels: { severity: "page" } },
  HighLatency: { runbook: "high-latency", labels: { severity: "warning" } },
  ErrorBudgetBurnFast: { runbook: "error-budget-burn", labels: { severity: "page" } },
  ErrorBudgetBurnSlow: { runbook: "error-budget-burn", labels: { severity: "warning" } },
  PrometheusDown: { runbook: "prometheus-down", labels: { team: "observability", service: "prometheus" } },
  AlertmanagerDown: { runbook: "alertmanager-down", labels: { team: "observability", service: "alertmanager" } },
  VigilDown: { runbook: "vigil-down", labels: { ...vigilMeta, service: "vigil" } },
  VigilWorkerStalled: { runbook: "vigil-worker-stalled", labels: { ...vigilMeta, service: "vigil-worker" } },
  VigilNotificationsFailing: {
    runbook: "vigil-notifications-failing",
    labels: { ...vigilMeta, service: "vigil-worker" },
  },
  AlertDeliveryFailure: {
    runbook: "alert-delivery-failure",
    labels: { team: "observability", service: "alertmanager" },
  },
  PodCrashLooping: { runbook: "pod-crash-looping", labels: { severity: "warning" } },
  DiskFillingUp: { runbook: "disk-filling-up", labels: { severity: "warning" } },
  DatabaseConnectionsExhausted: { runbook: "database-connections-exhausted", labels: { severity: "critical" } },
  CertificateExpiring: { runbook: "certificate-expiring", labels: { severity: "warning" } },
};

describe("Prometheus configuration (deploy/prometheus)", () => {
  it("prometheus.yml is a valid config whose rule_files find every rule file", { timeout: 30_000 }, () => {
    const out = run("promtool", ["check", "config", path.relative(repoRoot, prometheusConfig)]);
    expect(out).toContain(`SUCCESS: ${ymlIn(rulesDir).length} rule files found`);
    expect(out).toMatch(/SUCCESS: .*prometheus\.yml is valid prometheus config file syntax/);
  });

  it("every rule file passes promtool check rules", { timeout: 30_000 }, () => {
    const files = ymlIn(rulesDir);
    expect(files.length).toBeGreaterThanOrEqual(3);
    const out = run("promtool", ["check", "rules", ...files]);
    expect(out).not.toContain("FAILED");
  });

  it(
    "the promtool rule unit tests pass: each alert fires with its labels and annotations, and stays quiet otherwise",
    { timeout: 60_000 },
    () => {
      const files = ymlIn(ruleTestsDir, ".test.yml");
      expect(files.length).toBeGreaterThan(0);
      const out = run("promtool", ["test", "rules", ...files]);
      expect(out).not.toContain("FAILED");
    },
  );

  it("the rule unit tests cover every alert both firing and not firing", () => {
    const firing = new Set<string>();
    const quiet = new Set<string>();
    for (const file of ymlIn(ruleTestsDir, ".test.yml")) {
      const text = readFileSync(path.join(repoRoot, file), "utf8");
      for (const [, name = "", empty] of text.matchAll(/alertname: (\w+)\n\s+exp_alerts:( \[\])?/g)) {
        (empty ? quiet : firing).add(name);
      }
    }
    const alerts = Object.keys(expectedAlerts).sort();
    expect([...firing].sort()).toEqual(alerts);
    expect([...quiet].sort()).toEqual(alerts);
  });

  it("prometheus-kubernetes.yml is prometheus.yml plus the kubernetes-pods job (the two cannot drift)", () => {
    const base = readFileSync(prometheusConfig, "utf8");
    const kubernetes = readFileSync(kubernetesConfig, "utf8");
    // Everything after the header comment of prometheus.yml appears verbatim in the variant.
    const body = base.slice(base.indexOf("# --- Global defaults"));
    expect(body.length).toBeGreaterThan(500);
    expect(kubernetes).toContain(body);
    expect(kubernetes).toContain("  - job_name: kubernetes-pods\n    kubernetes_sd_configs:\n      - role: pod\n");
  });

  it("every Prometheus configuration in deploy/prometheus passes promtool check config", { timeout: 60_000 }, () => {
    const configs = ymlIn(prometheusDir);
    expect(configs.map((f) => path.basename(f)).sort()).toEqual([
      "prometheus-kubernetes.yml",
      "prometheus-long-term.yml",
      "prometheus.yml",
    ]);
    const workDir = mkdtempSync(path.join(tmpdir(), "vigil-promcfg-"));
    try {
      for (const config of configs) {
        // Debian's Prometheus lacks Kubernetes discovery: that one is checked with file discovery instead.
        const file = config.endsWith("prometheus-kubernetes.yml") ? kubernetesConfigWithFileDiscovery(workDir) : config;
        const out = run("promtool", ["check", "config", file]);
        expect(out, config).toContain(`SUCCESS: ${ymlIn(rulesDir).length} rule files found`);
        expect(out, config).toMatch(/is valid prometheus config file syntax/);
      }
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it("prometheus-long-term.yml is prometheus.yml plus remote_write to the long-term store", () => {
    const base = readFileSync(prometheusConfig, "utf8");
    const longTerm = readFileSync(longTermConfig, "utf8");
    expect(longTerm).toContain(base.slice(base.indexOf("# --- Global defaults")));
    const { remote_write: remoteWrite } = YAML.parse(longTerm) as {
      remote_write: { url: string; queue_config?: unknown }[];
    };
    expect(remoteWrite).toHaveLength(1);
    // Thanos Receive's remote-write endpoint (Mimir's /api/v1/push is the documented alternative).
    expect(remoteWrite[0]!.url).toMatch(/^http:\/\/thanos-receive:19291\/api\/v1\/receive$/);
    expect(remoteWrite[0]!.queue_config).toBeTruthy();
    // The retentions the seed names: 15 days here (a flag), 90 in the store.
    expect(longTerm).toContain("--storage.tsdb.retention.time=15d");
    expect(longTerm).toContain("--retention.resolution-raw=90d");
    expect(longTerm).toContain("compactor_blocks_retention_period: 90d");
  });

  it(
    "prometheus-kubernetes.yml is valid once Kubernetes discovery is swapped for file discovery",
    { timeout: 30_000 },
    () => {
      const workDir = mkdtempSync(path.join(tmpdir(), "vigil-promcfg-"));
      try {
        const out = run("promtool", ["check", "config", kubernetesConfigWithFileDiscovery(workDir)]);
        expect(out).toContain(`SUCCESS: ${ymlIn(rulesDir).length} rule files found`);
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
    },
  );
});

interface ApiRule {
  type: "alerting" | "recording";
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface ApiTarget {
  labels: Record<string, string>;
  discoveredLabels: Record<string, string>;
  scrapeUrl: string;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return ((await res.json()) as { data: T }).data;
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  log: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not ready yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}. Prometheus log:\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Pods as Kubernetes discovery would describe them (the __meta_kubernetes_* labels it sets).
function pod(p: {
  name: string;
  address: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  phase?: string;
  controller?: [kind: string, name: string];
}) {
  const meta: Record<string, string> = {
    __meta_kubernetes_namespace: "prod",
    __meta_kubernetes_pod_name: p.name,
    __meta_kubernetes_pod_phase: p.phase ?? "Running",
    __meta_kubernetes_pod_ip: p.address.replace(/:\d+$/, ""),
  };
  for (const [k, v] of Object.entries(p.annotations ?? {})) {
    const key = k.replace(/[^a-zA-Z0-9_]/g, "_");
    meta[`__meta_kubernetes_pod_annotation_${key}`] = v;
    meta[`__meta_kubernetes_pod_annotationpresent_${key}`] = "true";
  }
  for (const [k, v] of Object.entries(p.labels ?? {}))
    meta[`__meta_kubernetes_pod_label_${k.replace(/[^a-zA-Z0-9_]/g, "_")}`] = v;
  if (p.controller) {
    meta.__meta_kubernetes_pod_controller_kind = p.controller[0];
    meta.__meta_kubernetes_pod_controller_name = p.controller[1];
  }
  return { targets: [p.address], labels: meta };
}

describe("a real Prometheus running prometheus-kubernetes.yml (Kubernetes discovery replaced by file discovery)", () => {
  let workDir = "";
  let server: ChildProcess | undefined;
  let output = "";
  let base = "";
  let rules: ApiRule[] = [];
  let groups: string[] = [];

  beforeAll(async () => {
    const binary = requireTool("prometheus");
    workDir = mkdtempSync(path.join(tmpdir(), "vigil-prometheus-"));
    const config = kubernetesConfigWithFileDiscovery(workDir);
    const pods = [
      // Annotated, with path and port overrides, app and team labels, owned by Deployment "api".
      pod({
        name: "api-7d9f8c6b5-abcde",
        address: "10.0.0.7:8080",
        annotations: {
          "prometheus.io/scrape": "true",
          "prometheus.io/path": "/internal/metrics",
          "prometheus.io/port": "9102",
        },
        labels: { app: "api", team: "payments", "pod-template-hash": "7d9f8c6b5" },
        controller: ["ReplicaSet", "api-7d9f8c6b5"],
      }),
      // Annotated, defaults for path and port, named by app.kubernetes.io/name only.
      pod({
        name: "web-55c6b4d8f-xyz12",
        address: "10.0.0.8:80",
        annotations: { "prometheus.io/scrape": "true" },
        labels: { "app.kubernetes.io/name": "web" },
        controller: ["ReplicaSet", "web-55c6b4d8f"],
      }),
      // Not annotated: not scraped.
      pod({
        name: "cache-0",
        address: "10.0.0.9:6379",
        labels: { app: "cache" },
        controller: ["StatefulSet", "cache"],
      }),
      // Annotated but finished (a completed Job): not scraped.
      pod({
        name: "migrate-x1",
        address: "10.0.0.10:80",
        annotations: { "prometheus.io/scrape": "true" },
        phase: "Succeeded",
      }),
    ];
    writeFileSync(path.join(workDir, "pods.json"), JSON.stringify(pods));

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(
      binary,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(workDir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    server.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    server.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<never>((_, reject) =>
      server?.once("exit", (code) => reject(new Error(`prometheus exited (code ${code}):\n${output}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([
      waitFor(
        "Prometheus to be ready",
        async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined),
        15_000,
        () => output,
      ),
      exited,
    ]);
    const data = await getJson<{ groups: { name: string; rules: ApiRule[] }[] }>(`${base}/api/v1/rules`);
    groups = data.groups.map((g) => g.name).sort();
    rules = data.groups.flatMap((g) => g.rules);
  }, 30_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const gone = new Promise((r) => server?.once("exit", r));
      server.kill("SIGTERM");
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("loads every rule group from rules/*.yml", () => {
    expect(groups).toEqual(["meta", "services", "slo-burn-alerts", "slo-error-ratios", "workloads"]);
    expect(rules.filter((r) => r.type === "recording").map((r) => r.name)).toEqual(
      ["5m", "30m", "1h", "2h", "6h", "1d", "3d"].map((w) => `service:http_error_ratio:rate${w}`),
    );
  });

  it("every alert has a severity, a team, a summary, a description and its Vigil runbook URL", () => {
    const alerts = rules.filter((r) => r.type === "alerting");
    expect(alerts.map((a) => a.name).sort()).toEqual(Object.keys(expectedAlerts).sort());
    for (const alert of alerts) {
      const expected = expectedAlerts[alert.name];
      const where = `alert ${alert.name}`;
      if (!expected) throw new Error(`unexpected ${where}`);
      expect(["page", "critical", "warning", "info"], where).toContain(alert.labels?.severity);
      expect(alert.labels?.team, where).toBeTruthy();
      expect(alert.labels ?? {}, where).toMatchObject(expected.labels ?? {});
      expect(alert.annotations?.summary, where).toBeTruthy();
      expect(alert.annotations?.description, where).toBeTruthy();
      expect(alert.annotations?.runbook_url, where).toBe(`http://localhost:3000/runbooks/${expected.runbook}`);
    }
  });

  it("the kubernetes-pods job scrapes only running pods annotated prometheus.io/scrape, honouring path and port", async () => {
    const data = await waitFor(
      "the kubernetes-pods targets",
      async () => {
        const d = await getJson<{ activeTargets: ApiTarget[]; droppedTargets: ApiTarget[] }>(
          `${base}/api/v1/targets?scrapePool=kubernetes-pods`,
        );
        return d.activeTargets.length + d.droppedTargets.length === 4 ? d : undefined;
      },
      20_000,
      () => output,
    );
    expect(data.activeTargets.map((t) => t.scrapeUrl).sort()).toEqual([
      "http://10.0.0.7:9102/internal/metrics",
      "http://10.0.0.8:80/metrics",
    ]);
    expect(data.droppedTargets.map((t) => t.discoveredLabels.__meta_kubernetes_pod_name).sort()).toEqual([
      "cache-0",
      "migrate-x1",
    ]);
  }, 30_000);

  it("the kubernetes-pods job labels each target with namespace, pod, app, service (from app), deployment and team", async () => {
    const targets = await getJson<{ activeTargets: ApiTarget[] }>(`${base}/api/v1/targets?scrapePool=kubernetes-pods`);
    const byPod = Object.fromEntries(targets.activeTargets.map((t) => [t.labels.pod, t.labels]));
    expect(byPod["api-7d9f8c6b5-abcde"]).toEqual({
      job: "kubernetes-pods",
      instance: "10.0.0.7:9102",
      namespace: "prod",
      pod: "api-7d9f8c6b5-abcde",
      app: "api",
      service: "api",
      deployment: "api",
      team: "payments",
    });
    expect(byPod["web-55c6b4d8f-xyz12"]).toEqual({
      job: "kubernetes-pods",
      instance: "10.0.0.8:80",
      namespace: "prod",
      pod: "web-55c6b4d8f-xyz12",
      service: "web",
      deployment: "web",
    });
  });
});

describe("Alertmanager configuration (deploy/alertmanager)", () => {
  const config = path.relative(repoRoot, alertmanagerConfig);

  it("alertmanager.yml passes amtool check-config", { timeout: 30_000 }, () => {
    const out = run("amtool", ["check-config", config]);
    expect(out).toContain("SUCCESS");
    expect(out).toContain("5 receivers");
    expect(out).toContain("2 inhibit rules");
  });

  /** The receivers an alert with these labels reaches, as amtool prints them (comma-separated, in route order). */
  function receiversFor(labels: Record<string, string>, expected: string[]): string {
    const args = ["config", "routes", "test", `--config.file=${config}`, `--verify.receivers=${expected.join(",")}`];
    return run("amtool", [...args, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]).trim();
  }

  /** The labels a shipped alert fires with: its rule's fixed labels (templated ones given a sample value), its name, a cluster. */
  function firingLabels(alertname: string): Record<string, string> {
    const rule = shippedAlertRules().find((r) => r.alert === alertname);
    if (!rule) throw new Error(`no shipped alert ${alertname}`);
    const fixed = Object.entries(rule.labels ?? {}).map(([k, v]) => [k, v.includes("{{") ? "api" : v]);
    return { service: "api", ...Object.fromEntries(fixed), alertname, cluster: "example" };
  }

  // Vigil is the one pager: Alertmanager's PagerDuty dedup key (SHA-256 of its own route's group key)
  // can never equal Vigil's (its incident id), so an alert sent to both opens two PagerDuty incidents.
  it(
    "pages through Vigil alone: ServiceDown (severity page) goes only to Vigil, never to PagerDuty directly",
    { timeout: 30_000 },
    () => {
      expect(firingLabels("ServiceDown").severity).toBe("page");
      expect(receiversFor(firingLabels("ServiceDown"), ["vigil"])).toBe("vigil");
      expect(receiversFor(firingLabels("HighErrorRate"), ["vigil"])).toBe("vigil");
    },
  );

  it(
    "pages PagerDuty directly, and only, for the alerts about Vigil itself (VigilDown, a stalled worker, failed deliveries)",
    { timeout: 30_000 },
    () => {
      for (const alertname of ["VigilDown", "VigilWorkerStalled", "VigilNotificationsFailing"]) {
        expect(firingLabels(alertname), alertname).toMatchObject({ severity: "page", pager: "alertmanager" });
        expect(receiversFor(firingLabels(alertname), ["pagerduty"]), alertname).toBe("pagerduty");
      }
    },
  );

  it(
    "pages PagerDuty directly when Alertmanager cannot deliver to Vigil, and tells Vigil of other failed deliveries",
    { timeout: 30_000 },
    () => {
      expect(receiversFor({ ...firingLabels("AlertDeliveryFailure"), integration: "webhook" }, ["pagerduty"])).toBe(
        "pagerduty",
      );
      expect(
        receiversFor({ ...firingLabels("AlertDeliveryFailure"), integration: "slack" }, [
          "vigil",
          "slack-alerts-critical",
        ]),
      ).toBe("vigil,slack-alerts-critical");
    },
  );

  it(
    "sends every shipped alert to exactly one pager: PagerDuty directly when labelled pager=alertmanager, else Vigil",
    { timeout: 120_000 },
    () => {
      const alerts = shippedAlertRules().map((r) => r.alert);
      expect(alerts.length).toBe(Object.keys(expectedAlerts).length);
      for (const alertname of alerts) {
        const labels = firingLabels(alertname);
        const receivers = run("amtool", [
          "config",
          "routes",
          "test",
          `--config.file=${config}`,
          ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
        ])
          .trim()
          .split(",");
        if (labels.pager === "alertmanager") expect(receivers, alertname).toEqual(["pagerduty"]);
        else
          expect(
            receivers.filter((r) => r === "vigil" || r === "pagerduty"),
            alertname,
          ).toEqual(["vigil"]);
      }
    },
  );

  it("routes severity=critical alerts to Vigil and, raw, to Slack #alerts-critical", { timeout: 30_000 }, () => {
    expect(
      receiversFor({ severity: "critical", alertname: "X", service: "api" }, ["vigil", "slack-alerts-critical"]),
    ).toBe("vigil,slack-alerts-critical");
  });

  it("routes severity=warning alerts to Vigil and, raw, to Slack #alerts-warnings", { timeout: 30_000 }, () => {
    expect(
      receiversFor({ severity: "warning", alertname: "X", service: "api" }, ["vigil", "slack-alerts-warnings"]),
    ).toBe("vigil,slack-alerts-warnings");
  });

  // Alertmanager hands an alert to the parent's (default) receiver only when no child route
  // matched; the catch-all vigil route always matches, so info alerts reach Vigil alone and the
  // blackhole default is never used.
  it("routes severity=info alerts, and alerts without a severity, to Vigil only", { timeout: 30_000 }, () => {
    expect(receiversFor({ severity: "info", alertname: "X", service: "api" }, ["vigil"])).toBe("vigil");
    expect(receiversFor({ alertname: "X", service: "api" }, ["vigil"])).toBe("vigil");
  });

  // The seed keeps "Post to #alerts" (Alertmanager, raw alerts) apart from "Post incident summary"
  // (Vigil's cards, SLACK_CHANNEL_CRITICAL / SLACK_CHANNEL_WARNINGS, #incidents-* by default).
  it("posts Alertmanager's raw alerts to #alerts-* channels, never to Vigil's #incidents-* ones", () => {
    const am = YAML.parse(readFileSync(alertmanagerConfig, "utf8")) as {
      receivers: { name: string; slack_configs?: { channel: string }[] }[];
    };
    const channels = am.receivers.flatMap((r) => (r.slack_configs ?? []).map((c) => c.channel));
    expect(channels.sort()).toEqual(["#alerts-critical", "#alerts-warnings"]);
  });
});
