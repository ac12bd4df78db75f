// Every read that only admins may make, walked with no credentials, a viewer, a responder and an admin —
// by API token and by session cookie. doors.test.ts walks the writes; this walks the admin-only reads. The
// table checks itself twice: from the source (the permissions lib/auth/permissions.ts gives to admins alone,
// and the GET handlers that authorize one of them, following their calls into lib/) and from behaviour
// (every GET handler under app/api that refuses a responder). A new admin-only read missing from the table
// fails this test.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { permissions } from "@/lib/auth/permissions";
import { createIntegration } from "@/lib/intake/integrations";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";
import { apiRoot, routeFiles } from "@/test/api-routes";
import * as auditRoute from "../v1/audit/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);

type Role = "viewer" | "responder" | "admin";

interface AdminRead {
  /** The admin-only permission its verb authorizes (cross-checked against the source). */
  permission: string;
  params?: Record<string, string>;
  /** What an admin's 200 must look like. */
  check: (res: Response) => Promise<void>;
}

const jsonData = async (res: Response) => {
  expect(res.headers.get("content-type")).toBe("application/json");
  const body = (await res.json()) as { data: Record<string, unknown>[] };
  expect(Array.isArray(body.data)).toBe(true);
  return body;
};

let integrationSecret = "";
const adminReads: Record<string, AdminRead> = {
  "GET /api/v1/tokens": {
    permission: "api_token.manage",
    check: async (res) => {
      const text = await res.clone().text();
      // Names and prefixes only: no secret is ever read back.
      for (const role of ["viewer", "responder", "admin"] as const) expect(text).not.toContain(tokens[role]);
      const { data } = await jsonData(res);
      expect(data.map((row) => row.name)).toEqual(
        expect.arrayContaining(["viewer token", "responder token", "admin token"]),
      );
    },
  },
  "GET /api/v1/users": {
    permission: "user.manage",
    check: async (res) => {
      const { data } = await jsonData(res);
      expect(data.map((row) => row.email)).toEqual(
        expect.arrayContaining(["viewer", "responder", "admin"].map((role) => `${role}-${t.name}@example.com`)),
      );
    },
  },
  "GET /api/v1/audit": {
    permission: "audit.read",
    check: async (res) => {
      const { data } = await jsonData(res);
      expect(data.map((row) => row.action)).toContain("api_token.create");
    },
  },
  "GET /api/v1/audit/export": {
    permission: "audit.read",
    check: async (res) => {
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="vigil-audit-.*\.csv"$/);
      expect(await res.text()).toContain("api_token.create");
    },
  },
  "GET /api/v1/integrations": {
    permission: "integration.manage",
    check: async (res) => {
      const { data } = await jsonData(res);
      expect(data.map((row) => row.name)).toContain("admin reads");
      expect(JSON.stringify(data)).not.toContain(integrationSecret);
    },
  },
  "GET /api/v1/integrations/[id]": {
    permission: "integration.manage",
    params: {}, // the integration made in beforeAll
    check: async (res) => {
      const body = (await res.json()) as { name: string; recent_events: unknown[] };
      expect(body).toMatchObject({ name: "admin reads", recent_events: [] });
    },
  },
  "GET /api/v1/routing": {
    permission: "routing.read",
    check: async (res) => {
      expect(res.headers.get("content-type")).toBe("application/json");
      const body = (await res.json()) as { channels: { channel: string }[] };
      expect(body.channels.map((c) => c.channel)).toEqual(["pagerduty", "slack", "email", "sms"]);
    },
  },
};

/** Auth.js's own endpoints (sign-in pages, the OIDC callback) are not Vigil's reads. */
const exempt = new Set(["GET /api/auth/[...nextauth]"]);
/**
 * Reads anyone may make without signing in: load balancers' health check, the API reference, Auth.js, and
 * the iCal feeds, whose secret URL token is the credential (calendar apps send no other).
 */
const unauthenticated = new Set([
  ...exempt,
  "GET /api/health",
  "GET /api/v1/openapi.json",
  "GET /api/calendar/[token]",
]);

/** Stand-ins for path parameters: a read that refuses a responder does so before it looks anything up. */
const placeholders: Record<string, string> = {
  ref: "INC-999999",
  id: "00000000-0000-4000-8000-00000000abcd",
  itemId: "00000000-0000-4000-8000-00000000abce",
  slug: "no-such-runbook",
};

/** The permissions lib/auth/permissions.ts grants to admins and nobody else. */
const adminOnly = new Set(
  Object.entries(permissions)
    .filter(([, roles]) => roles.length === 1 && roles[0] === "admin")
    .map(([action]) => action),
);

const repoRoot = path.resolve(import.meta.dirname, "../../..");

/** The permissions named in `authorize(…)` calls in this text (a ternary names both of its branches). */
function authorizedIn(text: string): string[] {
  return [...text.matchAll(/authorize\(([^;]*?)\);/g)]
    .flatMap((m) => [...m[1]!.matchAll(/"([\w.]+)"/g)].map((s) => s[1]!))
    .filter((a) => a in permissions);
}

/** The file an import specifier names, if it is one of ours ("@/…" or relative). */
function resolveModule(specifier: string, fromFile: string): string | null {
  if (!specifier.startsWith("@/") && !specifier.startsWith(".")) return null;
  const base = specifier.startsWith("@/")
    ? path.join(repoRoot, specifier.slice(2))
    : path.resolve(path.dirname(fromFile), specifier);
  return [`${base}.ts`, path.join(base, "index.ts")].find((candidate) => existsSync(candidate)) ?? null;
}

/**
 * A top-level declaration's text: its first line up to the next line in column 0 (its closing `}` or `)`
 * included). A signature Prettier wrapped ends its parameters with `): Type {` (or `}: Args): Type {`) in column 0: that line goes on.
 */
function declarationOf(source: string, name: string): string | null {
  const start = new RegExp(`^(?:export )?(?:async )?(?:function|const) ${name}\\b`, "m").exec(source);
  if (!start) return null;
  const lines = source.slice(start.index).split("\n");
  const end = lines.findIndex((line, i) => i > 0 && /^\S/.test(line) && !/^[)}].+(\{|=>)$/.test(line));
  if (end === -1) return lines.join("\n");
  return lines.slice(0, /^[})]/.test(lines[end]!) ? end + 1 : end).join("\n");
}

/** Local name -> [module file, exported name] for the named imports of a file. */
function importsOf(source: string, file: string): Map<string, [string, string]> {
  const imports = new Map<string, [string, string]>();
  for (const m of source.matchAll(/^import\s+\{([^}]*)\}\s+from\s+"([^"]+)";/gm)) {
    const target = resolveModule(m[2]!, file);
    if (!target) continue;
    for (const spec of m[1]!
      .split(",")
      .map((n) => n.trim().replace(/^type\s+/, ""))
      .filter(Boolean)) {
      const [original, local = original] = spec.split(/\s+as\s+/) as [string, string?];
      imports.set(local, [target, original]);
    }
  }
  return imports;
}

/**
 * The permissions a function authorizes, following the calls it makes into the same file and into the files
 * it imports from ("@/…" or relative), so a verb that delegates (exportPostmortem -> getPostmortem) counts.
 */
function permissionsAuthorizedBy(file: string, name: string, seen = new Set<string>()): Set<string> {
  const found = new Set<string>();
  const key = `${file}#${name}`;
  if (seen.has(key)) return found;
  seen.add(key);
  const source = readFileSync(file, "utf8");
  const body = declarationOf(source, name);
  if (!body) return found;
  for (const action of authorizedIn(body)) found.add(action);
  const imports = importsOf(source, file);
  for (const callee of new Set([...body.matchAll(/\b(\w+)\(/g)].map((m) => m[1]!))) {
    if (callee === name) continue;
    const [target, original] = imports.get(callee) ?? (declarationOf(source, callee) ? [file, callee] : [null, null]);
    if (target && original) for (const action of permissionsAuthorizedBy(target, original, seen)) found.add(action);
  }
  return found;
}

type Handler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const reads: { key: string; urlPath: string; handler: Handler; authorizes: Set<string> }[] = [];

beforeAll(async () => {
  const integration = await createIntegration({
    ctx: ctxOf(t.db, admin),
    input: { kind: "webhook", name: "admin reads" },
  });
  adminReads["GET /api/v1/integrations/[id]"]!.params = { id: integration.id };
  integrationSecret = integration.secret;
  for (const file of routeFiles(apiRoot)) {
    const module = (await import(file)) as { GET?: Handler };
    if (!module.GET) continue;
    const route = `/api/${path.relative(apiRoot, path.dirname(file)).split(path.sep).join("/")}`;
    reads.push({
      key: `GET ${route}`,
      urlPath: route,
      handler: module.GET,
      authorizes: permissionsAuthorizedBy(file, "GET"),
    });
  }
});

const paramsOf = (urlPath: string) =>
  Object.fromEntries([...urlPath.matchAll(/\[(\w+)\]/g)].map(([, name]) => [name!, placeholders[name!] ?? "x"]));
const urlOf = (urlPath: string, params: Record<string, string>) =>
  urlPath.replace(/\[(\w+)\]/g, (_, name: string) => params[name] ?? name);
const routeOf = (key: string) => {
  const read = reads.find((r) => r.key === key);
  if (!read) throw new Error(`${key}: no such GET route`);
  return read;
};

async function get(
  key: string,
  credentials: { token?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const read = routeOf(key);
  const params = adminReads[key]?.params ?? paramsOf(read.urlPath);
  return call(read.handler, "GET", urlOf(read.urlPath, params), { params, ...credentials });
}

const as = (role: Role, via: "token" | "session") =>
  via === "token" ? { token: tokens[role] } : { headers: { cookie: tokens.sessions[role] } };

describe("every admin-only read checks identity and role", () => {
  it("knows which permissions are admins' alone", () => {
    expect([...adminOnly].sort()).toEqual(
      expect.arrayContaining(["api_token.manage", "audit.read", "routing.read", "user.manage"]),
    );
    for (const [key, read] of Object.entries(adminReads))
      expect(adminOnly.has(read.permission), `${key}: ${read.permission} is not admin-only`).toBe(true);
  });

  it("has every GET route whose verb authorizes an admin-only permission in the table, and no other", () => {
    expect(reads.length).toBeGreaterThan(10);
    // Every other read authorizes something; if the scan finds nothing for one, it has lost its way.
    const unseen = reads.filter((r) => r.authorizes.size === 0 && !unauthenticated.has(r.key)).map((r) => r.key);
    expect(unseen, "no authorize(…) found behind these GET handlers").toEqual([]);
    const derived = reads.filter((r) => [...r.authorizes].some((a) => adminOnly.has(a))).map((r) => r.key);
    const missing = derived.filter((key) => !adminReads[key]);
    expect(missing, "add these admin-only reads to the table").toEqual([]);
    const stale = Object.keys(adminReads).filter((key) => !derived.includes(key));
    expect(
      stale,
      "these table rows name routes that no longer exist or no longer authorize an admin-only permission",
    ).toEqual([]);
    for (const key of derived) expect([...routeOf(key).authorizes], key).toContain(adminReads[key]!.permission);
  });

  it("has every GET route that refuses a responder in the table (what the handlers do, not what the source says)", async () => {
    const refused: string[] = [];
    for (const read of reads.filter((r) => !exempt.has(r.key))) {
      const controller = new AbortController();
      const params = paramsOf(read.urlPath);
      const res = await call(read.handler, "GET", urlOf(read.urlPath, params), {
        params,
        token: tokens.responder,
        signal: controller.signal,
      });
      // The live stream stays open until the client goes away.
      controller.abort();
      await res.body?.cancel();
      if (res.status === 403) refused.push(read.key);
    }
    expect(refused.sort()).toEqual(Object.keys(adminReads).sort());
  });

  it("answers 401 problem+json to a request without credentials", async () => {
    for (const key of Object.keys(adminReads)) {
      const res = await get(key);
      expect(res.status, key).toBe(401);
      expect(res.headers.get("content-type"), key).toBe("application/problem+json");
    }
  });

  for (const role of ["viewer", "responder"] as const) {
    for (const via of ["token", "session"] as const) {
      it(`answers 403 problem+json to a ${role} by ${via}, naming the permission`, async () => {
        for (const [key, read] of Object.entries(adminReads)) {
          const res = await get(key, as(role, via));
          expect(res.status, `${key} as ${role} by ${via}`).toBe(403);
          expect(res.headers.get("content-type"), key).toBe("application/problem+json");
          expect((await res.json()).detail, key).toBe(`Your role (${role}) does not allow ${read.permission}`);
        }
      });
    }
  }

  for (const via of ["token", "session"] as const) {
    it(`answers 200 to an admin by ${via}`, async () => {
      for (const [key, read] of Object.entries(adminReads)) {
        const res = await get(key, as("admin", via));
        expect(res.status, `${key} as admin by ${via}: ${await res.clone().text()}`).toBe(200);
        await read.check(res);
      }
    });
  }
});

describe("GET /api/v1/audit by actor", () => {
  it("finds a person's entries by their email address as well as by part of their name", async () => {
    const [user] =
      await t.sql`insert into users (email, name, role) values ('Erin.Audit@example.com', 'Erin', 'responder') returning id`;
    await t.sql`insert into audit_log (timestamp, user_id, actor_type, actor_id, actor_name, action, resource_type, resource_id, details)
                values (now(), ${user!.id}, 'user', ${user!.id}, 'Erin', 'incident.acknowledge', 'incident', 'x', '{}')`;
    for (const actor of ["erin.audit@example.com", "Eri"]) {
      const res = await call(auditRoute.GET, "GET", `/api/v1/audit?actor=${encodeURIComponent(actor)}`, {
        token: tokens.admin,
      });
      const { data } = (await res.json()) as { data: { actor: { name: string } }[] };
      expect(
        data.map((e) => e.actor.name),
        actor,
      ).toEqual(["Erin"]);
    }
  });
});

describe("GET /api/v1/audit with what it cannot use", () => {
  it("answers 400, never 500, to a cursor it did not issue (too long to be an id) or a range starting in year 0", async () => {
    for (const query of ["cursor=99999999999999999999", "cursor=abc", "from=0000-01-01T00:00:00Z"]) {
      const res = await call(auditRoute.GET, "GET", `/api/v1/audit?${query}`, { token: tokens.admin });
      expect(res.status, query).toBe(400);
    }
  });
});
