// The Next.js yardstick: a bare Next.js app, generated in a temporary directory (with this repository's
// node_modules, so the same Next.js and React), whose one route handler answers a JSON held in memory.
// What Next.js itself costs per request on this machine, against which the list API is judged (issue 22).
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

/** Builds the bare app around `answerJson` and serves it with `next start`; cleanup stops it and removes it. */
export async function startNextYardstick(
  answerJson: string,
  port: number,
  env: NodeJS.ProcessEnv,
): Promise<{ server: ChildProcess; url: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-next-yardstick-"));
  onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, "app", "api", "incidents"), { recursive: true });
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ private: true, name: "next-yardstick" }));
  writeFileSync(path.join(dir, "next.config.mjs"), `export default { poweredByHeader: false };\n`);
  writeFileSync(path.join(dir, "answer.json"), answerJson);
  writeFileSync(path.join(dir, "app", "api", "incidents", "route.js"), routeJs);
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
  return { server, url };
}
