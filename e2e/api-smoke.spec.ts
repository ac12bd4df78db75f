import { expect, test } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "./support/state";

const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

test.describe("the built app's API", () => {
  test("reports itself healthy", async ({ request }) => {
    const res = await request.get("/api/health");
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "ok", worker: "ok" });
  });

  test("drives an incident from declaration to resolution with the bootstrap token", async ({ request }) => {
    const created = await request.post("/api/v1/incidents", {
      headers: { ...auth, "idempotency-key": `smoke-${Date.now()}` },
      data: { title: "Smoke test incident", severity: "P3", service: "smoke" },
    });
    expect(created.status()).toBe(201);
    const incident = await created.json();
    expect(created.headers()["location"]).toContain(`/api/v1/incidents/${incident.ref}`);

    expect((await (await request.post(`/api/v1/incidents/${incident.ref}/ack`, { headers: auth })).json()).status).toBe(
      "acknowledged",
    );
    expect(
      (
        await request.post(`/api/v1/incidents/${incident.ref}/timeline`, { headers: auth, data: { text: "Looking" } })
      ).status(),
    ).toBe(201);
    const resolved = await (
      await request.post(`/api/v1/incidents/${incident.ref}/resolve`, {
        headers: auth,
        data: { resolution_note: "Fixed" },
      })
    ).json();
    expect(resolved).toMatchObject({ status: "resolved", resolution_note: "Fixed" });

    const timeline = await (await request.get(`/api/v1/incidents/${incident.ref}/timeline`, { headers: auth })).json();
    const changes = timeline.data
      .map((e: { kind: string }) => e.kind)
      .filter((kind: string) => !kind.startsWith("notification_"));
    expect(changes).toEqual(["created", "acknowledged", "note", "resolved"]);
  });

  test("serves its icon to anyone (the sign-in page shows it too), and pages link it", async ({ request }) => {
    const icon = await request.get("/icon.svg", { maxRedirects: 0 });
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/svg+xml");
    expect(await (await request.get("/sign-in")).text()).toMatch(/<link rel="icon" href="\/icon\.svg/);
  });

  test("refuses requests without a token as problem+json", async ({ request }) => {
    const res = await request.get("/api/v1/incidents");
    expect(res.status()).toBe(401);
    expect(res.headers()["content-type"]).toBe("application/problem+json");
  });

  test("serves Prometheus metrics with open incidents by severity and request durations", async ({ request }) => {
    await request.get("/api/v1/incidents", { headers: auth });
    const text = await (await request.get("/metrics")).text();
    expect(text).toMatch(/^vigil_open_incidents\{severity="P0"\} \d+$/m);
    expect(text).toContain(
      'vigil_http_request_duration_seconds_count{method="GET",route="GET /api/v1/incidents",status="200"}',
    );
    expect(text).toContain("process_cpu_user_seconds_total");
  });

  test("serves the OpenAPI document", async ({ request }) => {
    const doc = await (await request.get("/api/v1/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/v1/incidents"].post).toBeTruthy();
  });
});

test.describe("security headers", () => {
  test("pages carry a nonce-based CSP that forbids framing; API and Auth.js answers are nosniff", async ({
    request,
  }) => {
    const page = await request.get("/sign-in");
    const csp = page.headers()["content-security-policy"];
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers()["x-content-type-options"]).toBe("nosniff");
    expect(page.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    // API routes are not proxied: next.config.ts's headers() covers every answer under /api/, an
    // unknown path's 404 and a preflight too.
    const apiAnswers = [
      await request.get("/api/health"),
      await request.get("/api/v1/incidents"),
      await request.get("/api/v1/openapi.json"),
      await request.post("/api/v1/webhooks/alertmanager", { data: {} }),
      await request.get("/api/v1/no-such-thing"),
      await request.fetch("/api/v1/incidents", { method: "OPTIONS" }),
    ];
    expect(apiAnswers.map((a) => a.status())).toEqual([200, 401, 200, 401, 404, 204]);
    for (const api of apiAnswers) {
      expect(api.headers()["x-content-type-options"], api.url()).toBe("nosniff");
      expect(api.headers()["content-security-policy"], api.url()).toContain("frame-ancestors 'none'");
      expect(api.headers()["x-frame-options"], api.url()).toBe("DENY");
    }
    const authJs = await request.get("/api/auth/providers");
    expect(authJs.headers()["x-content-type-options"]).toBe("nosniff");
  });
});
