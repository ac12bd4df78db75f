import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";
import * as incidentsRoute from "../incidents/route";
import * as incidentRoute from "../incidents/[ref]/route";
import * as ackRoute from "../incidents/[ref]/ack/route";
import * as resolveRoute from "../incidents/[ref]/resolve/route";
import * as reopenRoute from "../incidents/[ref]/reopen/route";
import * as timelineRoute from "../incidents/[ref]/timeline/route";
import * as openapiRoute from "../openapi.json/route";
import { httpMethods, routeFiles, routePathOf } from "@/test/api-routes";

const t = useTestDatabase();
const tokens = useTestRuntime(t);

async function declare(body: Record<string, unknown> = {}, headers: Record<string, string> = {}, peer?: string) {
  return call(incidentsRoute.POST, "POST", "/api/v1/incidents", {
    token: tokens.responder,
    body: { title: "API latency high", severity: "P2", service: "api", ...body },
    headers,
    peer,
  });
}

const auditIpOf = async (res: Response) => {
  const incident = await res.json();
  const [audit] = await t.sql`select host(ip_address) as ip from audit_log where resource_id = ${incident.id}`;
  return audit!.ip as string;
};

async function countIncidents(): Promise<number> {
  const rows = await t.sql`select count(*)::int as n from incidents`;
  return rows[0]!.n as number;
}

describe("POST /api/v1/incidents", () => {
  it("answers 201 with the incident and a Location header", async () => {
    const res = await declare();
    expect(res.status).toBe(201);
    const incident = await res.json();
    expect(incident).toMatchObject({
      title: "API latency high",
      severity: "P2",
      status: "open",
      ref: expect.stringMatching(/^INC-\d+$/),
    });
    expect(res.headers.get("location")).toBe(`http://localhost:3000/api/v1/incidents/${incident.ref}`);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("records the client IP and the token in the audit log", async () => {
    const incident = await (await declare()).json();
    const [audit] =
      await t.sql`select actor_type, actor_name, host(ip_address) as ip from audit_log where resource_id = ${incident.id}`;
    expect(audit).toEqual({ actor_type: "apiToken", actor_name: "responder token", ip: "198.51.100.23" });
  });

  it("records the connecting address, not an X-Forwarded-For written by a client that is no trusted proxy", async () => {
    expect(await auditIpOf(await declare({}, { "x-forwarded-for": "203.0.113.99" }))).toBe("198.51.100.23");
  });

  it("records the address a trusted proxy (loopback, by default) forwarded", async () => {
    expect(await auditIpOf(await declare({}, { "x-forwarded-for": "6.6.6.6, 203.0.113.99" }, "127.0.0.1"))).toBe(
      "203.0.113.99",
    );
  });

  it("returns the first response for a repeated Idempotency-Key and creates nothing more", async () => {
    const before = await countIncidents();
    const first = await declare({ title: "Once only" }, { "idempotency-key": "retry-42" });
    const second = await declare({ title: "Once only" }, { "idempotency-key": "retry-42" });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    expect(await countIncidents()).toBe(before + 1);
  });

  it("creates one incident for ten concurrent requests with the same Idempotency-Key", async () => {
    const before = await countIncidents();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => declare({ title: "Concurrent" }, { "idempotency-key": "burst-1" })),
    );
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(await countIncidents()).toBe(before + 1);
  });

  it("refuses an Idempotency-Key reused for a different request with 409", async () => {
    await declare({ title: "First" }, { "idempotency-key": "reused" });
    const res = await declare({ title: "Second" }, { "idempotency-key": "reused" });
    expect(res.status).toBe(409);
    expect((await res.json()).detail).toMatch(/different request/);
  });

  it("answers 400 problem+json naming the failing fields, and writes nothing", async () => {
    const before = await countIncidents();
    const res = await declare({ title: "", severity: "SEV1", detected_at: "yesterday" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = await res.json();
    expect(problem).toMatchObject({ status: 400, title: "Invalid request", type: "urn:vigil:problem:invalid" });
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(["detected_at", "severity", "title"]);
    expect(await countIncidents()).toBe(before);
  });

  it("answers 400, never 500, to values PostgreSQL cannot store (a NUL character, year 0), and writes nothing", async () => {
    const before = await countIncidents();
    for (const body of [
      { title: "nul \u0000 inside" },
      { title: "ok", labels: { "k\u0000": "v" } },
      { title: "ok", detected_at: "0000-01-01T00:00:00Z" },
    ]) {
      const res = await declare(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect((await res.json()).detail).toMatch(/^A value in the request cannot be stored: /);
    }
    expect(await countIncidents()).toBe(before);
  });

  it("answers 400 for a body that is not JSON, or not an object", async () => {
    const notJson = await call(incidentsRoute.POST, "POST", "/api/v1/incidents", {
      token: tokens.responder,
      rawBody: "{title:",
    });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).detail).toMatch(/not valid JSON/);
    const array = await call(incidentsRoute.POST, "POST", "/api/v1/incidents", {
      token: tokens.responder,
      body: [1, 2],
    });
    expect(array.status).toBe(400);
  });

  it("answers 401 without a token, or with an unknown one, and 403 to a viewer", async () => {
    const none = await call(incidentsRoute.POST, "POST", "/api/v1/incidents", { body: { title: "x" } });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const unknown = await call(incidentsRoute.POST, "POST", "/api/v1/incidents", {
      token: "vgl_not-a-real-token-at-all",
      body: { title: "x" },
    });
    expect(unknown.status).toBe(401);
    const viewer = await call(incidentsRoute.POST, "POST", "/api/v1/incidents", {
      token: tokens.viewer,
      body: { title: "x" },
    });
    expect(viewer.status).toBe(403);
    expect((await viewer.json()).detail).toMatch(/viewer/);
  });
});

describe("incident endpoints by reference", () => {
  it("gets an incident by INC-number and by UUID; 404 otherwise", async () => {
    const incident = await (await declare()).json();
    for (const ref of [incident.ref, incident.id]) {
      const res = await call(incidentRoute.GET, "GET", `/api/v1/incidents/${ref}`, {
        token: tokens.viewer,
        params: { ref },
      });
      expect(res.status).toBe(200);
      expect((await res.json()).id).toBe(incident.id);
    }
    const missing = await call(incidentRoute.GET, "GET", "/api/v1/incidents/INC-999999", {
      token: tokens.viewer,
      params: { ref: "INC-999999" },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
  });

  it("acknowledges, notes, resolves and reopens through the API, with the timeline to show for it", async () => {
    const incident = await (await declare()).json();
    const params = { ref: incident.ref };
    const ack = await call(ackRoute.POST, "POST", `/api/v1/incidents/${incident.ref}/ack`, {
      token: tokens.responder,
      params,
    });
    expect(ack.status).toBe(200);
    expect((await ack.json()).status).toBe("acknowledged");

    const note = await call(timelineRoute.POST, "POST", `/api/v1/incidents/${incident.ref}/timeline`, {
      token: tokens.responder,
      params,
      body: { text: "Found the bad deploy" },
    });
    expect(note.status).toBe(201);
    expect(await note.json()).toMatchObject({ kind: "note", text: "Found the bad deploy" });

    const resolved = await call(resolveRoute.POST, "POST", `/api/v1/incidents/${incident.ref}/resolve`, {
      token: tokens.responder,
      params,
      body: { resolution_note: "Rolled back" },
    });
    expect(await resolved.json()).toMatchObject({ status: "resolved", resolution_note: "Rolled back" });

    const reopened = await call(reopenRoute.POST, "POST", `/api/v1/incidents/${incident.ref}/reopen`, {
      token: tokens.responder,
      params,
    });
    expect((await reopened.json()).status).toBe("open");

    const timeline = await call(timelineRoute.GET, "GET", `/api/v1/incidents/${incident.ref}/timeline?order=desc`, {
      token: tokens.viewer,
      params,
    });
    const { data } = await timeline.json();
    expect(data.map((e: { kind: string }) => e.kind)).toEqual([
      "reopened",
      "resolved",
      "note",
      "acknowledged",
      "created",
    ]);
  });

  it("answers 409 problem+json for an impossible transition", async () => {
    const incident = await (await declare()).json();
    const params = { ref: incident.ref };
    await call(incidentRoute.PATCH, "PATCH", `/api/v1/incidents/${incident.ref}`, {
      token: tokens.responder,
      params,
      body: { status: "investigating" },
    });
    const res = await call(incidentRoute.PATCH, "PATCH", `/api/v1/incidents/${incident.ref}`, {
      token: tokens.responder,
      params,
      body: { status: "acknowledged" },
    });
    expect(res.status).toBe(409);
    expect((await res.json()).detail).toMatch(/cannot go back from investigating to acknowledged/);
  });

  it("edits fields with PATCH and refuses a viewer's edit with 403", async () => {
    const incident = await (await declare()).json();
    const params = { ref: incident.ref };
    const res = await call(incidentRoute.PATCH, "PATCH", `/api/v1/incidents/${incident.ref}`, {
      token: tokens.admin,
      params,
      body: { severity: "P1", team: "edge" },
    });
    expect(await res.json()).toMatchObject({ severity: "P1", team: "edge" });
    const refused = await call(incidentRoute.PATCH, "PATCH", `/api/v1/incidents/${incident.ref}`, {
      token: tokens.viewer,
      params,
      body: { severity: "P4" },
    });
    expect(refused.status).toBe(403);
  });

  it("refuses an unknown field with 400 naming it, suggesting the field meant, and changes nothing", async () => {
    const incident = await (await declare()).json();
    const params = { ref: incident.ref };
    const res = await call(resolveRoute.POST, "POST", `/api/v1/incidents/${incident.ref}/resolve`, {
      token: tokens.responder,
      params,
      body: { note: "Rolled back" },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json()).errors).toEqual([
      { path: "note", message: "unknown field; did you mean `resolution_note`?" },
    ]);
    const after = await call(incidentRoute.GET, "GET", `/api/v1/incidents/${incident.ref}`, {
      token: tokens.viewer,
      params,
    });
    expect((await after.json()).status).toBe("open");

    const patched = await call(incidentRoute.PATCH, "PATCH", `/api/v1/incidents/${incident.ref}`, {
      token: tokens.responder,
      params,
      body: { severty: "P1", colour: "red" },
    });
    expect(patched.status).toBe(400);
    expect((await patched.json()).errors).toEqual(
      expect.arrayContaining([
        { path: "severty", message: "unknown field; did you mean `severity`?" },
        { path: "colour", message: "unknown field" },
      ]),
    );
    const declared = await declare({ sevrity: "P1" });
    expect(declared.status).toBe(400);
    expect((await declared.json()).errors).toEqual([
      { path: "sevrity", message: "unknown field; did you mean `severity`?" },
    ]);
  });

  it.each([
    ["POST /ack", ackRoute.POST, "ack", undefined],
    ["POST /resolve", resolveRoute.POST, "resolve", {}],
    ["POST /reopen", reopenRoute.POST, "reopen", {}],
    ["POST /timeline", timelineRoute.POST, "timeline", { text: "hi" }],
    ["PATCH", incidentRoute.PATCH, "", { title: "x" }],
  ] as const)("%s answers 401 without a token and 403 to a viewer", async (_name, handler, suffix, body) => {
    const incident = await (await declare()).json();
    const path = `/api/v1/incidents/${incident.ref}${suffix ? `/${suffix}` : ""}`;
    const method = suffix ? "POST" : "PATCH";
    const params = { ref: incident.ref };
    expect((await call(handler, method, path, { params, body })).status).toBe(401);
    expect((await call(handler, method, path, { token: tokens.viewer, params, body })).status).toBe(403);
  });
});

describe("GET /api/v1/incidents", () => {
  it("filters by repeated status and severity, service and title search", async () => {
    const service = `svc-${Date.now()}`;
    const a = await (await declare({ title: "Disk full on db-1", severity: "P1", service })).json();
    const b = await (await declare({ title: "Disk full on db-2", severity: "P3", service })).json();
    await declare({ title: "Unrelated", severity: "P1", service });
    await call(ackRoute.POST, "POST", "", { token: tokens.responder, params: { ref: b.ref } });

    const res = await call(
      incidentsRoute.GET,
      "GET",
      `/api/v1/incidents?service=${service}&q=disk&status=open&status=acknowledged&severity=P1&severity=P3`,
      { token: tokens.viewer },
    );
    const { data } = await res.json();
    expect(data.map((i: { ref: string }) => i.ref)).toEqual([b.ref, a.ref]);
    // The same filters written with commas.
    const commas = await call(
      incidentsRoute.GET,
      "GET",
      `/api/v1/incidents?service=${service}&q=disk&status=open,acknowledged&severity=P1,P3`,
      { token: tokens.viewer },
    );
    expect((await commas.json()).data.map((i: { ref: string }) => i.ref)).toEqual([b.ref, a.ref]);
  });

  it("filters by team, owner, a creation range (end exclusive) and whether analytics count the incident", async () => {
    const team = `team-${Date.now()}`;
    const made: { ref: string; created_at: string }[] = [];
    for (const title of ["first", "second", "third"]) {
      made.push(await (await declare({ title, team })).json());
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct creation times
    }
    const owner = `admin-${t.name}@example.com`;
    expect(
      (
        await call(incidentRoute.PATCH, "PATCH", "", {
          token: tokens.responder,
          params: { ref: made[1]!.ref },
          body: { owner },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call(incidentRoute.PATCH, "PATCH", "", {
          token: tokens.responder,
          params: { ref: made[0]!.ref },
          body: { exclude_from_metrics: true },
        })
      ).status,
    ).toBe(200);
    const refs = async (query: string) => {
      const res = await call(incidentsRoute.GET, "GET", `/api/v1/incidents?team=${team}&${query}`, {
        token: tokens.viewer,
      });
      expect(res.status).toBe(200);
      return ((await res.json()).data as { ref: string }[]).map((i) => i.ref).sort();
    };
    const [a, b, c] = made.map((i) => i.ref);
    expect(await refs("")).toEqual([a, b, c].sort());
    expect(await refs(`owner=${encodeURIComponent(owner.toUpperCase())}`)).toEqual([b]);
    const range = `created_after=${encodeURIComponent(made[0]!.created_at)}&created_before=${encodeURIComponent(made[2]!.created_at)}`;
    expect(await refs(range)).toEqual([a, b].sort());
    expect(await refs(`${range}&counted=true`)).toEqual([b]);
    expect(await refs("counted=false")).toEqual([a]);
  });

  it("answers 400 for unknown filter values", async () => {
    const res = await call(incidentsRoute.GET, "GET", "/api/v1/incidents?status=closed&limit=5000", {
      token: tokens.viewer,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(["limit", "status.0"]);
  });

  it("pages with a cursor that neither skips nor repeats while new incidents arrive", async () => {
    const service = `paging-${Date.now()}`;
    for (let i = 0; i < 7; i++) await declare({ title: `page test ${i}`, service });
    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const query: string = `/api/v1/incidents?service=${service}&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const body: { data: { title: string }[]; next_cursor: string | null } = await (
        await call(incidentsRoute.GET, "GET", query, { token: tokens.viewer })
      ).json();
      seen.push(...body.data.map((i) => i.title));
      cursor = body.next_cursor;
      // New incidents arrive between page requests.
      await declare({ title: `arrived during paging ${page++}`, service });
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `page test ${i}`));
  });

  it("orders the board most severe first, then oldest, and pages that order by cursor", async () => {
    const service = `board-${Date.now()}`;
    for (const [title, severity] of [
      ["p3 old", "P3"],
      ["p1 old", "P1"],
      ["p3 new", "P3"],
      ["p1 new", "P1"],
      ["p0", "P0"],
    ] as const)
      await declare({ title, severity, service });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/v1/incidents?service=${service}&sort=severity&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const body: { data: { title: string }[]; next_cursor: string | null } = await (
        await call(incidentsRoute.GET, "GET", query, { token: tokens.viewer })
      ).json();
      seen.push(...body.data.map((i) => i.title));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(["p0", "p1 old", "p1 new", "p3 old", "p3 new"]);
    const mixed = await call(
      incidentsRoute.GET,
      "GET",
      `/api/v1/incidents?sort=newest&cursor=${Buffer.from(JSON.stringify({ s: "P1", n: 3 })).toString("base64url")}`,
      { token: tokens.viewer },
    );
    expect(mixed.status).toBe(400);
  });

  it("answers 400 for a cursor it did not issue, a search with a NUL in it, or a range starting in year 0", async () => {
    const outOfRange = Buffer.from(JSON.stringify({ n: 3_000_000_000 })).toString("base64url");
    for (const query of ["cursor=garbage", `cursor=${outOfRange}`, "q=%00", "created_after=0000-06-01T00:00:00Z"]) {
      const res = await call(incidentsRoute.GET, "GET", `/api/v1/incidents?${query}`, { token: tokens.viewer });
      expect(res.status, query).toBe(400);
    }
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("describes every route handler on disk, each method an operation", async () => {
    const doc = await openapiRoute.GET().json();
    expect(doc.openapi).toBe("3.1.0");
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const onDisk = (
      await Promise.all(
        routeFiles()
          // Auth.js's own door, Slack's and the dev inbox's look-alikes of Twilio and Slack (which speak their
          // vendors' protocols), and the document itself.
          .filter((file) => !/\/api\/(auth|slack|dev-inbox)\//.test(file) && !file.includes("openapi.json"))
          .map(async (file) => {
            const module = (await import(file)) as Record<string, unknown>;
            return httpMethods
              .filter((method) => typeof module[method] === "function")
              .map((method) => `${method} ${routePathOf(file)}`);
          }),
      )
    ).flat();
    expect(onDisk.length).toBeGreaterThan(40);
    expect(onDisk.filter((operation) => !documented.includes(operation)).sort()).toEqual([]);
    expect(documented.filter((operation) => !onDisk.includes(operation)).sort()).toEqual([]);
    expect(doc.components.schemas.Incident.properties.severity.enum).toEqual(["P0", "P1", "P2", "P3", "P4"]);
    const createBody = doc.paths["/api/v1/incidents"].post.requestBody.content["application/json"].schema;
    expect(createBody.required).toContain("title");
  });
});
