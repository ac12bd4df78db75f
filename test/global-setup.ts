// Integration tier setup: a PostgreSQL server (DATABASE_URL's, or an embedded one when unset), and a
// template database with every migration applied. Each test file clones the template (CREATE DATABASE
// ... TEMPLATE, tens of milliseconds), so files run in parallel without sharing rows.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/db/embedded-postgres";
import { migrateDatabase } from "@/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    serverUrl: string;
    templateDatabase: string;
  }
}

export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedPostgres | undefined;
  let embeddedDir: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embeddedDir = mkdtempSync(path.join(os.tmpdir(), "vigil-test-pg-"));
    chmodSync(embeddedDir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach its data directory
    embedded = await startEmbeddedPostgres({ dataDir: path.join(embeddedDir, "data") });
    serverUrl = embedded.url("postgres");
  }

  const templateDatabase = `vigil_template_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await dropLeftovers(admin);
  await admin.unsafe(`create database ${templateDatabase}`);
  await migrateDatabase(databaseUrlFor(serverUrl, templateDatabase));

  project.provide("serverUrl", serverUrl);
  project.provide("templateDatabase", templateDatabase);

  return async () => {
    await admin.unsafe(`drop database if exists ${templateDatabase} with (force)`);
    await admin.end();
    await embedded?.stop();
    if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
  };
}

/** Databases from earlier runs that crashed before their teardown (nobody is connected to them). */
async function dropLeftovers(admin: postgres.Sql) {
  const rows = await admin<{ datname: string }[]>`
    select datname from pg_database d
    where (datname like 'vigil_template_%' or datname like 'vigil_test_%')
      and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)`;
  for (const { datname } of rows) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
}
