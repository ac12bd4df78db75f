// deploy/kubernetes rendered by the real `kubectl kustomize` (Debian's kubernetes-client, installed by
// CI; without kubectl these tests fail and say how to install it), and the rules the manifests must
// keep: replicas and probes, non-root read-only pods, resources, credentials only as files from Secrets, minimal
// remediation rights, disruption budget and autoscaler, the migration Job, the Prometheus Operator
// resources equal to deploy/prometheus, and the CloudNativePG database.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { copiesOf, execForm, lastArg, readDockerfile, repoRoot, stageNamed } from "./dockerfile";
import { find, matches, podTemplate, render, workloads, type Container, type Resource } from "./kubernetes/manifests";
import { prometheusRuleFile, renderPrometheusRule, ruleGroups } from "./kubernetes/prometheus-rule";
import { parseRoutingConfig } from "@/lib/notifications/routing-config";
import { SECRET_SETTINGS } from "@/lib/env";

/** Settings whose values are credentials: they reach a container only from a Secret, as files (NAME_FILE). */
const FILE_SECRETS: readonly string[] = SECRET_SETTINGS;
/** Credentials without a _FILE form: from a Secret, by reference. */
const REFERENCED_SECRETS = ["SMS_ACCOUNT_SID"];
const SECRETS_DIR = "/var/run/secrets/vigil";

/** Every setting name README's configuration tables list (the names operators and deploy/ rely on). */
function documentedSettings(): Set<string> {
  const names = new Set<string>();
  for (const line of readFileSync(path.join(repoRoot, "README.md"), "utf8").split("\n")) {
    const firstCell = /^\| ([^|]+) \|/.exec(line)?.[1] ?? "";
    for (const [, name] of firstCell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(name!);
  }
  return names;
}

let base: Resource[];
let production: Resource[];

beforeAll(() => {
  base = render("base");
  production = render("overlays/production");
}, 120_000);

const containersOf = (resources: Resource[]) =>
  workloads(resources).flatMap((w) =>
    podTemplate(w).spec.containers.map((c) => ({ workload: w.metadata.name, container: c })),
  );
const web = (resources: Resource[]) => find(resources, "Deployment", "vigil-web");
const container = (resources: Resource[], workload: string): Container =>
  podTemplate(workloads(resources).find((w) => w.metadata.name === workload)!).spec.containers[0]!;

/**
 * Where a workload's credential comes from: the Secret and key behind its NAME_FILE (a file of a mounted
 * secret or projected volume), or behind a secretKeyRef. Undefined when the workload is not given it.
 */
function credentialSource(resources: Resource[], workload: string, name: string) {
  const pod = podTemplate(workloads(resources).find((w) => w.metadata.name === workload)!).spec;
  const c = pod.containers[0]!;
  const ref = c.env?.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
  if (ref) return { secret: ref.name, key: ref.key };
  const file = c.env?.find((e) => e.name === `${name}_FILE`)?.value;
  if (!file) return undefined;
  const mount = c.volumeMounts?.find((m) => file.startsWith(`${m.mountPath}/`));
  const volume = pod.volumes?.find((v) => v.name === mount?.name);
  const fileName = file.slice(`${mount?.mountPath}/`.length);
  const sources = volume?.secret
    ? [{ secret: { name: volume.secret.secretName, items: volume.secret.items } }]
    : (volume?.projected?.sources ?? []);
  for (const { secret } of sources) {
    const item = secret?.items?.find((i) => i.path === fileName);
    if (item) return { secret: secret!.name, key: item.key };
  }
  throw new Error(`${workload}: ${name}_FILE=${file} is no file of a mounted Secret`);
}

/** The credentials a workload is given from a Secret (as a file or by reference), by setting name. */
const credentialsOf = (resources: Resource[], workload: string) =>
  (container(resources, workload).env ?? []).flatMap((env) => {
    const name = env.name.replace(/_FILE$/, "");
    const given = env.name.endsWith("_FILE") || env.valueFrom?.secretKeyRef;
    return given && credentialSource(resources, workload, name) ? [name] : [];
  });

describe.each([
  ["base", () => base],
  ["production overlay", () => production],
])("the %s", (_, resources) => {
  it("runs three web replicas with startup, readiness and liveness probes on /api/health", () => {
    expect((web(resources()).spec as { replicas: number }).replicas).toBe(3);
    const c = container(resources(), "vigil-web");
    for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe])
      expect(probe?.httpGet).toEqual({ path: "/api/health", port: "http" });
    expect(c.ports).toEqual([{ name: "http", containerPort: 3000 }]);
  });

  it("runs every pod as the image's non-root user, read-only, without privilege escalation or capabilities", () => {
    const imageUid = Number(lastArg(stageNamed(readDockerfile(), "runtime"), "USER")?.split(":")[0]);
    expect(imageUid).toBeGreaterThan(0);
    for (const workload of workloads(resources())) {
      const pod = podTemplate(workload).spec;
      const where = workload.metadata.name;
      expect(pod.securityContext, where).toMatchObject({
        runAsNonRoot: true,
        runAsUser: imageUid,
        seccompProfile: { type: "RuntimeDefault" },
      });
      for (const c of pod.containers) {
        expect(c.securityContext, `${where}/${c.name}`).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        });
        // What they write goes to emptyDirs: /tmp everywhere, Next's cache in the web server.
        const writable = (c.volumeMounts ?? [])
          .filter((m) => !m.readOnly)
          .map((m) => [m.mountPath, pod.volumes?.find((v) => v.name === m.name)?.emptyDir !== undefined]);
        expect(Object.fromEntries(writable), `${where}/${c.name}`).toEqual(
          where === "vigil-web" ? { "/tmp": true, "/app/.next/cache": true } : { "/tmp": true },
        );
      }
    }
  });

  it("gives every container CPU and memory requests and a memory limit", () => {
    for (const { workload, container: c } of containersOf(resources())) {
      expect(c.resources?.requests?.cpu, workload).toMatch(/^\d+m?$/);
      expect(c.resources?.requests?.memory, workload).toMatch(/^\d+[MG]i$/);
      expect(c.resources?.limits?.memory, workload).toMatch(/^\d+[MG]i$/);
    }
  });

  it("runs the commands the image provides: the web server, the worker, and the migration before them", () => {
    const stages = readDockerfile();
    const runtime = stageNamed(stages, "runtime");
    const copied = copiesOf(runtime).map((c) => c.destination.replace(/^\.\//, "").replace(/\/$/, ""));
    expect(container(resources(), "vigil-web").args).toEqual(
      execForm(runtime.instructions.find((i) => i.keyword === "CMD")!.args),
    );
    expect(container(resources(), "vigil-worker").args).toEqual(["node", "--import", "tsx", "worker/index.ts"]);
    expect(container(resources(), "vigil-migrate").args).toEqual(["node", "--import", "tsx", "scripts/migrate.ts"]);
    for (const file of ["worker/index.ts", "scripts/migrate.ts"]) {
      expect(readFileSync(path.join(repoRoot, file), "utf8").length, file).toBeGreaterThan(0);
      expect(copied, `the runtime stage copies ${path.dirname(file)}/`).toContain(path.dirname(file));
    }
    const images = new Set(containersOf(resources()).map(({ container: c }) => c.image));
    expect(images.size, "one image for every process").toBe(1);
  });

  it("passes settings only under README's names, and credentials only from Secrets", () => {
    const documented = documentedSettings();
    expect(documented.size).toBeGreaterThan(40);
    const configMaps = resources().filter((r) => r.kind === "ConfigMap");
    expect(
      resources().filter((r) => r.kind === "Secret"),
      "no Secret is part of the manifests",
    ).toEqual([]);
    for (const { workload, container: c } of containersOf(resources())) {
      for (const env of c.env ?? []) {
        const name = env.name.endsWith("_FILE") ? env.name.slice(0, -"_FILE".length) : env.name;
        expect(documented.has(name), `${workload}: ${name} is in README's configuration table`).toBe(true);
        if (FILE_SECRETS.includes(name))
          expect(env.name, `${workload}: ${name} is passed as a file, never as a value`).toBe(`${name}_FILE`);
        if (env.name !== name) {
          expect(FILE_SECRETS, `${workload}: ${env.name}`).toContain(name);
          expect(env.value, `${workload}: ${env.name} points into the mounted Secret`).toMatch(
            new RegExp(`^${SECRETS_DIR}/[A-Z_]+$`),
          );
          expect(
            credentialSource(resources(), workload, name)?.key,
            `${workload}: ${name} comes from a Secret`,
          ).toBeTruthy();
        }
        if (REFERENCED_SECRETS.includes(name)) {
          expect(env.value, `${workload}: ${env.name} has no literal value`).toBeUndefined();
          expect(env.valueFrom?.secretKeyRef?.key, `${workload}: ${env.name} comes from a Secret`).toBeTruthy();
        }
      }
      for (const from of c.envFrom ?? []) {
        expect(from.secretRef, `${workload}: Secrets are named key by key`).toBeUndefined();
        const configMap = configMaps.find((m) => m.metadata.name === from.configMapRef?.name);
        expect(configMap, `${workload}: ConfigMap ${from.configMapRef?.name}`).toBeTruthy();
        for (const key of Object.keys(configMap?.data ?? {})) {
          expect(documented.has(key), `${workload}: ${key} is in README's configuration table`).toBe(true);
          expect(
            [...FILE_SECRETS, ...REFERENCED_SECRETS],
            `${key} is a credential and cannot sit in a ConfigMap`,
          ).not.toContain(key.replace(/_FILE$/, ""));
        }
      }
    }
  });

  it("offers each process every credential it uses, from a Secret", () => {
    const secretKeys = (workload: string) => credentialsOf(resources(), workload);
    // The channels' and trackers' credentials: the worker sends and files, the web server checks and
    // shows what is configured, and takes the vendors' webhooks.
    const vendors = [
      "PAGERDUTY_ROUTING_KEY",
      "SLACK_BOT_TOKEN",
      "SMTP_URL",
      "SMS_ACCOUNT_SID",
      "SMS_AUTH_TOKEN",
      "JIRA_API_TOKEN",
      "GITHUB_TOKEN",
    ];
    expect(secretKeys("vigil-worker").sort()).toEqual(["DATABASE_URL", ...vendors].sort());
    expect(secretKeys("vigil-web").sort()).toEqual(
      [
        "DATABASE_URL",
        "AUTH_SECRET",
        "OIDC_CLIENT_SECRET",
        "METRICS_TOKEN",
        "PAGERDUTY_WEBHOOK_SECRET",
        "SLACK_SIGNING_SECRET",
        ...vendors,
      ].sort(),
    );
    // The migration makes the first admin token, when the Secret has one.
    expect(secretKeys("vigil-migrate").sort()).toEqual(["BOOTSTRAP_ADMIN_TOKEN", "DATABASE_URL"]);
  });

  it("keeps the remediation rights to reading, restarting and scaling Deployments and deleting Pods, bound per namespace", () => {
    const roles = resources().filter((r) => r.kind === "ClusterRole" || r.kind === "Role");
    expect(roles.map((r) => `${r.kind}/${r.metadata.name}`)).toEqual([
      "ClusterRole/vigil-remediation",
      "ClusterRole/vigil-runbook-reader",
    ]);
    expect(roles[1]!.rules).toEqual([
      { apiGroups: ["vigil.dev"], resources: ["runbooks"], verbs: ["get", "list", "watch"] },
    ]);
    expect(roles[0]!.rules).toEqual([
      { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "patch"] },
      { apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["get", "patch"] },
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "delete"] },
    ]);
    expect(
      resources().filter((r) => r.kind === "ClusterRoleBinding"),
      "never a ClusterRoleBinding: rights stop at the listed namespaces",
    ).toEqual([]);
    for (const binding of resources().filter((r) => r.kind === "RoleBinding")) {
      expect(binding.roleRef).toEqual({
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: binding.metadata.name,
      });
      expect(["vigil-remediation", "vigil-runbook-reader"]).toContain(binding.metadata.name);
      expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "vigil-remediation", namespace: "vigil" }]);
    }
    // Only the worker remediates; the web server and the migration get no API token at all.
    expect(podTemplate(find(resources(), "Deployment", "vigil-worker")).spec.serviceAccountName).toBe(
      "vigil-remediation",
    );
    for (const name of ["vigil-web", "vigil-migrate"]) {
      const pod = podTemplate(workloads(resources()).find((w) => w.metadata.name === name)!).spec;
      expect(pod.serviceAccountName, name).toBe("vigil");
      expect(pod.automountServiceAccountToken, name).toBe(false);
    }
  });

  it("keeps two web pods through voluntary disruptions, and autoscales from three on CPU", () => {
    const webLabels = podTemplate(web(resources())).metadata.labels;
    const budget = find(resources(), "PodDisruptionBudget", "vigil-web").spec as {
      minAvailable: number;
      selector: { matchLabels: Record<string, string> };
    };
    expect(budget.minAvailable).toBe(2);
    expect(matches(budget.selector.matchLabels, webLabels)).toBe(true);
    const workerBudget = find(resources(), "PodDisruptionBudget", "vigil-worker").spec as {
      maxUnavailable: number;
      selector: { matchLabels: Record<string, string> };
    };
    expect(workerBudget.maxUnavailable).toBe(1);
    expect(
      matches(
        workerBudget.selector.matchLabels,
        podTemplate(find(resources(), "Deployment", "vigil-worker")).metadata.labels,
      ),
    ).toBe(true);
    const autoscaler = find(resources(), "HorizontalPodAutoscaler", "vigil-web");
    expect(autoscaler.apiVersion).toBe("autoscaling/v2");
    expect(autoscaler.spec).toMatchObject({
      scaleTargetRef: { kind: "Deployment", name: "vigil-web" },
      minReplicas: 3,
      metrics: [{ type: "Resource", resource: { name: "cpu" } }],
    });
  });

  it("migrates as the database's owner, and runs the web server and the worker as the app's role", () => {
    // deploy/postgres/roles.sql: only the owner may change the schema; the app's role may not rewrite the audit log.
    const databaseUrl = (workload: string) => credentialSource(resources(), workload, "DATABASE_URL");
    expect(databaseUrl("vigil-web")).toEqual({ secret: "vigil-secrets", key: "DATABASE_URL" });
    expect(databaseUrl("vigil-worker")).toEqual(databaseUrl("vigil-web"));
    expect(databaseUrl("vigil-migrate")).toBeTruthy();
    expect(databaseUrl("vigil-migrate")).not.toEqual(databaseUrl("vigil-web"));
  });

  it("migrates with a Job that runs once, and first under Argo CD", () => {
    const job = find(resources(), "Job", "vigil-migrate");
    expect(job.metadata.annotations).toMatchObject({
      "argocd.argoproj.io/hook": "PreSync",
      "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
    });
    expect(podTemplate(job).spec.restartPolicy).toBe("Never");
    expect((job.spec as { backoffLimit: number }).backoffLimit).toBeLessThanOrEqual(3);
  });

  it("serves the web pods through Service `vigil`, which the Ingress and the ServiceMonitor use", () => {
    const service = find(resources(), "Service", "vigil").spec as {
      selector: Record<string, string>;
      ports: { name: string; targetPort: string }[];
    };
    expect(matches(service.selector, podTemplate(web(resources())).metadata.labels)).toBe(true);
    expect(
      matches(service.selector, podTemplate(find(resources(), "Deployment", "vigil-worker")).metadata.labels),
    ).toBe(false);
    expect(service.ports).toEqual([{ name: "http", port: 80, targetPort: "http" }]);
    const ingress = find(resources(), "Ingress", "vigil").spec as {
      rules: { http: { paths: { backend: unknown }[] } }[];
    };
    expect(ingress.rules[0]!.http.paths[0]!.backend).toEqual({ service: { name: "vigil", port: { name: "http" } } });
  });

  it("has the Prometheus Operator scrape the web server as job `vigil` (VigilDown's) and the worker's metrics", () => {
    const monitor = find(resources(), "ServiceMonitor", "vigil").spec as {
      selector: { matchLabels: Record<string, string> };
      endpoints: { port: string; path: string }[];
    };
    expect(credentialSource(resources(), "vigil-web", "METRICS_TOKEN")).toEqual({
      secret: "vigil-secrets",
      key: "METRICS_TOKEN",
    });
    const scraped = resources().filter(
      (r) => r.kind === "Service" && matches(monitor.selector.matchLabels, r.metadata.labels),
    );
    // The operator names the job after the Service.
    expect(scraped.map((s) => s.metadata.name).sort()).toEqual(["vigil", "vigil-worker"]);
    expect(ruleGroups().some((g) => JSON.stringify(g).includes('up{job=\\"vigil\\"}'))).toBe(true);
    expect(monitor.endpoints).toEqual([
      // The web port is also the Ingress: its /metrics wants METRICS_TOKEN, from the same Secret the web pods read.
      {
        port: "http",
        path: "/metrics",
        interval: "15s",
        authorization: { type: "Bearer", credentials: { name: "vigil-secrets", key: "METRICS_TOKEN", optional: true } },
      },
      { port: "metrics", path: "/metrics", interval: "15s" },
    ]);
    const workerService = find(resources(), "Service", "vigil-worker").spec as {
      ports: { name: string; port: number }[];
    };
    expect(workerService.ports[0]).toMatchObject({ name: "metrics", port: 9464 });
    expect(container(resources(), "vigil-worker").ports).toEqual([{ name: "metrics", containerPort: 9464 }]);
  });

  it("carries exactly the rules of deploy/prometheus/rules in its PrometheusRule", () => {
    expect((find(resources(), "PrometheusRule", "vigil").spec as { groups: unknown[] }).groups).toEqual(ruleGroups());
  });
});

describe("the production overlay", () => {
  it("puts Vigil in namespace vigil, and remediation RoleBindings only in the namespaces it lists", () => {
    const clusterScoped = new Set(["Namespace", "ClusterRole", "CustomResourceDefinition"]);
    for (const r of production.filter((x) => !clusterScoped.has(x.kind) && x.kind !== "RoleBinding"))
      expect(r.metadata.namespace, `${r.kind}/${r.metadata.name}`).toBe("vigil");
    const boundTo = (role: string) =>
      production
        .filter((r) => r.kind === "RoleBinding" && r.roleRef?.name === role)
        .map((r) => r.metadata.namespace)
        .sort();
    const bound = boundTo("vigil-remediation");
    expect(bound).toEqual(["payments", "shop"]);
    // The policy's namespaces are the bound ones, so a request elsewhere is denied with a reason
    // instead of failing with Kubernetes' 403 after it was approved.
    const config =
      production.find((r) => r.kind === "ConfigMap" && r.metadata.name.startsWith("vigil-config"))?.data ?? {};
    expect(String(config.REMEDIATION_NAMESPACES).split(",").sort()).toEqual([...new Set(bound)].sort());
  });

  it("defines the Runbook custom resource, and lets the worker read it only in RUNBOOK_CRD_NAMESPACES", () => {
    const crd = find(production, "CustomResourceDefinition", "runbooks.vigil.dev") as Resource & {
      spec: { group: string; scope: string; names: { kind: string; plural: string }; versions: { name: string }[] };
    };
    expect(crd.spec).toMatchObject({
      group: "vigil.dev",
      scope: "Namespaced",
      names: { kind: "Runbook", plural: "runbooks" },
    });
    expect(crd.spec.versions.map((v) => v.name)).toEqual(["v1"]);
    const config =
      production.find((r) => r.kind === "ConfigMap" && r.metadata.name.startsWith("vigil-config"))?.data ?? {};
    const readers = production
      .filter((r) => r.kind === "RoleBinding" && r.roleRef?.name === "vigil-runbook-reader")
      .map((r) => r.metadata.namespace)
      .sort();
    expect(readers).toEqual(String(config.RUNBOOK_CRD_NAMESPACES).split(",").sort());
  });

  it("runs a pinned image", () => {
    for (const { container: c } of containersOf(production)) expect(c.image).toBe("ghcr.io/example/vigil:0.1.0");
  });

  it("gives PostgreSQL enough connections for every pool at the autoscaler's maximum", () => {
    // docs/operations.md, "Database connections": 22 per web process, 30 per worker, a few to spare.
    const webPods = (find(production, "HorizontalPodAutoscaler", "vigil-web").spec as { maxReplicas: number })
      .maxReplicas;
    const workers = (find(production, "Deployment", "vigil-worker").spec as { replicas: number }).replicas;
    const cluster = find(production, "Cluster", "vigil-db").spec as {
      postgresql: { parameters: { max_connections: string } };
    };
    expect(22 * webPods + 30 * workers + 10).toBeLessThanOrEqual(Number(cluster.postgresql.parameters.max_connections));
  });

  it("migrates as the owner CloudNativePG creates, on a three-instance cluster with archived WAL and nightly backups", () => {
    const cluster = find(production, "Cluster", "vigil-db");
    const spec = cluster.spec as {
      instances: number;
      postgresql: { synchronous: { number: number } };
      plugins: { name: string; isWALArchiver: boolean; parameters: { barmanObjectName: string } }[];
    };
    expect(spec.instances).toBe(3);
    expect(spec.postgresql.synchronous.number).toBe(1);
    const archiver = spec.plugins.find((p) => p.isWALArchiver);
    expect(archiver?.name).toBe("barman-cloud.cloudnative-pg.io");
    const store = find(production, "ObjectStore", archiver!.parameters.barmanObjectName).spec as {
      configuration: { destinationPath: string };
      retentionPolicy: string;
    };
    expect(store.configuration.destinationPath).toMatch(/^s3:\/\//);
    expect(store.retentionPolicy).toMatch(/^\d+d$/);
    const backup = production.find((r) => r.kind === "ScheduledBackup")?.spec as {
      cluster: { name: string };
      method: string;
      schedule: string;
    };
    expect(backup).toMatchObject({ cluster: { name: "vigil-db" }, method: "plugin" });
    expect(backup.schedule.split(" ")).toHaveLength(6);
    expect(credentialSource(production, "vigil-migrate", "DATABASE_URL")).toEqual({
      secret: "vigil-db-app",
      key: "uri",
    });
    expect(credentialSource(production, "vigil-migrate", "BOOTSTRAP_ADMIN_TOKEN")).toEqual({
      secret: "vigil-secrets",
      key: "BOOTSTRAP_ADMIN_TOKEN",
    });
    expect((cluster.spec as { bootstrap: { initdb: { owner: string } } }).bootstrap.initdb.owner).toBe("vigil");
  });

  it("mounts a valid routing file where VIGIL_CONFIG points", () => {
    const config = production.find((r) => r.kind === "ConfigMap" && r.data?.VIGIL_CONFIG)!;
    const routing = production.find((r) => r.kind === "ConfigMap" && r.metadata.name.startsWith("vigil-routing"))!;
    const mount = container(production, "vigil-worker").volumeMounts?.find((m) => m.name === "routing");
    const [file, text] = Object.entries(routing.data ?? {})[0]!;
    expect(`${mount?.mountPath}/${file}`).toBe(config.data!.VIGIL_CONFIG);
    expect(parseRoutingConfig(text, file).routes.length).toBeGreaterThan(0);
    for (const name of ["vigil-web", "vigil-worker"]) {
      const volume = podTemplate(find(production, "Deployment", name)).spec.volumes?.find((v) => v.name === "routing");
      expect(volume?.configMap?.name, name).toBe(routing.metadata.name);
    }
  });

  it("serves the host of APP_URL over TLS", () => {
    const appUrl = new URL(production.find((r) => r.kind === "ConfigMap" && r.data?.APP_URL)!.data!.APP_URL!);
    const ingress = find(production, "Ingress", "vigil").spec as {
      tls: { hosts: string[] }[];
      rules: { host: string }[];
    };
    expect(appUrl.protocol).toBe("https:");
    expect(ingress.tls[0]!.hosts).toEqual([appUrl.host]);
    expect(ingress.rules.map((r) => r.host)).toEqual([appUrl.host]);
  });
});

it("base/prometheus-rule.yaml is up to date with deploy/prometheus/rules (else: npm run deploy:prometheus-rule)", () => {
  expect(readFileSync(prometheusRuleFile, "utf8"), "run `npm run deploy:prometheus-rule`").toBe(renderPrometheusRule());
});
