// Starts what the e2e specs drive: PostgreSQL (DATABASE_URL's server, or an embedded one), a fresh
// database with migrations and demo data, the built web app (`next start`) and, later, the worker.
// Returns the teardown, which stops them all.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createDatabaseClient } from "@/db/client";
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from "@/db/embedded-postgres";
import { migrateDatabase } from "@/db/migrate";
import { seedDemoData } from "@/db/seed";
import { ensureBootstrapToken } from "@/lib/auth/api-tokens";
import { E2E_PORT } from "../playwright.config";
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, startDevIdentityProvider } from "../scripts/dev-identity-provider";
import { E2E_ADMIN_TOKEN, e2eStatePath, writeE2eState } from "./support/state";
import { startTcpProxy } from "./support/tcp-proxy";

export default async function globalSetup() {
  let embedded: EmbeddedPostgres | undefined;
  let tmp: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    tmp = mkdtempSync(path.join(os.tmpdir(), "vigil-e2e-"));
    chmodSync(tmp, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg") });
    serverUrl = embedded.url("postgres");
  }
  const database = `vigil_e2e_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${database} with (force)`);
  await admin.unsafe(`create database ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  await migrateDatabase(databaseUrl);
  const client = createDatabaseClient(databaseUrl, { max: 1 });
  await seedDemoData(client.db);
  // What `npm start`'s supervisor does with BOOTSTRAP_ADMIN_TOKEN.
  await ensureBootstrapToken(client.db, E2E_ADMIN_TOKEN, new Date());
  await client.close();

  // The app reaches PostgreSQL through a proxy that specs can cut, for real outages.
  const proxy = await startTcpProxy({ host: url.hostname === "localhost" ? "127.0.0.1" : url.hostname, port: Number(url.port || 5432) });
  const appDatabaseUrl = new URL(databaseUrl);
  appDatabaseUrl.hostname = "127.0.0.1";
  appDatabaseUrl.port = String(proxy.port);

  const appUrl = `http://localhost:${E2E_PORT}`;
  const identityProvider = await startDevIdentityProvider({ port: await freePort(), appUrl });
  const logDir = path.resolve("e2e/artifacts");
  mkdirSync(logDir, { recursive: true });
  const env = {
    ...process.env,
    DATABASE_URL: appDatabaseUrl.toString(),
    PORT: String(E2E_PORT),
    APP_URL: appUrl,
    BOOTSTRAP_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
    AUTH_SECRET: "e2e-auth-secret-0123456789abcdef0123456789",
    OIDC_ISSUER: identityProvider.issuer,
    OIDC_CLIENT_ID: DEV_CLIENT_ID,
    OIDC_CLIENT_SECRET: DEV_CLIENT_SECRET,
    VIGIL_DEV_IDP: "1",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const web = startProcess("web", process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(E2E_PORT)], env, logDir);
  try {
    await waitForHealthy(`${appUrl}/api/health`, web);
  } catch (error) {
    // Playwright runs no teardown when setup fails: leave nothing listening behind.
    await stopProcess(web);
    await identityProvider.close();
    await proxy.close();
    await embedded?.stop();
    throw error;
  }

  writeE2eState({ databaseUrl, appUrl, databaseProxyControlPort: proxy.controlPort });
  return async () => {
    await stopProcess(web);
    await identityProvider.close();
    await proxy.close();
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
    await embedded?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    rmSync(e2eStatePath, { force: true });
  };
}

function startProcess(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logDir: string): ChildProcess {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const log = (chunk: Buffer) => appendFileSync(path.join(logDir, `${name}.log`), chunk);
  child.stdout?.on("data", log);
  child.stderr?.on("data", log);
  return child;
}

async function waitForHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web server exited early (code ${child.exitCode}); see e2e/artifacts/web.log`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become healthy within 60 s`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid, "SIGTERM");
  const force = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(force);
}
