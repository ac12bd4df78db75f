// The app's processes as the e2e tier runs them: `next start` and the worker, each in its own process
// group with its output in e2e/artifacts. Workers are recorded in a file, so a spec can kill one and
// start another, and the teardown still stops every one of them.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const artifacts = path.resolve("e2e/artifacts");
const workerPidsFile = path.join(artifacts, "worker-pids");

function startProcess(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const log = (chunk: Buffer) => appendFileSync(path.join(artifacts, `${name}.log`), chunk);
  child.stdout?.on("data", log);
  child.stderr?.on("data", log);
  return child;
}

// Idle keep-alive connections stay open 65 s (Node closes them after 5 s): a test that waits a few seconds
// between two requests would otherwise send the second on a socket the server is closing (ECONNRESET).
export const startApp = (env: Record<string, string>) =>
  startProcess(
    "web",
    ["node_modules/next/dist/bin/next", "start", "-p", env.PORT!, "--keepAliveTimeout", "65000"],
    env,
  );

export function startWorker(env: Record<string, string>): ChildProcess {
  const worker = startProcess("worker", ["--import", "tsx", "worker/index.ts"], env);
  appendFileSync(workerPidsFile, `${worker.pid}\n`);
  return worker;
}

/** The pid of the newest worker started, for a spec that wants to kill it. */
export function currentWorkerPid(): number {
  const pids = readFileSync(workerPidsFile, "utf8").trim().split("\n").map(Number);
  return pids.at(-1)!;
}

export async function stopRecordedWorkers(): Promise<void> {
  if (!existsSync(workerPidsFile)) return;
  for (const pid of readFileSync(workerPidsFile, "utf8").trim().split("\n").map(Number)) {
    await stopPid(pid);
  }
  rmSync(workerPidsFile, { force: true });
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  await stopPid(child.pid);
}

async function stopPid(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      // already gone
    }
  };
  if (!alive()) return;
  signal("SIGTERM");
  for (let waited = 0; waited < 10_000 && alive(); waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (alive()) signal("SIGKILL");
}

/** Waits for /api/health to answer 200 and, with `worker`, to report the worker's heartbeat as well. */
export async function waitForHealthy(
  url: string,
  child: ChildProcess,
  options: { worker?: boolean } = {},
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the web server exited early (code ${child.exitCode}); see e2e/artifacts/web.log`);
    try {
      const res = await fetch(url);
      if (res.status === 200 && (!options.worker || ((await res.json()) as { worker?: string }).worker === "ok"))
        return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${url} did not become healthy${options.worker ? ", with the worker's heartbeat," : ""} within 60 s; see e2e/artifacts/web.log and worker.log`,
  );
}
