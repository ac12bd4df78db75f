// The API token cache through the doors, on real PostgreSQL: a cached token is served without reading its
// row, yet a revocation takes effect on the very next request, in this process and (through LISTEN/NOTIFY)
// in another one; while the LISTEN connection is down nothing is served from the cache.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiToken, authenticateApiToken } from "@/lib/auth/api-tokens";
import { createTokenActorCache, type TokenActorCache } from "@/lib/auth/token-actor-cache";
import { systemActor } from "@/lib/context";
import { createIntegration } from "@/lib/intake/integrations";
import { getRuntime, setRuntime } from "@/lib/runtime";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";
import * as incidentsRoute from "../v1/incidents/route";
import * as integrationRoute from "../v1/integrations/[id]/route";
import * as enqueueRoute from "../v1/integrations/pagerduty/v2/enqueue/route";
import * as tokenRoute from "../v1/tokens/[id]/route";
import * as userRoute from "../v1/users/[id]/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
let cache: TokenActorCache;
/** Another process's cache: a client and a LISTEN connection of its own. */
let otherCache: TokenActorCache;

beforeAll(async () => {
  cache = createTokenActorCache(t.url);
  otherCache = createTokenActorCache(t.url, { asAnotherProcess: true });
  setRuntime({ ...getRuntime(), tokenActors: cache });
  await Promise.all([cache.listening(), otherCache.listening()]);
});
afterAll(async () => {
  await Promise.all([cache.close(), otherCache.close()]);
});

const ctx = () => ({ db: t.db, actor: systemActor("test"), now: new Date() });
const newToken = async (name: string) => createApiToken({ ctx: ctx(), input: { name, role: "responder" } });
const list = (token: string) => call(incidentsRoute.GET, "GET", "/api/v1/incidents", { token });
const revoke = (id: string) =>
  call(tokenRoute.DELETE, "DELETE", `/api/v1/tokens/${id}`, { token: tokens.admin, params: { id } });

/** Hides the token from this test's reads without any NOTIFY: only a cache can still say it is live. */
const hideRow = (id: string) => t.sql`update api_tokens set token_hash = 'hidden-' || id where id = ${id}`;
const showRow = (id: string, hash: string) => t.sql`update api_tokens set token_hash = ${hash} where id = ${id}`;
const hashOf = async (id: string) =>
  (await t.sql`select token_hash from api_tokens where id = ${id}`)[0]!.token_hash as string;

describe("the API token cache", () => {
  it("serves a token it read a moment ago without reading its row again", async () => {
    const made = await newToken("cached");
    expect((await list(made.token)).status).toBe(200);
    const hash = await hashOf(made.id);
    await hideRow(made.id);
    expect((await list(made.token)).status).toBe(200);
    await showRow(made.id, hash);
  });

  it("refuses a revoked token on the very next request although it was just cached", async () => {
    const made = await newToken("revoked while cached");
    expect((await list(made.token)).status).toBe(200);
    expect((await list(made.token)).status).toBe(200);
    expect((await revoke(made.id)).status).toBe(200);
    const refused = await list(made.token);
    expect(refused.status).toBe(401);
    expect((await refused.json()).detail).toBe("The API token is unknown, revoked or expired");
  });

  it("drops the token in another process's cache too, through NOTIFY", async () => {
    const made = await newToken("cached elsewhere");
    const other = () => authenticateApiToken(t.db, made.token, new Date(), null, otherCache);
    expect(await other()).toMatchObject({ type: "apiToken", tokenId: made.id });
    const hash = await hashOf(made.id);
    // Hidden from reads: the other cache alone still answers for it.
    await hideRow(made.id);
    expect(await other()).toMatchObject({ tokenId: made.id });
    await showRow(made.id, hash);
    expect((await revoke(made.id)).status).toBe(200);
    await vi.waitFor(async () => expect(await other()).toBeNull(), { timeout: 2000, interval: 5 });
  });

  it("drops every cached token when an admin disables a person or changes a role", async () => {
    const made = await newToken("cached before a person changed");
    const [person] =
      await t.sql`insert into users (email, name, role) values ('changed@example.com', 'Changed', 'responder') returning id`;
    const id = person!.id as string;
    const patch = (body: Record<string, unknown>) => () =>
      call(userRoute.PATCH, "PATCH", `/api/v1/users/${id}`, { token: tokens.admin, params: { id }, body });
    for (const change of [patch({ disabled: true }), patch({ role: "viewer" })]) {
      expect(await authenticateApiToken(t.db, made.token, new Date(), null, otherCache)).not.toBeNull();
      const hash = await hashOf(made.id);
      await hideRow(made.id);
      expect(await authenticateApiToken(t.db, made.token, new Date(), null, otherCache)).not.toBeNull();
      expect((await change()).status).toBe(200);
      await vi.waitFor(
        async () => expect(await authenticateApiToken(t.db, made.token, new Date(), null, otherCache)).toBeNull(),
        { timeout: 2000, interval: 5 },
      );
      await showRow(made.id, hash);
    }
  });

  it("keeps the integration a secret belongs to, and reads it again once an admin changes it", async () => {
    const made = await createIntegration({
      ctx: ctx(),
      input: { kind: "pagerduty", name: "cached integration", default_service: "first" },
    });
    const trigger = async (key: string) => {
      const res = await call(enqueueRoute.POST, "POST", "/api/v1/integrations/pagerduty/v2/enqueue", {
        body: {
          routing_key: made.secret,
          event_action: "trigger",
          dedup_key: key,
          payload: { summary: key, source: "host", severity: "error" },
        },
      });
      expect(res.status).toBe(202);
      const [row] = await t.sql`select i.service from incidents i join alerts a on a.incident_id = i.id
                                 where a.fingerprint = ${`${made.id}:${key}`}`;
      return row!.service as string;
    };
    expect(await trigger("cached-1")).toBe("first");
    // Changed behind the cache's back (no announcement): the integration as read a moment ago still applies.
    await t.sql`update integrations set default_service = 'unannounced' where id = ${made.id}`;
    expect(await trigger("cached-2")).toBe("first");
    const changed = await call(integrationRoute.PATCH, "PATCH", `/api/v1/integrations/${made.id}`, {
      token: tokens.admin,
      params: { id: made.id },
      body: { default_service: "second" },
    });
    expect(changed.status).toBe(200);
    expect(await trigger("cached-3")).toBe("second");
  });

  it("serves nothing from the cache while its LISTEN connection is down, and listens again", async () => {
    const made = await newToken("cached, then the connection drops");
    expect((await list(made.token)).status).toBe(200);
    const hash = await hashOf(made.id);
    await hideRow(made.id);
    expect((await list(made.token)).status).toBe(200);
    await t.sql`select pg_terminate_backend(pid) from pg_stat_activity
                where application_name = 'vigil-token-cache' and datname = current_database()`;
    // The cache was emptied with the connection: the hidden row is not found.
    await vi.waitFor(async () => expect((await list(made.token)).status).toBe(401), { timeout: 2000, interval: 5 });
    await showRow(made.id, hash);
    await cache.listening();
    // Listening again: a read is cached, and a revocation still reaches it.
    expect((await list(made.token)).status).toBe(200);
    await hideRow(made.id);
    expect((await list(made.token)).status).toBe(200);
    await showRow(made.id, hash);
    await otherCache.listening();
    expect((await revoke(made.id)).status).toBe(200);
    expect((await list(made.token)).status).toBe(401);
  });
});
