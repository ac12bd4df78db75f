// A production web server without an identity provider refuses to start, and says why.
import { spawn } from "node:child_process";
import { expect, test } from "@playwright/test";
import { freePort } from "@/db/embedded-postgres";

test("next start with NODE_ENV=production and no OIDC_ISSUER exits, naming what to set", async () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(await freePort()),
    DATABASE_URL: "postgres://nobody@localhost:1/vigil",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  delete env.OIDC_ISSUER;
  delete env.AUTH_SECRET;
  const web = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", env.PORT!], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  web.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  web.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      web.kill("SIGKILL");
      resolve(null);
    }, 30_000);
    web.once("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  expect(code, output).toBe(1);
  expect(output).toContain("Vigil's web server cannot start");
  expect(output).toContain("OIDC_ISSUER is not set. In production");
  expect(output).toContain("AUTH_SECRET is not set");
});
