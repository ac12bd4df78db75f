// Browser sessions through the real doors: Auth.js's GET /api/auth/session (which re-issues the cookie),
// the API, the page proxy, and PATCH /api/v1/users/{id} {"disabled": true} ("sign out everywhere").
import { decode } from "@auth/core/jwt";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { useTestDatabase } from "@/test/database";
import { auditRowsOf, insertUser } from "@/test/records";
import { call, sessionCookie, TEST_APP_ORIGIN, TEST_AUTH_SECRET, useTestRuntime } from "@/test/runtime";
import * as authRoute from "../auth/[...nextauth]/route";
import * as incidentsRoute from "../v1/incidents/route";
import * as openapiRoute from "../v1/openapi.json/route";
import * as userRoute from "../v1/users/[id]/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const HOUR = 3_600_000;
const SALT = "authjs.session-token";

let userId: string;
beforeAll(async () => {
  userId = (await insertUser(t, { email: `sessions-${t.name}@example.com`, name: "Session Person", role: "responder" }))
    .id;
});

const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR);
const authSession = async (cookie: string) =>
  authRoute.GET(new NextRequest(`${TEST_APP_ORIGIN}/api/auth/session`, { headers: { cookie } }));
const reissued = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith(`${SALT}=`));
const listIncidents = (cookie: string) => call(incidentsRoute.GET, "GET", "/api/v1/incidents", { headers: { cookie } });
const page = (cookie: string) => proxy(new NextRequest(`${TEST_APP_ORIGIN}/incidents`, { headers: { cookie } }));

describe("a session's absolute lifetime (SESSION_MAX_AGE, 12h)", () => {
  it("GET /api/auth/session re-issues a live session's cookie, but never valid past 12h after sign-in", async () => {
    const signedInAt = hoursAgo(11);
    const res = await authSession(await sessionCookie(userId, { signedInAt }));
    expect(await res.json()).toMatchObject({ user: { id: userId } });
    const cookie = reissued(res)!;
    const jwt = await decode({
      token: cookie.slice(SALT.length + 1).split(";")[0],
      secret: TEST_AUTH_SECRET,
      salt: SALT,
    });
    expect(jwt?.exp).toBeLessThanOrEqual(Math.floor((signedInAt.getTime() + 12 * HOUR) / 1000));
  });

  it("GET /api/auth/session deletes the cookie of a session signed in 12h ago instead of extending it", async () => {
    const res = await authSession(await sessionCookie(userId, { signedInAt: hoursAgo(12) }));
    expect(await res.json()).toBeNull();
    expect(reissued(res)).toMatch(/^authjs\.session-token=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
  });

  it("the API answers 401 and pages send to sign-in once the session is 12h old", async () => {
    const live = await sessionCookie(userId, { signedInAt: hoursAgo(11) });
    const ended = await sessionCookie(userId, { signedInAt: hoursAgo(12) });
    expect((await listIncidents(live)).status).toBe(200);
    expect((await listIncidents(ended)).status).toBe(401);
    expect((await page(live)).status).toBe(200);
    const redirect = await page(ended);
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get("location")).toBe(`${TEST_APP_ORIGIN}/sign-in?callbackUrl=%2Fincidents`);
  });
});

describe("disable and sign out everywhere (PATCH /api/v1/users/{id})", () => {
  const patch = (id: string, body: unknown, token: string) =>
    call(userRoute.PATCH, "PATCH", `/api/v1/users/${id}`, { token, params: { id }, body });

  it("is refused to a viewer and a responder", async () => {
    for (const token of [tokens.viewer, tokens.responder])
      expect((await patch(userId, { disabled: true }, token)).status).toBe(403);
  });

  it("stops the person's open sessions at every door at once, and re-enabling does not revive them", async () => {
    const { id } = await insertUser(t, {
      email: `disabled-${t.name}@example.com`,
      name: "Soon Disabled",
      role: "responder",
    });
    const cookie = await sessionCookie(id, { signedInAt: hoursAgo(1) });
    expect((await listIncidents(cookie)).status).toBe(200);

    const res = await patch(id, { disabled: true }, tokens.admin);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, disabled_at: expect.any(String) });
    expect((await listIncidents(cookie)).status).toBe(401);
    const session = await authSession(cookie);
    expect(await session.json()).toBeNull();
    expect(reissued(session)).toMatch(/^authjs\.session-token=;/);

    expect(await (await patch(id, { disabled: false }, tokens.admin)).json()).toMatchObject({ disabled_at: null });
    expect((await listIncidents(cookie)).status).toBe(401);
    expect((await listIncidents(await sessionCookie(id))).status).toBe(200);

    expect(await auditRowsOf(t, id, "user.disable")).toEqual([
      expect.objectContaining({
        actorName: "admin token",
        details: expect.objectContaining({ sessions_revoked: true }),
      }),
    ]);
    expect(await auditRowsOf(t, id, "user.enable")).toHaveLength(1);
  });

  it("is in the OpenAPI document", async () => {
    const doc = await openapiRoute.GET().json();
    const body = doc.paths["/api/v1/users/{id}"].patch.requestBody.content["application/json"].schema;
    expect(body.properties.disabled).toMatchObject({
      type: "boolean",
      description: expect.stringMatching(/end all their sessions/),
    });
  });
});
