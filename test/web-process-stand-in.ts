// A stand-in for Next's server under scripts/web-server.mjs in its tests: it answers with its process id,
// counts each request in the web server's metrics registry, and serves /metrics for the machine with the
// /metrics route's own renderer (against DATABASE_URL). GET /exit ends it with code 3 (a crash); STAND_IN_FAIL_AT_START=1 ends it before it
// listens (a bad setting).
import { createServer } from "node:http";
import { createDatabaseClient } from "@/db/client";
import { joinMachineMetrics } from "@/lib/observability/machine-metrics";
import { getMetrics } from "@/lib/observability/metrics";
import { renderPrometheusMetrics } from "@/lib/operations/prometheus-metrics";

if (process.env.STAND_IN_FAIL_AT_START === "1") process.exit(4);
const metrics = getMetrics();
joinMachineMetrics(metrics.registry);
const database = createDatabaseClient(process.env.DATABASE_URL!, { max: 2 });

const server = createServer((req, res) => {
  if (req.url === "/metrics") {
    void renderPrometheusMetrics(database.db, () => {}).then(
      ({ body }) => res.end(body),
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
