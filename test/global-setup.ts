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
import { databaseName, dropLeftoverDatabases } from "./leftover-databases";

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

  const templateDatabase = databaseName("vigil_template");
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await dropLeftoverDatabases(admin, ["vigil_template", "vigil_test"]);
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
