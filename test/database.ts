// Per-file test database: a clone of the migrated template, dropped after the file's tests.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { createDatabaseClient, type DatabaseClient } from "@/db/client";
import { databaseUrlFor } from "./global-setup";
import { databaseName } from "./leftover-databases";

export interface TestDatabase extends DatabaseClient {
  url: string;
  name: string;
}

/** Registers beforeAll/afterAll hooks; read the returned object's fields inside tests. */
export function useTestDatabase(): TestDatabase {
  const handle = {} as TestDatabase;
  beforeAll(async () => {
    const serverUrl = inject("serverUrl");
    const name = databaseName("vigil_test", randomBytes(6).toString("hex"));
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database ${name} template ${inject("templateDatabase")}`);
    } finally {
      await admin.end();
    }
    const url = databaseUrlFor(serverUrl, name);
    Object.assign(handle, createDatabaseClient(url, { max: 20, applicationName: "vigil-test" }), { url, name });
  });
  afterAll(async () => {
    await handle.close?.();
    const admin = postgres(inject("serverUrl"), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`drop database if exists ${handle.name} with (force)`);
    } finally {
      await admin.end();
    }
  });
  return handle;
}
