import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SECRET_SETTINGS } from "@/lib/env";
import { childEnvironment } from "./child-environment";

describe("the environment npm start gives its children", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-child-env-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("carries the values read from NAME_FILE and no _FILE name, so a child never sees both", () => {
    const parent: Record<string, string> = { LOG_LEVEL: "debug", PATH: "/usr/bin" };
    for (const name of SECRET_SETTINGS) {
      const file = path.join(dir, name);
      writeFileSync(file, `from-file-${name}\n`);
      parent[`${name}_FILE`] = file;
    }
    // What start.ts settles itself (the embedded database, the kept session secret) wins over the file's.
    const env = childEnvironment(parent, { DATABASE_URL: "postgres://localhost:5433/vigil", PORT: "3000" });
    expect(Object.keys(env).filter((name) => name.endsWith("_FILE"))).toEqual([]);
    expect(env).toMatchObject({ LOG_LEVEL: "debug", PATH: "/usr/bin", PORT: "3000" });
    expect(env.DATABASE_URL).toBe("postgres://localhost:5433/vigil");
    for (const name of SECRET_SETTINGS.filter((n) => n !== "DATABASE_URL"))
      expect(env[name], name).toBe(`from-file-${name}`);
  });

  it("leaves other settings ending in _FILE alone", () => {
    expect(childEnvironment({ SOME_TOOL_FILE: "/etc/tool.conf" })).toEqual({ SOME_TOOL_FILE: "/etc/tool.conf" });
  });
});
