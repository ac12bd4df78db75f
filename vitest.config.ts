import path from "node:path";
import { defineConfig } from "vitest/config";

// Two tiers run by vitest: `unit` (pure, no database: *.test.ts beside the code) and `integration`
// (real PostgreSQL: files under __tests__/). The e2e tier is Playwright's (e2e/), never vitest's.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    // next-auth imports "next/server" without an extension, which only a bundler resolves: let Vite
    // process it (tests import the Auth.js route when they walk every door).
    server: { deps: { inline: ["next-auth"] } },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.ts", "**/*.test.tsx"],
          exclude: ["**/__tests__/**", "e2e/**", "node_modules/**", ".next/**", ".data/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          // e2e/fakes/__tests__ checks the loopback fakes themselves; Playwright's specs are *.spec.ts.
          include: ["**/__tests__/**/*.test.ts"],
          exclude: ["node_modules/**", ".next/**", ".data/**"],
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
