// A stand-in for Next's server under scripts/web-server.mjs in its tests: it answers with its process id,
// counts each request in the web server's metrics registry, and serves /metrics for the machine as the
// /metrics route does. GET /exit ends it with code 3 (a crash); STAND_IN_FAIL_AT_START=1 ends it before it
// listens (a bad setting).
import { createServer } from "node:http";
import { joinMachineMetrics, machineExposition } from "@/lib/observability/machine-metrics";
import { getMetrics } from "@/lib/observability/metrics";

if (process.env.STAND_IN_FAIL_AT_START === "1") process.exit(4);
const metrics = getMetrics();
joinMachineMetrics(metrics.registry);

const server = createServer((req, res) => {
  if (req.url === "/metrics") {
    void machineExposition(metrics.registry).then(
      (text) => res.end(text),
      (error: Error) => res.writeHead(500).end(error.message),
    );
    return;
  }
  if (req.url === "/exit") process.exit(3);
  metrics.httpRequestsFailed.inc({ route: "/stand-in" });
  res.end(String(process.pid));
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
