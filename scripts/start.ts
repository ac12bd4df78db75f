// npm start – the whole product on one machine: an embedded PostgreSQL (unless DATABASE_URL is set),
// migrations, demo data on an empty database, a production build when the sources changed, then the web
// server and the worker. Ctrl-C (or SIGTERM) stops the web server and the worker first and the database
// last, and leaves no process behind.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { createDatabaseClient } from "@/db/client";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedPostgres } from "@/db/embedded-postgres";
import { migrateDatabase } from "@/db/migrate";
import { seedDemoData } from "./demo-data";
import { describeSyncReport, syncRunbookFiles } from "@/lib/runbooks/sync-runbook-files";
import { ensureBootstrapToken } from "@/lib/auth/api-tokens";
import { devAccounts } from "@/lib/auth/dev-accounts";
import { ConfigError, loadConfig, type Config } from "@/lib/env";
import { checkStoredMatchers } from "@/lib/runbooks/stored-matcher-check";
import { childEnvironment } from "./child-environment";
import { channelList, devInboxSettings, type DevInbox } from "./dev-inbox-settings";
import {
  DEV_CLIENT_ID,
  DEV_CLIENT_SECRET,
  startDevIdentityProvider,
  type DevIdentityProvider,
} from "./dev-identity-provider";

const root = process.cwd();
const say = (message: string) => console.log(`\x1b[36m[vigil]\x1b[0m ${message}`);

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

// WEB_CONCURRENCY processes of `next start` on one port (scripts/web-server.mjs); here the default is the
// cores this process may use.
const webProcesses = config.webConcurrency ?? availableParallelism();

/**
 * Connections the processes may hold at once (docs/operations.md): per web process 10 for statements, 10 for
 * transactions, the live board's LISTEN and the token cache's; the worker about 30 (its two pools, plus
 * graphile-worker's); 10 to spare for this script's own client and a psql.
 */
function connectionsNeeded(web: number): number {
  return web * 22 + 30 + 10;
}

const children: { name: string; process: ChildProcess }[] = [];
let database: EmbeddedPostgres | undefined;
let identityProvider: DevIdentityProvider | undefined;
let devInbox: DevInbox | undefined;
let stopping = false;

async function main() {
  const dataDir = path.resolve(root, config.dataDir);
  mkdirSync(dataDir, { recursive: true });

  let databaseUrl = config.databaseUrl;
  if (databaseUrl) {
    say(`Using the database at DATABASE_URL (${redactUrl(databaseUrl)}).`);
  } else {
    say("No DATABASE_URL: starting the embedded PostgreSQL…");
    database = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, "postgres"),
      onProgress: say,
      maxConnections: Math.max(200, connectionsNeeded(webProcesses)),
    });
    await ensureDatabase(database.url("postgres"), "vigil");
    databaseUrl = database.url("vigil");
    say(`Embedded PostgreSQL is up on port ${database.port} (data in ${path.relative(root, dataDir)}/postgres).`);
  }

  say("Applying migrations…");
  await migrateDatabase(databaseUrl);

  const token = config.bootstrapAdminToken ?? (database ? devAdminToken(dataDir) : undefined);
  const client = createDatabaseClient(databaseUrl, { max: 1, applicationName: "vigil-start" });
  try {
    for (const line of await checkStoredMatchers(client.db)) say(line);
    // The runbook catalog before any process starts, as `npm run db:migrate` does before a rollout: an
    // alert that arrives the moment the web server listens finds its runbook (and automatic action).
    for (const line of describeSyncReport(await syncRunbookFiles(client.db, config.runbooks.dir, new Date())))
      say(line);
    const seeded = await seedDemoData(client.db);
    if (seeded) say(`Seeded ${seeded} demo incidents.`);
    if (token) {
      const state = await ensureBootstrapToken(client.db, token, new Date());
      if (state === "revoked") say("The bootstrap admin token was revoked by an admin; it stays revoked.");
    }
  } finally {
    await client.close();
  }

  if (stopping) return;
  await buildIfNeeded();
  if (stopping) return;

  // Without an identity provider of your own, sign in through the dev one (fixed accounts) — but never
  // in production, where it would let anyone in.
  let signIn: Record<string, string> = {};
  if (!config.auth.issuer && config.nodeEnv === "production") {
    throw new Error(
      "NODE_ENV is production and OIDC_ISSUER is not set: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (the dev identity provider accepts any password, so it never runs in production)",
    );
  }
  if (!config.auth.issuer) {
    const port = config.port + 1;
    identityProvider = await startDevIdentityProvider({ port, appUrl: config.appUrl, host: config.host });
    signIn = {
      OIDC_ISSUER: identityProvider.issuer,
      OIDC_CLIENT_ID: DEV_CLIENT_ID,
      OIDC_CLIENT_SECRET: DEV_CLIENT_SECRET,
      VIGIL_DEV_IDP: "1",
    };
    say(`Dev identity provider on ${identityProvider.issuer} (for local use only).`);
  }

  // Channels without vendor settings deliver to the dev inbox (/dev/inbox) — never in production.
  if (config.nodeEnv !== "production") {
    devInbox = await devInboxSettings(config, databaseUrl);
    if (devInbox)
      say(`Dev inbox for ${channelList(devInbox.channels)}: no vendor settings for them (for local use only).`);
  }

  // Values read from NAME_FILE are passed on as NAME, and the _FILE names are not (lib/env.ts refuses both).
  const env = childEnvironment(process.env, {
    DATABASE_URL: databaseUrl,
    PORT: String(config.port),
    APP_URL: config.appUrl,
    AUTH_SECRET: config.auth.secret ?? keptSecret(dataDir, "auth-secret"),
    ...signIn,
    ...devInbox?.env,
    ...(token ? { BOOTSTRAP_ADMIN_TOKEN: token } : {}),
  });
  // Keep-alive longer than the 60 s idle timeout of the usual proxies in front, so that neither side sends
  // a request on a connection the other is closing (Node's default is 5 s).
  // On localhost unless HOST says otherwise: with the dev identity provider, anyone who reaches the page
  // can sign in as an admin.
  startChild(
    "web",
    process.execPath,
    [
      path.join(root, "scripts/web-server.mjs"),
      path.join(root, "node_modules/next/dist/bin/next"),
      "start",
      "-p",
      String(config.port),
      "-H",
      config.host,
      "--keepAliveTimeout",
      "65000",
    ],
    { ...env, WEB_CONCURRENCY: String(webProcesses) },
  );
  startChild("worker", process.execPath, ["--import", "tsx", path.join(root, "worker/index.ts")], env);

  await waitForHealth(`http://localhost:${config.port}/api/health`);
  const lines = [
    "",
    `Vigil is running at ${config.appUrl} (${webProcesses} web process${webProcesses === 1 ? "" : "es"}, WEB_CONCURRENCY)`,
    config.host === "localhost"
      ? "Listening on localhost only; HOST=0.0.0.0 opens it (and the dev identity provider) to other machines."
      : `Listening on ${config.host} (HOST)${identityProvider ? ", the dev identity provider too: anyone who reaches it can sign in as an admin" : ""}.`,
    "",
    identityProvider
      ? `Sign in as ${devAccounts.map((a) => `${a.login} (${a.role})`).join(", ")}, with any password.`
      : `Sign in through ${config.auth.issuer}.`,
    token
      ? `API token (admin):  ${token}\n  try:  curl -H "Authorization: Bearer ${token}" ${config.appUrl}/api/v1/incidents`
      : "API tokens:  npm run token -- create --name me --role admin   (with the same DATABASE_URL)",
    `API reference:      ${config.appUrl}/api/v1/openapi.json`,
    devInbox ? `Dev inbox:          ${config.appUrl}/dev/inbox — ${channelList(devInbox.channels)} go there` : "",
    database ? `Database:           ${databaseUrl}` : "",
    "",
    "Press Ctrl-C to stop.",
    "",
  ];
  console.log(lines.filter((l, i, all) => l !== "" || all[i - 1] !== "").join("\n"));
}

/** The embedded database's admin token: made once, kept in the data directory beside the database. */
function devAdminToken(dataDir: string): string {
  return keptSecret(dataDir, "dev-admin-token", () => `vgl_dev_${randomBytes(18).toString("base64url")}`);
}

/** A random secret made on first start and kept (mode 600) in the data directory, so restarts keep it. */
function keptSecret(dataDir: string, name: string, make = () => randomBytes(32).toString("base64url")): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = make();
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

const sourceEntries = [
  "app",
  "components",
  "lib",
  "db",
  "public",
  "proxy.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "package-lock.json",
  "tsconfig.json",
];

async function buildIfNeeded(): Promise<void> {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (existsSync(buildId)) {
    const builtAt = statSync(buildId).mtimeMs;
    if (newestSourceChange() <= builtAt) return;
    say("The sources changed since the last build; building again (about a minute)…");
  } else {
    say("No production build yet; building the web app (about a minute, first start only)…");
  }
  const build = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    stdio: "inherit",
    env: childEnvironment(process.env),
  });
  children.push({ name: "build", process: build });
  const code = await new Promise<number | null>((resolve) => build.once("exit", resolve));
  children.splice(
    children.findIndex((c) => c.process === build),
    1,
  );
  if (code !== 0 && !stopping) throw new Error(`next build failed (exit code ${code})`);
}

function newestSourceChange(): number {
  let newest = 0;
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(p))
        if (!entry.startsWith(".") && entry !== "node_modules" && entry !== "migrations") visit(path.join(p, entry));
    } else if (!/\.test\.tsx?$/.test(p)) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const entry of sourceEntries) visit(path.join(root, entry));
  return newest;
}

function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): void {
  // Each child leads its own process group, so Ctrl-C reaches only this supervisor, which then stops
  // them in order; stopping a group also stops anything a child started itself.
  const child = spawn(command, args, { env, stdio: "inherit", detached: true });
  children.push({ name, process: child });
  child.once("exit", (code, signal) => {
    if (stopping) return;
    console.error(
      `[vigil] The ${name} process exited unexpectedly (${signal ?? `code ${code}`}); stopping everything.`,
    );
    void shutdown(1);
  });
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!stopping) throw new Error(`The web server did not become healthy at ${url} within 60 s`);
}

async function shutdown(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say("Stopping…");
  await Promise.all(children.map(({ process: child }) => stopProcessGroup(child)));
  await identityProvider?.close();
  await devInbox?.close();
  if (database) {
    await database.stop();
    say("Embedded PostgreSQL stopped.");
  }
  process.exit(exitCode);
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      child.kill(signal);
    }
  };
  signalGroup("SIGTERM");
  const force = setTimeout(() => signalGroup("SIGKILL"), 15_000);
  await exited;
  clearTimeout(force);
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

// npm runs this script through `sh -c`, and when npm is sent SIGTERM it signals only that shell, which
// dies without passing it on. So a change of parent means whoever started us has gone: stop as if told.
const parentAtStart = process.ppid;
setInterval(() => {
  if (process.ppid !== parentAtStart) void shutdown(0);
}, 500).unref();

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (stopping) {
      say("Still stopping; send the signal once more… (or wait)");
      return;
    }
    void shutdown(0);
  });
}

main().catch(async (error: unknown) => {
  console.error(`[vigil] Start failed: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
