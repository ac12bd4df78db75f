// GET /metrics: open when METRICS_TOKEN is unset, and only for that Bearer token when it is set (the web
// server's port is also the public Ingress).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/env";
import { createLogger } from "@/lib/observability/logger";
import { setRuntime } from "@/lib/runtime";
import { useTestDatabase } from "@/test/database";
import { call } from "@/test/runtime";
import { GET } from "../route";

const t = useTestDatabase();
const METRICS_TOKEN = "scrape-token-0123456789abcdef";
const useConfig = (env: Record<string, string>) =>
  setRuntime({
    config: loadConfig({ DATABASE_URL: t.url, LOG_LEVEL: "silent", ...env }),
    database: t,
    logger: createLogger("silent"),
  });

describe("GET /metrics", () => {
  beforeAll(() => useConfig({}));
  afterAll(() => useConfig({}));

  it("answers anyone while METRICS_TOKEN is unset", async () => {
    const res = await call(GET, "GET", "/metrics");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("vigil_open_incidents");
  });

  it("answers only the scraper that sends METRICS_TOKEN once it is set", async () => {
    useConfig({ METRICS_TOKEN });
    for (const headers of [
      {} as Record<string, string>,
      { authorization: "Bearer wrong-token-0123456789" },
      { authorization: METRICS_TOKEN },
    ]) {
      const refused = await call(GET, "GET", "/metrics", { headers });
      expect(refused.status).toBe(401);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
      expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await refused.text()).not.toContain(METRICS_TOKEN);
    }
    const res = await call(GET, "GET", "/metrics", { token: METRICS_TOKEN });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("vigil_open_incidents");
  });
});
