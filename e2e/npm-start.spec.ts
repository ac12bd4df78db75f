// `npm start` as a newcomer runs it: embedded PostgreSQL, migrations, demo data, web and worker; Ctrl-C
// (SIGINT to the terminal's process group) or SIGTERM to npm stops everything; a second start keeps data.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "@/db/embedded-postgres";
import { signInAs } from "./support/sign-in";

test.describe.configure({ timeout: 240_000 });

/** A free port whose next port is free too: npm start puts the dev identity provider on PORT + 1. */
async function freePortPair(): Promise<number> {
  const isFree = (port: number) =>
    new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
  for (let i = 0; i < 50; i++) {
    const port = await freePort();
    if (await isFree(port + 1)) return port;
  }
  throw new Error("found no two free ports in a row");
}

interface Started {
  npm: ChildProcess;
  output: () => string;
  url: string;
}

async function npmStart(dataDir: string, port: number, extraEnv: Record<string, string> = {}): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VIGIL_DATA_DIR: dataDir,
    PORT: String(port),
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "warn",
    ...extraEnv,
  };
  delete env.DATABASE_URL;
  if (!extraEnv.HOST) delete env.HOST;
  delete env.BOOTSTRAP_ADMIN_TOKEN;
  delete env.APP_URL;
  // Its own process group, like a terminal's foreground job: Ctrl-C signals the whole group.
  const npm = spawn("npm", ["start"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  npm.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  npm.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 150_000;
  while (!output.includes("Vigil is running at")) {
    if (npm.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { npm, output: () => output, url: `http://localhost:${port}` };
}

/** Every process started under npm (web, worker, their children) and the embedded PostgreSQL. */
function processesOf(npmPid: number, dataDir: string): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,args="]).toString().trim().split("\n");
  const table = rows.map((r) => {
    const [pid, ppid, ...args] = r.trim().split(/\s+/);
    return { pid: Number(pid), ppid: Number(ppid), args: args.join(" ") };
  });
  const found = new Set<number>([npmPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of table) {
      if (found.has(p.ppid) && !found.has(p.pid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  for (const p of table) if (p.args.includes(dataDir)) found.add(p.pid);
  return [...found];
}

/** GET /api/v1/incidents answers counted in a /metrics exposition, over every status and process. */
function listRequestsCounted(exposition: string): number {
  return [...exposition.matchAll(/^vigil_http_request_duration_seconds_count\{([^}]*)\} (\d+)$/gm)]
    .filter(([, labels]) => labels!.includes('route="GET /api/v1/incidents"'))
    .reduce((sum, [, , n]) => sum + Number(n), 0);
}

/** This machine's first non-loopback IPv4 address, if it has one: where other machines would connect. */
const externalAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

/** Whether something answers HTTP at this URL. */
const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(5000) }).then(
    () => true,
    () => false,
  );

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once("exit", resolve));
}

async function expectAllGone(pids: number[]): Promise<void> {
  await expect.poll(() => pids.filter(alive), { timeout: 20_000, message: "processes left behind" }).toEqual([]);
}

test("npm start runs the product on embedded defaults, stops cleanly and keeps its data", async ({ page }) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "vigil-npm-start-"));
  chmodSync(dataDir, 0o755);
  const port = await freePortPair();
  try {
    // First start: creates the database, seeds it, serves the app with a printed token, from two web
    // processes on one port (WEB_CONCURRENCY).
    const first = await npmStart(dataDir, port, { WEB_CONCURRENCY: "2" });
    expect(first.output()).toContain("Seeded 12 demo incidents.");
    expect(first.output()).toContain(`Vigil is running at ${first.url} (2 web processes, WEB_CONCURRENCY)`);
    // The runbook catalog is loaded in the migrate step, before the web server or worker starts, so the
    // first alert finds its runbook and automatic action whatever order the processes come up in.
    const runbookFiles = readdirSync(path.join(process.cwd(), "runbooks")).filter((f) => f.endsWith(".md")).length;
    expect(first.output()).toContain(`Runbooks: ${runbookFiles} new`);
    expect(first.output().indexOf("Runbooks:")).toBeLessThan(first.output().indexOf("Seeded"));
    const token = readFileSync(path.join(dataDir, "dev-admin-token"), "utf8").trim();
    expect(first.output()).toContain(`API token (admin):  ${token}`);
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const listed = await (await fetch(`${first.url}/api/v1/incidents?limit=100`, { headers })).json();
    expect(listed.data).toHaveLength(12);
    // Both processes answer (a fresh connection each time, which the cluster hands to them in turn)...
    const fresh = { ...headers, connection: "close" };
    const answering = async () => {
      const pids = new Set<number>();
      for (let i = 0; i < 4; i++)
        pids.add((await (await fetch(`${first.url}/api/health`, { headers: fresh })).json()).webProcess);
      return pids.size;
    };
    await expect.poll(answering, { timeout: 30_000, message: "web processes answering" }).toBe(2);
    // ...and one scrape of /metrics counts the requests both served.
    const before = listRequestsCounted(await (await fetch(`${first.url}/metrics`)).text());
    for (let i = 0; i < 6; i++)
      expect((await fetch(`${first.url}/api/v1/incidents?limit=1`, { headers: fresh })).status).toBe(200);
    expect(listRequestsCounted(await (await fetch(`${first.url}/metrics`)).text())).toBe(before + 6);
    expect(first.output()).toContain("Sign in as alice (admin), bob (responder), carol (viewer), with any password.");
    const signIn = await fetch(first.url);
    expect(signIn.url).toBe(`${first.url}/sign-in?callbackUrl=%2F`);
    expect(await signIn.text()).toContain("Dev identity provider");
    expect((await fetch(`http://localhost:${port + 1}/.well-known/openid-configuration`)).ok).toBe(true);
    // Anyone who reaches the dev identity provider can sign in as an admin: by default neither it nor the
    // web server listens beyond this machine.
    expect(first.output()).toContain("Listening on localhost only; HOST=0.0.0.0 opens it");
    if (externalAddress) {
      expect(
        await answers(`http://${externalAddress}:${port}/api/health`),
        "web server on a non-loopback address",
      ).toBe(false);
      expect(
        await answers(`http://${externalAddress}:${port + 1}/.well-known/openid-configuration`),
        "dev identity provider on a non-loopback address",
      ).toBe(false);
    }
    // Without vendor settings, what Vigil sends lands in the dev inbox (README, "See a page arrive").
    expect(first.output()).toContain(
      `Dev inbox:          ${first.url}/dev/inbox — email, SMS, voice and Slack go there`,
    );
    const fired = await fetch(`${first.url}/api/v1/webhooks/alertmanager`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        version: "4",
        groupKey: '{}:{alertname="CheckoutDown"}',
        status: "firing",
        commonAnnotations: { summary: "Checkout is down" },
        alerts: [{ status: "firing", labels: { alertname: "CheckoutDown", service: "checkout", severity: "page" } }],
      }),
    });
    expect(fired.status).toBe(200);
    const paged = await (await fetch(`${first.url}/api/v1/incidents?q=Checkout%20is%20down`, { headers })).json();
    expect(paged.data).toMatchObject([{ title: "Checkout is down", severity: "P1" }]);
    await signInAs(page, "carol", `${first.url}/dev/inbox`);
    await expect(page.getByRole("heading", { name: "Dev inbox" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Dev inbox" })).toBeVisible();
    const created = await fetch(`${first.url}/api/v1/incidents`, {
      method: "POST",
      headers,
      body: JSON.stringify({ title: "Kept across restarts", severity: "P2" }),
    });
    expect(created.status).toBe(201);

    // Ctrl-C: SIGINT to the whole foreground process group.
    const firstPids = processesOf(first.npm.pid!, dataDir);
    expect(firstPids.length).toBeGreaterThanOrEqual(5); // npm, sh, supervisor, web, worker, postgres
    process.kill(-first.npm.pid!, "SIGINT");
    await waitForExit(first.npm);
    await expectAllGone(firstPids);
    await expect(fetch(`http://localhost:${port + 1}/.well-known/openid-configuration`)).rejects.toThrow();
    expect(readFileSync(path.join(dataDir, "postgres.log"), "utf8")).toMatch(/database system is shut down\s*$/);

    // Second start: same data, no second seeding, open to the network with HOST; then SIGTERM to npm alone.
    const second = await npmStart(dataDir, port, { HOST: "0.0.0.0" });
    expect(second.output()).not.toContain("Seeded");
    // Without WEB_CONCURRENCY, a web process per core this machine lets it use.
    const cores = os.availableParallelism();
    expect(second.output()).toContain(`(${cores} web process${cores === 1 ? "" : "es"}, WEB_CONCURRENCY)`);
    expect(second.output()).toContain("Listening on 0.0.0.0 (HOST)");
    if (externalAddress) {
      expect(
        await answers(`http://${externalAddress}:${port}/api/health`),
        "web server on a non-loopback address",
      ).toBe(true);
      expect(
        await answers(`http://${externalAddress}:${port + 1}/.well-known/openid-configuration`),
        "dev identity provider on a non-loopback address",
      ).toBe(true);
    }
    const again = await (await fetch(`${second.url}/api/v1/incidents?q=Kept%20across`, { headers })).json();
    expect(again.data.map((i: { title: string }) => i.title)).toEqual(["Kept across restarts"]);
    const secondPids = processesOf(second.npm.pid!, dataDir);
    process.kill(second.npm.pid!, "SIGTERM");
    await waitForExit(second.npm);
    await expectAllGone(secondPids);
    expect(readFileSync(path.join(dataDir, "postgres.log"), "utf8")).toMatch(/database system is shut down\s*$/);
  } finally {
    for (const pid of processesOf(-1, dataDir)) if (pid > 0 && alive(pid)) process.kill(pid, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  }
});
