import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// End-to-end tier: the built app (next start) and its worker against a real PostgreSQL, driven over HTTP
// and in Debian's Chromium. e2e/global-setup.ts starts everything and tells the specs where it is.
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  outputDir: "e2e/artifacts/results",
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: existsSync(chromiumPath)
      ? {
          executablePath: chromiumPath,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        }
      : {},
  },
});
