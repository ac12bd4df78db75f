// API tokens' scopes and expiry through the doors: an alerts:write token (what Alertmanager holds) reads
// nothing (doors.test.ts walks the writes: it may only post alerts); an expired token is refused like a
// revoked one; POST /api/v1/tokens takes a scope and an expiry, and the OpenAPI document says so.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { systemActor } from "@/lib/context";
import { apiRoot, routeFiles } from "@/test/api-routes";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";
import * as openapiRoute from "../v1/openapi.json/route";
import * as tokensRoute from "../v1/tokens/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);

type Handler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
let alertSender: string;
beforeAll(async () => {
  alertSender = (
    await createApiToken({
      ctx: { db: t.db, actor: systemActor("test setup"), now: new Date() },
      input: { name: "alertmanager", scope: "alerts:write" },
    })
  ).token;
});

const placeholders: Record<string, string> = {
  ref: "INC-1",
  id: "00000000-0000-4000-8000-00000000abcd",
  itemId: "00000000-0000-4000-8000-00000000abce",
  slug: "high-error-rate",
};
const create = (body: unknown, token = tokens.admin) =>
  call(tokensRoute.POST, "POST", "/api/v1/tokens", { token, body });
const list = async () =>
  (
    (await (await call(tokensRoute.GET, "GET", "/api/v1/tokens", { token: tokens.admin })).json()) as {
      data: Record<string, unknown>[];
    }
  ).data;

describe("an alerts:write token", () => {
  it("is refused (403) by every read of the API, saying its scope allows only alert ingestion", async () => {
    const reads = routeFiles(apiRoot).filter((file) => readFileSync(file, "utf8").includes("apiRoute("));
    let walked = 0;
    for (const file of reads) {
      const module = (await import(file)) as { GET?: Handler };
      if (!module.GET) continue;
      const route = `/api/${path.relative(apiRoot, path.dirname(file)).split(path.sep).join("/")}`;
      const params = Object.fromEntries(
        [...route.matchAll(/\[(\w+)\]/g)].map(([, name]) => [name!, placeholders[name!]!]),
      );
      const res = await call(
        module.GET,
        "GET",
        route.replace(/\[(\w+)\]/g, (_, name: string) => params[name]!),
        { token: alertSender, params },
      );
      expect(res.status, `GET ${route}`).toBe(403);
      expect((await res.json()).detail, `GET ${route}`).toMatch(
        /scope \(alerts:write\) does not allow .*; it allows only alert\.ingest/,
      );
      walked++;
    }
    expect(walked).toBeGreaterThan(10);
  });
});

describe("POST /api/v1/tokens", () => {
  it("makes an alerts:write token a responder unless told otherwise, and lists its scope", async () => {
    const res = await create({ name: "alertmanager prod", scope: "alerts:write" });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      name: "alertmanager prod",
      role: "responder",
      scope: "alerts:write",
      expires_at: null,
      token: expect.stringMatching(/^vgl_/),
    });
    expect(await list()).toContainEqual(expect.objectContaining({ name: "alertmanager prod", scope: "alerts:write" }));
  });

  it("keeps full as the default scope, which needs a role", async () => {
    expect(await (await create({ name: "ci", role: "viewer" })).json()).toMatchObject({
      scope: "full",
      role: "viewer",
    });
    const res = await create({ name: "no role" });
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([{ path: "role", message: "a token with scope full needs a role" }]);
  });

  it("refuses a scope the role could never use: a viewer cannot post alerts", async () => {
    const res = await create({ name: "useless", role: "viewer", scope: "alerts:write" });
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toMatch(/viewer token with scope alerts:write could do nothing/);
  });

  it("takes an expiry in the future, shows it, and refuses the token after it like a revoked one", async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const made = await (await create({ name: "short-lived", role: "responder", expires_at: soon })).json();
    expect(made).toMatchObject({ expires_at: soon });
    expect(await list()).toContainEqual(expect.objectContaining({ id: made.id, expires_at: soon, last_used_at: null }));
    expect((await call(tokensRoute.GET, "GET", "/api/v1/tokens", { token: made.token })).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const refused = await call(tokensRoute.GET, "GET", "/api/v1/tokens", { token: made.token });
    expect(refused.status).toBe(401);
    expect((await refused.json()).detail).toBe("The API token is unknown, revoked or expired");

    const past = await create({
      name: "already over",
      role: "viewer",
      expires_at: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect((await past.json()).errors).toEqual([{ path: "expires_at", message: "in the past" }]);
    expect((await create({ name: "not a time", role: "viewer", expires_at: "next week" })).status).toBe(400);
  });

  it("is refused to a viewer and a responder", async () => {
    for (const token of [tokens.viewer, tokens.responder])
      expect((await create({ name: "x", scope: "alerts:write" }, token)).status).toBe(403);
  });

  it("is described with scope and expires_at in the OpenAPI document", async () => {
    const doc = await openapiRoute.GET().json();
    const body = doc.paths["/api/v1/tokens"].post.requestBody.content["application/json"].schema;
    expect(body.properties.scope).toMatchObject({ enum: ["full", "alerts:write"], default: "full" });
    expect(body.properties.expires_at.description).toMatch(/refused like a revoked one/);
    expect(doc.paths["/api/v1/webhooks/alertmanager"].post.description).toContain("--scope alerts:write");
  });
});
