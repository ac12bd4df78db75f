// Installs the process runtime (config, database, logger) that route handlers use, pointed at the test
// database, so a test can call a route handler exactly as Next.js would.
import { encode } from "@auth/core/jwt";
import { beforeAll } from "vitest";
import { users } from "@/db/schema";
import { createApiToken } from "@/lib/auth/api-tokens";
import { systemActor } from "@/lib/context";
import { loadConfig } from "@/lib/env";
import { PEER_HEADER, peerHeaderValue } from "@/lib/http/peer-address";
import { createLogger } from "@/lib/observability/logger";
import { setRuntime } from "@/lib/runtime";
import type { TestDatabase } from "./database";

export interface TestTokens {
  viewer: string;
  responder: string;
  admin: string;
  /** Session cookies (Cookie header values) of a signed-in user per role. */
  sessions: { viewer: string; responder: string; admin: string };
}

export const TEST_AUTH_SECRET = "test-auth-secret-0123456789abcdef0123456789";
export const TEST_APP_ORIGIN = "http://localhost:3000";

/** The Cookie header a browser signed in as this user (at `signedInAt`, by default now) would send. */
export async function sessionCookie(
  userId: string,
  { signedInAt = new Date() }: { signedInAt?: Date } = {},
): Promise<string> {
  const salt = "authjs.session-token";
  const jwt = await encode({
    token: { uid: userId, sub: userId, signedInAt: signedInAt.getTime() },
    secret: TEST_AUTH_SECRET,
    salt,
  });
  return `${salt}=${jwt}`;
}

/** Sets the runtime and creates one API token per role; read the returned object inside tests. */
export function useTestRuntime(t: TestDatabase): TestTokens {
  const tokens = { sessions: {} } as TestTokens;
  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: t.url,
      LOG_LEVEL: "silent",
      APP_URL: TEST_APP_ORIGIN,
      AUTH_SECRET: TEST_AUTH_SECRET,
    });
    setRuntime({ config, database: t, logger: createLogger("silent") });
    const ctx = { db: t.db, actor: systemActor("test setup"), now: new Date() };
    for (const role of ["viewer", "responder", "admin"] as const) {
      tokens[role] = (await createApiToken({ ctx, input: { name: `${role} token`, role } })).token;
      const [user] = await t.db
        .insert(users)
        .values({ email: `${role}-${t.name}@example.com`, name: `${role} person`, role })
        .returning();
      tokens.sessions[role] = await sessionCookie(user!.id);
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
  signal?: AbortSignal;
  /** The socket address the request comes from (198.51.100.23, a client on the internet, by default). */
  peer?: string;
}

/** Calls a route handler with a real Request, the way Next.js does. */
export async function call<P>(
  handler: Handler<P>,
  method: string,
  path: string,
  options: CallOptions<P> = {},
): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  // What the web server's socket stamp would carry (lib/http/peer-address.ts).
  headers.set(PEER_HEADER, peerHeaderValue(options.peer ?? "198.51.100.23"));
  const req = new Request(`http://localhost:3000${path}`, { method, headers, body, signal: options.signal });
  return handler(req, { params: Promise.resolve(options.params ?? ({} as P)) });
}
