// The Dockerfile read against the repository, without a Docker engine: what it copies exists and gets
// past .dockerignore, the runtime stage holds every file the worker and the scripts load, their packages
// are production dependencies, and it runs as a non-root user. e2e/container-image.spec.ts then carries
// the stages out and runs the result.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  copiesOf,
  envOf,
  execForm,
  lastArg,
  readDockerfile,
  readDockerignore,
  repoRoot,
  stageNamed,
  type Stage,
} from "./dockerfile";

const stages = readDockerfile();
const ignored = readDockerignore();
const runtime = stageNamed(stages, "runtime");

/** Files of the repository under a path, relative to the root. */
function filesUnder(relative: string): string[] {
  const full = path.join(repoRoot, relative);
  if (!statSync(full).isDirectory()) return [relative];
  return readdirSync(full).flatMap((entry) => filesUnder(path.posix.join(relative, entry)));
}

/** Where the runtime stage puts the build context's files: their paths relative to WORKDIR. */
function contextFilesIn(stage: Stage): Set<string> {
  const out = new Set<string>();
  for (const copy of copiesOf(stage).filter((c) => c.from === undefined)) {
    for (const source of copy.sources) {
      const destination = path.posix.normalize(copy.destination);
      for (const file of filesUnder(source).filter((f) => !ignored(f))) {
        const inside = file === source ? path.basename(file) : path.posix.relative(source, file);
        out.add(path.posix.join(destination, inside));
      }
    }
  }
  return out;
}

/** Local modules and packages a TypeScript entry point loads, following `@/…` and relative imports. */
function importsOf(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const resolve = (from: string, specifier: string): string | undefined => {
    const base = specifier.startsWith("@/") ? specifier.slice(2) : path.posix.join(path.posix.dirname(from), specifier);
    return [base, `${base}.ts`, `${base}/index.ts`].find(
      (candidate) => existsSync(path.join(repoRoot, candidate)) && statSync(path.join(repoRoot, candidate)).isFile(),
    );
  };
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(path.join(repoRoot, file), "utf8");
    // Static imports and exports, and dynamic import("…"); `import type` loads nothing at run time.
    for (const match of text.matchAll(
      /(?:^|\n)\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
    )) {
      const specifier = match[1] ?? match[2] ?? "";
      if (specifier.startsWith("node:")) continue;
      if (specifier.startsWith("@/") || specifier.startsWith(".")) {
        const target = resolve(file, specifier);
        if (!target) throw new Error(`${file}: cannot resolve ${specifier}`);
        visit(target);
      } else {
        packages.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!);
      }
    }
  };
  visit(entry);
  return { files, packages };
}

describe("the Dockerfile", () => {
  it("names every stage and copies only from earlier stages", () => {
    expect(stages.map((s) => s.name)).toEqual(["base", "deps", "prod-deps", "build", "runtime"]);
    stages.forEach((stage, i) => {
      for (const copy of copiesOf(stage).filter((c) => c.from !== undefined)) {
        expect(
          stages.slice(0, i).map((s) => s.name),
          `line ${copy.line}`,
        ).toContain(copy.from);
      }
    });
  });

  it("copies from the build context only what exists and .dockerignore lets through", () => {
    for (const stage of stages) {
      for (const copy of copiesOf(stage).filter((c) => c.from === undefined)) {
        for (const source of copy.sources.filter((s) => s !== ".")) {
          expect(existsSync(path.join(repoRoot, source)), `line ${copy.line}: ${source} exists`).toBe(true);
          expect(ignored(source), `line ${copy.line}: ${source} is not excluded by .dockerignore`).toBe(false);
        }
      }
    }
  });

  it("keeps dependencies, builds, local data, secrets and Git out of the build context", () => {
    for (const file of [
      "node_modules/next/package.json",
      ".next/BUILD_ID",
      ".data/postgres",
      ".env",
      ".env.local",
      ".git/HEAD",
      "lib/env.test.ts",
      "app/api/v1/__tests__/incidents-api.test.ts",
      "e2e/global-setup.ts",
    ]) {
      expect(ignored(file), file).toBe(true);
    }
    for (const file of [
      "package.json",
      "package-lock.json",
      "next.config.ts",
      "app/layout.tsx",
      "lib/env.ts",
      "db/migrations/0000_init.sql",
      "scripts/healthcheck.mjs",
    ]) {
      expect(ignored(file), file).toBe(false);
    }
  });

  it("runs the image as a numeric non-root user, the web server by default, with a HEALTHCHECK it carries", () => {
    const [uid, gid] = (lastArg(runtime, "USER") ?? "").split(":").map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    expect(execForm(runtime.instructions.find((i) => i.keyword === "CMD")!.args)).toEqual([
      "node",
      "scripts/web-server.mjs",
    ]);
    // The web server's launcher is carried, and runs Next's standalone server.js by default.
    expect(contextFilesIn(runtime)).toContain("scripts/web-server.mjs");
    expect(readFileSync(path.join(repoRoot, "scripts/web-server.mjs"), "utf8")).toMatch(/\[entry = "server\.js"/);
    const healthcheck = execForm(runtime.instructions.find((i) => i.keyword === "HEALTHCHECK")!.args);
    expect(healthcheck[0]).toBe("node");
    expect(contextFilesIn(runtime)).toContain(healthcheck[1]);
    expect(
      copiesOf(runtime)
        .filter((c) => c.from === "build")
        .map((c) => c.sources[0]),
    ).toEqual(["/app/.next/standalone", "/app/.next/static", "/app/public"]);
  });

  it("has the web server listen on every interface in a container, where elsewhere HOST defaults to localhost", () => {
    // HOSTNAME is what Next's standalone server.js binds; HOST is Vigil's own setting (README).
    expect(envOf(runtime)).toMatchObject({ HOST: "0.0.0.0", HOSTNAME: "0.0.0.0" });
  });

  it.each(["worker/index.ts", "scripts/migrate.ts", "scripts/token.ts"])(
    "carries every file %s loads, and the migrations",
    (entry) => {
      const carried = contextFilesIn(runtime);
      const { files } = importsOf(entry);
      expect(files.size).toBeGreaterThan(1);
      for (const file of files) expect(carried, `${entry} loads ${file}`).toContain(file);
      for (const file of ["package.json", "tsconfig.json", "db/migrations/meta/_journal.json"])
        expect(carried).toContain(file);
      for (const migration of readdirSync(path.join(repoRoot, "db/migrations")).filter((f) => f.endsWith(".sql")))
        expect(carried).toContain(`db/migrations/${migration}`);
    },
  );

  it.each(["worker/index.ts", "scripts/migrate.ts", "scripts/token.ts", "scripts/web-server.mjs"])(
    "finds every package %s needs among the production dependencies",
    (entry) => {
      const lock = JSON.parse(readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as {
        packages: Record<string, { dev?: boolean }>;
      };
      // `npm ci --omit=dev` installs what the lock file does not mark dev-only.
      const installed = (name: string) =>
        lock.packages[`node_modules/${name}`] !== undefined && !lock.packages[`node_modules/${name}`]!.dev;
      const { packages } = importsOf(entry);
      expect(installed("tsx"), "tsx runs the TypeScript").toBe(true);
      for (const name of packages) expect(installed(name), `${entry} needs ${name}`).toBe(true);
    },
  );
});
