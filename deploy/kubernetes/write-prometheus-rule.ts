// npm run deploy:prometheus-rule – rewrites deploy/kubernetes/base/prometheus-rule.yaml from deploy/prometheus/rules.
import { writeFileSync } from "node:fs";
import { prometheusRuleFile, renderPrometheusRule } from "./prometheus-rule";

writeFileSync(prometheusRuleFile, renderPrometheusRule());
console.log(`Wrote ${prometheusRuleFile}`);
