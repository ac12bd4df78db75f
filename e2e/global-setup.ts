// Starts what the e2e specs drive: PostgreSQL (DATABASE_URL's server, or an embedded one), a fresh
// database with migrations and demo data, the loopback fakes of Slack, PagerDuty, SMS and SMTP, the dev
// identity provider, the built web app (`next start`) and the worker. Returns the teardown.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createDatabaseClient } from "@/db/client";
import { freePort, startEmbeddedPostgres } from "@/db/embedded-postgres";
import { migrateDatabase } from "@/db/migrate";
import { seedDemoData } from "@/scripts/demo-data";
import { ensureBootstrapToken } from "@/lib/auth/api-tokens";
import { E2E_PORT } from "../playwright.config";
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, startDevIdentityProvider } from "../scripts/dev-identity-provider";
import { startAllFakes } from "./fakes";
import { startApp, startWorker, stopProcess, stopRecordedWorkers, waitForHealthy } from "./support/processes";
import { E2E_ADMIN_TOKEN, E2E_SLACK_SIGNING_SECRET, e2eStatePath, writeE2eState } from "./support/state";
import { startTcpProxy } from "../test/tcp-proxy";
import { databaseName, dropLeftoverDatabases } from "../test/leftover-databases";

export default async function globalSetup() {
  const cleanup: (() => Promise<unknown>)[] = [];
  const teardown = async () => {
    for (const step of cleanup.reverse()) await step().catch((error: unknown) => console.error("e2e teardown:", error));
  };
  try {
    let serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) {
      const tmp = mkdtempSync(path.join(os.tmpdir(), "vigil-e2e-"));
      chmodSync(tmp, 0o755);
      const embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg") });
      cleanup.push(async () => {
        await embedded.stop();
        rmSync(tmp, { recursive: true, force: true });
      });
      serverUrl = embedded.url("postgres");
    }
    const database = databaseName("vigil_e2e");
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await dropLeftoverDatabases(admin, ["vigil_e2e"]);
    await admin.unsafe(`create database ${database}`);
    cleanup.push(async () => {
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      await admin.end();
    });
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    const databaseUrl = url.toString();
    await migrateDatabase(databaseUrl);
    const client = createDatabaseClient(databaseUrl, { max: 1 });
    await seedDemoData(client.db);
    // The demo's default policy would page alice or bob for every incident of every spec, and put its
    // steps on every timeline a spec counts. Specs about paging set up the policy they test
    // (escalation.spec.ts feeds one from an integration); the demo's stays, but not as the default.
    await client.sql`update escalation_policies set is_default = false where is_default`;
    // What `npm start`'s supervisor does with BOOTSTRAP_ADMIN_TOKEN.
    await ensureBootstrapToken(client.db, E2E_ADMIN_TOKEN, new Date());
    await client.close();

    // The app and the worker reach PostgreSQL through a proxy that specs can cut, for real outages.
    const proxy = await startTcpProxy({
      host: url.hostname === "localhost" ? "127.0.0.1" : url.hostname,
      port: Number(url.port || 5432),
    });
    cleanup.push(() => proxy.close());
    const appDatabaseUrl = new URL(databaseUrl);
    appDatabaseUrl.hostname = "127.0.0.1";
    appDatabaseUrl.port = String(proxy.port);

    const fakes = await startAllFakes();
    cleanup.push(() => fakes.close());
    const appUrl = `http://localhost:${E2E_PORT}`;
    const identityProvider = await startDevIdentityProvider({ port: await freePort(), appUrl });
    cleanup.push(() => identityProvider.close());

    mkdirSync(path.resolve("e2e/artifacts"), { recursive: true });
    const env: Record<string, string> = {
      ...fakes.env,
      DATABASE_URL: appDatabaseUrl.toString(),
      PORT: String(E2E_PORT),
      APP_URL: appUrl,
      BOOTSTRAP_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      AUTH_SECRET: "e2e-auth-secret-0123456789abcdef0123456789",
      OIDC_ISSUER: identityProvider.issuer,
      OIDC_CLIENT_ID: DEV_CLIENT_ID,
      OIDC_CLIENT_SECRET: DEV_CLIENT_SECRET,
      VIGIL_DEV_IDP: "1",
      VIGIL_CONFIG: "e2e/artifacts/no-routing-file.yaml",
      // Nothing listens there: the specs check the panel URLs Vigil builds, not Grafana itself.
      GRAFANA_URL: "http://localhost:3999",
      SLACK_SIGNING_SECRET: E2E_SLACK_SIGNING_SECRET,
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "info",
      // Short enough that a crashed worker's jobs come back within a test.
      WORKER_STALE_AFTER: "3s",
      WORKER_METRICS_PORT: String(await freePort()),
      NOTIFY_RETRY_BASE: "300ms",
    };
    writeE2eState({
      databaseUrl,
      appUrl,
      databaseProxyControlPort: proxy.controlPort,
      fakes: fakes.controlUrls,
      workerEnv: env,
    });

    const web = startApp(env);
    cleanup.push(() => stopProcess(web));
    startWorker(env);
    cleanup.push(() => stopRecordedWorkers());
    // Specs expect the whole product: the worker too (its first heartbeat can come after the web server).
    await waitForHealthy(`${appUrl}/api/health`, web, { worker: true });
  } catch (error) {
    // Playwright runs no teardown when setup fails: leave nothing listening behind.
    await teardown();
    throw error;
  }
  return async () => {
    await teardown();
    rmSync(e2eStatePath, { force: true });
  };
}
