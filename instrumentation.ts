// Runs once when the web server starts (Next.js instrumentation hook).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { refuseToStartIfMisconfigured } = await import("@/lib/operations/startup-check");
  refuseToStartIfMisconfigured();
  // Client addresses for the audit log come from the socket (lib/http/peer-address.ts).
  const { stampPeerAddresses } = await import("@/lib/http/peer-address");
  stampPeerAddresses();
  // One of several web processes (WEB_CONCURRENCY): ready to report metrics before the first scrape.
  const { joinMachineMetrics } = await import("@/lib/observability/machine-metrics");
  const { getMetrics } = await import("@/lib/observability/metrics");
  joinMachineMetrics(getMetrics().registry);
}
