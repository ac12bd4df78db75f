// The Next.js yardstick: a bare Next.js app, generated in a temporary directory (with this repository's
// node_modules, so the same Next.js and React), with two route handlers: GET /api/incidents answers a JSON
// held in memory, and POST /api/alerts reads and parses a JSON body and answers a small JSON. What Next.js
// itself costs per request on this machine, against which the list API and ingestion are judged (issue 22).
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { ChildProcess } from "node:child_process";
import { onCleanup, root, say, startDetached, waitForHealthy } from "./support";

const routeJs = `// The answer, parsed once; serialised per request as a route handler that answers an object does.
import answer from "../../../answer.json";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(answer);
}
`;

const alertsRouteJs = `// A webhook's least work: the body read and parsed, a small summary answered.
export const dynamic = "force-dynamic";

export async function POST(request) {
  const body = await request.json();
  const alerts = Array.isArray(body?.alerts) ? body.alerts.length : 0;
  return Response.json({ alerts, ignored: 0, incidents: { created: [], reopened: [], updated: [], resolved: [] } });
}
`;

/**
 * Builds the bare app around `answerJson` and serves it with `next start`; cleanup stops it and removes it.
 * `url` is the GET route's; the POST route is `alertsUrl`.
 */
export async function startNextYardstick(
  answerJson: string,
  port: number,
  env: NodeJS.ProcessEnv,
): Promise<{ server: ChildProcess; url: string; alertsUrl: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-next-yardstick-"));
  onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, "app", "api", "incidents"), { recursive: true });
  mkdirSync(path.join(dir, "app", "api", "alerts"), { recursive: true });
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ private: true, name: "next-yardstick" }));
  writeFileSync(path.join(dir, "next.config.mjs"), `export default { poweredByHeader: false };\n`);
  writeFileSync(path.join(dir, "answer.json"), answerJson);
  writeFileSync(path.join(dir, "app", "api", "incidents", "route.js"), routeJs);
  writeFileSync(path.join(dir, "app", "api", "alerts", "route.js"), alertsRouteJs);
  const next = path.join(root, "node_modules/next/dist/bin/next");
  // With webpack: Turbopack refuses a node_modules outside the project's root (a symlink here), and with
  // the repository as its root it builds Vigil's instrumentation.ts into the bare app.
  say(`Building the bare Next.js yardstick in ${dir}…`);
  const started = performance.now();
  await promisify(execFile)(process.execPath, [next, "build", "--webpack"], {
    cwd: dir,
    env: { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    timeout: 300_000,
  });
  say(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const url = `http://127.0.0.1:${port}/api/incidents`;
  // Started from its directory, with the same keep-alive as the app (startWebServer).
  const server = startDetached(
    "/bin/sh",
    [
      "-c",
      `cd "$0" && exec "$1" "$2" start -p "$3" --keepAliveTimeout 65000`,
      dir,
      process.execPath,
      next,
      String(port),
    ],
    { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  );
  await waitForHealthy(url, server);
  return { server, url, alertsUrl: `http://127.0.0.1:${port}/api/alerts` };
}
