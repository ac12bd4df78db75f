// vigil_remediations_total{action,status}: every decision and every result, counted by the process that
// recorded it (the web server for people's requests and approvals, the worker for automatic requests and
// run results); sum over processes. The counter lives once per process and joins the registry that
// process serves: the worker attaches its own at start, anything else lands in the web server's.
import { Counter, type Registry } from "prom-client";
import { getMetrics } from "../observability/metrics";

const globalKey = Symbol.for("vigil.remediationMetrics");
interface RemediationMetrics {
  counter: Counter<"action" | "status">;
  registries: Set<Registry>;
}
type GlobalWithMetrics = typeof globalThis & { [globalKey]?: RemediationMetrics };

function metrics(): RemediationMetrics {
  const g = globalThis as GlobalWithMetrics;
  g[globalKey] ??= {
    counter: new Counter({
      name: "vigil_remediations_total",
      help: "Remediation runs by action type and status: the policy's decisions (approved, pending_approval, rate_limited, denied), people's (rejected) and the results (succeeded, failed)",
      labelNames: ["action", "status"],
      registers: [],
    }),
    registries: new Set(),
  };
  return g[globalKey];
}

/** Makes the counter part of `registry` (the worker's, at its start). */
export function attachRemediationMetrics(registry: Registry): void {
  const m = metrics();
  if (m.registries.has(registry)) return;
  registry.registerMetric(m.counter);
  m.registries.add(registry);
}

export function countRemediation(action: string, status: string): void {
  const m = metrics();
  if (m.registries.size === 0) attachRemediationMetrics(getMetrics().registry);
  m.counter.inc({ action, status });
}
