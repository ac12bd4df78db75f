// The PrometheusRule in deploy/kubernetes/base is deploy/prometheus/rules/*.yml for the Prometheus
// Operator: the same groups, in one resource. Written by `npm run deploy:prometheus-rule`;
// deploy/kubernetes.test.ts fails when the two drift.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const deployDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const rulesDir = path.join(deployDir, "prometheus", "rules");
export const prometheusRuleFile = path.join(deployDir, "kubernetes", "base", "prometheus-rule.yaml");

/** Every rule group of deploy/prometheus/rules, files in name order. */
export function ruleGroups(): unknown[] {
  return readdirSync(rulesDir)
    .filter((f) => f.endsWith(".yml"))
    .sort()
    .flatMap((f) => (YAML.parse(readFileSync(path.join(rulesDir, f), "utf8")) as { groups: unknown[] }).groups);
}

export function renderPrometheusRule(): string {
  const resource = {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: "vigil",
      labels: { "app.kubernetes.io/name": "vigil", "app.kubernetes.io/component": "monitoring" },
    },
    spec: { groups: ruleGroups() },
  };
  const header = [
    "# Generated from deploy/prometheus/rules/*.yml by `npm run deploy:prometheus-rule`: edit those files, then",
    "# run it again (deploy/kubernetes.test.ts fails while this file is out of date).",
    "# The Prometheus Operator loads it when its ruleSelector matches these labels (kube-prometheus-stack",
    "# selects `release: <its release name>` by default: add that label in your overlay).",
  ].join("\n");
  return `${header}\n${YAML.stringify(resource, { lineWidth: 0 })}`;
}
