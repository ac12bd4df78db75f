// Installs the process runtime (config, database, logger) that route handlers use, pointed at the test
// database, so a test can call a route handler exactly as Next.js would.
import { beforeAll } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { systemActor } from "@/lib/context";
import { loadConfig } from "@/lib/env";
import { createLogger } from "@/lib/observability/logger";
import { setRuntime } from "@/lib/runtime";
import type { TestDatabase } from "./database";

export interface TestTokens {
  viewer: string;
  responder: string;
  admin: string;
}

/** Sets the runtime and creates one API token per role; read the returned object inside tests. */
export function useTestRuntime(t: TestDatabase): TestTokens {
  const tokens = {} as TestTokens;
  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: t.url, LOG_LEVEL: "silent", APP_URL: "http://localhost:3000" });
    setRuntime({ config, database: t, logger: createLogger("silent") });
    const ctx = { db: t.db, actor: systemActor("test setup"), now: new Date() };
    for (const role of ["viewer", "responder", "admin"] as const) {
      tokens[role] = (await createApiToken({ ctx, input: { name: `${role} token`, role } })).token;
    }
  });
  return tokens;
}

type Handler<P> = (req: Request, segment: { params: Promise<P> }) => Promise<Response>;

export interface CallOptions<P> {
  token?: string;
  body?: unknown;
  rawBody?: string;
  params?: P;
  headers?: Record<string, string>;
}

/** Calls a route handler with a real Request, the way Next.js does. */
export async function call<P>(handler: Handler<P>, method: string, path: string, options: CallOptions<P> = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  if (!headers.has("x-forwarded-for")) headers.set("x-forwarded-for", "198.51.100.23");
  const req = new Request(`http://localhost:3000${path}`, { method, headers, body });
  return handler(req, { params: Promise.resolve(options.params ?? ({} as P)) });
}
