// deploy/kubernetes/monitoring rendered by the real `kubectl kustomize`, and the rules it must keep:
// Alertmanager as a gossiping three-member cluster, Prometheus keeping 15 days with a Thanos sidecar and
// 90 days in object storage, and the nightly snapshot backup kept 30 days.
import { beforeAll, describe, expect, it } from "vitest";
import { find, matches, podTemplate, render, type Container, type Resource } from "./kubernetes/manifests";

let resources: Resource[];
beforeAll(() => {
  resources = render("monitoring");
}, 120_000);

const containerOf = (workload: Resource, name: string): Container =>
  podTemplate(workload).spec.containers.find((c) => c.name === name)!;
const flagsOf = (c: Container) => c.args ?? [];

describe("Alertmanager", () => {
  it("runs as a three-replica StatefulSet whose members peer with each other through a headless Service", () => {
    const statefulSet = find(resources, "StatefulSet", "alertmanager");
    const spec = statefulSet.spec as { replicas: number; serviceName: string };
    expect(spec.replicas).toBe(3);
    const headless = find(resources, "Service", spec.serviceName).spec as {
      clusterIP: string;
      publishNotReadyAddresses: boolean;
      selector: Record<string, string>;
      ports: { port: number; protocol?: string }[];
    };
    expect(headless.clusterIP).toBe("None");
    expect(headless.publishNotReadyAddresses).toBe(true);
    expect(matches(headless.selector, podTemplate(statefulSet).metadata.labels)).toBe(true);
    expect(headless.ports.filter((p) => p.port === 9094).map((p) => p.protocol ?? "TCP")).toEqual(["TCP", "UDP"]);

    const flags = flagsOf(containerOf(statefulSet, "alertmanager"));
    expect(flags).toContain("--cluster.listen-address=0.0.0.0:9094");
    // One peer per member, by its stable DNS name under the headless Service.
    const peers = flags.filter((f) => f.startsWith("--cluster.peer=")).map((f) => f.slice("--cluster.peer=".length));
    expect(peers).toEqual([0, 1, 2].map((i) => `alertmanager-${i}.${spec.serviceName}:9094`));
  });

  it("keeps two members through voluntary disruptions", () => {
    const budget = find(resources, "PodDisruptionBudget", "alertmanager").spec as { maxUnavailable: number };
    expect(budget.maxUnavailable).toBe(1);
  });
});

describe("Prometheus and long-term storage", () => {
  it("keeps 15 days locally and ships 2-hour blocks to object storage through a Thanos sidecar", () => {
    const prometheus = find(resources, "StatefulSet", "prometheus");
    const flags = flagsOf(containerOf(prometheus, "prometheus"));
    expect(flags).toEqual(
      expect.arrayContaining([
        "--storage.tsdb.retention.time=15d",
        "--storage.tsdb.min-block-duration=2h",
        "--storage.tsdb.max-block-duration=2h",
        "--web.enable-admin-api",
      ]),
    );
    const sidecar = containerOf(prometheus, "thanos-sidecar");
    expect(sidecar.args?.[0]).toBe("sidecar");
    expect(sidecar.args).toEqual(
      expect.arrayContaining([
        "--tsdb.path=/prometheus",
        "--prometheus.url=http://localhost:9090",
        "--objstore.config-file=/etc/thanos/objstore.yml",
      ]),
    );
    // The sidecar reads the same volume Prometheus writes.
    const dataMount = (c: Container) => c.volumeMounts?.find((m) => m.mountPath === "/prometheus")?.name;
    expect(dataMount(sidecar)).toBe(dataMount(containerOf(prometheus, "prometheus")));
  });

  it("keeps 90 days in object storage at every resolution, with one compactor", () => {
    const compactor = find(resources, "Deployment", "thanos-compactor");
    expect((compactor.spec as { replicas: number }).replicas).toBe(1);
    const flags = flagsOf(containerOf(compactor, "compactor"));
    expect(flags[0]).toBe("compact");
    for (const resolution of ["raw", "5m", "1h"]) expect(flags).toContain(`--retention.resolution-${resolution}=90d`);
  });

  it("takes a nightly snapshot through the admin API, copies it to object storage and keeps 30 days", () => {
    const cronJob = find(resources, "CronJob", "prometheus-snapshot-backup");
    const spec = cronJob.spec as {
      schedule: string;
      concurrencyPolicy: string;
      jobTemplate: { spec: { template: Resource["spec"] } };
    };
    expect(spec.schedule.split(" ")).toHaveLength(5);
    expect(spec.concurrencyPolicy).toBe("Forbid");
    const pod = (spec.jobTemplate.spec.template as unknown as ReturnType<typeof podTemplate>).spec;
    const backup = pod.containers[0]!;
    const script = (backup.args ?? []).join("\n");
    const env = Object.fromEntries((backup.env ?? []).map((e) => [e.name, e.value]));
    expect(script).toContain("$PROMETHEUS_URL/api/v1/admin/tsdb/snapshot");
    expect(env.PROMETHEUS_URL).toBe("http://prometheus:9090");
    expect(script).toMatch(/rclone copy "\/prometheus\/snapshots\/\$name" "backup:/);
    expect(script).toContain('rclone delete --min-age "$KEEP_DAYS"');
    expect(env.KEEP_DAYS).toBe("30d");
    expect(env.RCLONE_CONFIG_BACKUP_TYPE).toBe("s3");
    // It reads the snapshot from Prometheus's own volume: that claim, on that node.
    const claim = pod.volumes?.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName;
    expect(claim).toBe("data-prometheus-0");
    expect(JSON.stringify((pod as { affinity?: unknown }).affinity)).toContain('"app.kubernetes.io/name":"prometheus"');
    const prometheusService = find(resources, "Service", "prometheus").spec as { ports: { port: number }[] };
    expect(prometheusService.ports.map((p) => p.port)).toContain(9090);
  });
});
