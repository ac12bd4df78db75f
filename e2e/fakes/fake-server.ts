// What every loopback fake shares: the record of what arrived, the failure plan, the HTTP control routes
// under /__fake/ (the fakes run in Playwright's global setup, the specs in other processes), and the
// fetch client those specs use.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/**
 * Make upcoming vendor requests fail (`status`: HTTP status, or the SMTP reply code for the SMTP fake)
 * or answer late (`delayMs`: handled and recorded at once, answered after the delay). Plans queue up in
 * the order given. `only` limits a plan to one kind of request: the Slack method ("chat.postMessage"),
 * the PagerDuty event_action ("resolve"), the SMS `To` number, or an SMTP recipient address.
 */
export type FailurePlan =
  | { times: number; status: number; body?: unknown; retryAfterSeconds?: number; only?: string }
  | { times: number; delayMs: number; only?: string };

/** What every recorded request carries besides its own parsed content. */
export interface Recorded {
  /** When it arrived (ISO 8601). */
  at: string;
  /** What the fake answered: the HTTP status (SMTP: the reply code to the message). */
  status: number;
  /** Set when a failure plan answered this status instead of the fake handling the request. */
  failedWith?: number;
  /** Set when a delay plan held the answer back this long (the request was handled normally). */
  delayedMs?: number;
}

export interface Fake<Received extends Recorded> {
  /** Base URL, http://127.0.0.1:<port>; the control routes live under <url>/__fake/. */
  url: string;
  /** Everything received, in order, parsed; cleared in place by reset(). */
  received: Received[];
  fail(next: FailurePlan): void;
  /** Clears what was received, the failure plans, and the state built from what was received. */
  reset(): void;
  close(): Promise<void>;
}

export type PlannedOutcome =
  { kind: "fail"; status: number; body?: unknown; retryAfterSeconds?: number } | { kind: "delay"; ms: number };

export class FailurePlans {
  #queue: { plan: FailurePlan; left: number }[] = [];

  add(plan: FailurePlan): void {
    if (plan.times > 0) this.#queue.push({ plan, left: plan.times });
  }

  /** The outcome for the next request, if a plan covers it; `keys` are what `only` is matched against. */
  take(keys: readonly string[] = []): PlannedOutcome | undefined {
    const entry = this.#queue.find(({ plan }) => plan.only === undefined || keys.includes(plan.only));
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.#queue.splice(this.#queue.indexOf(entry), 1);
    const { plan } = entry;
    if ("delayMs" in plan) return { kind: "delay", ms: plan.delayMs };
    return { kind: "fail", status: plan.status, body: plan.body, retryAfterSeconds: plan.retryAfterSeconds };
  }

  clear(): void {
    this.#queue = [];
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown, min: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min;

/** Checks a FailurePlan that came over HTTP; throws with the reason when it is not one. */
export function parseFailurePlan(value: unknown): FailurePlan {
  if (!isRecord(value)) throw new Error("a failure plan is a JSON object");
  const { times, only } = value;
  if (!isCount(times, 1)) throw new Error("times must be an integer >= 1");
  if (only !== undefined && typeof only !== "string") throw new Error("only must be a string");
  if ("delayMs" in value) {
    if (!isCount(value.delayMs, 0)) throw new Error("delayMs must be an integer >= 0");
    return { times, delayMs: value.delayMs, ...(only !== undefined ? { only } : {}) };
  }
  const { status, retryAfterSeconds } = value;
  if (!isCount(status, 100) || status > 599) throw new Error("status must be an integer between 100 and 599");
  if (retryAfterSeconds !== undefined && !isCount(retryAfterSeconds, 0))
    throw new Error("retryAfterSeconds must be an integer >= 0");
  return {
    times,
    status,
    ...("body" in value ? { body: value.body } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(only !== undefined ? { only } : {}),
  };
}

export const now = (): string => new Date().toISOString();

/** Resolves after `ms`; the timer does not keep the process alive (a closed fake leaves nothing behind). */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limitBytes = 5 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limitBytes) throw new BodyTooLarge(`request body over ${limitBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** One answer of a vendor endpoint, before the failure plan has its say. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Runs one vendor request through the failure plan. A failure answers `failure(status)` (plus the plan's
 * body and Retry-After) without handling the request; otherwise `handle` runs at once and its answer is
 * sent, late when a delay plan says so. `record` is called before anything is sent, so a test can see the
 * request while its answer is still held back.
 */
export async function answerThroughPlan(
  res: ServerResponse,
  outcome: PlannedOutcome | undefined,
  failure: (status: number) => Answer,
  handle: () => Answer,
  record: (answer: Answer, flags: { failedWith?: number; delayedMs?: number }) => void,
): Promise<void> {
  if (outcome?.kind === "fail") {
    const base = failure(outcome.status);
    const { retryAfterSeconds } = outcome;
    const answer: Answer = {
      status: outcome.status,
      body: outcome.body !== undefined ? outcome.body : base.body,
      headers: {
        ...base.headers,
        ...(retryAfterSeconds !== undefined ? { "Retry-After": String(retryAfterSeconds) } : {}),
      },
    };
    record(answer, { failedWith: outcome.status });
    return sendJson(res, answer.status, answer.body, answer.headers);
  }
  const answer = handle();
  record(answer, outcome ? { delayedMs: outcome.ms } : {});
  if (outcome) await sleep(outcome.ms);
  sendJson(res, answer.status, answer.body, answer.headers);
}

/** A fake-specific control route, e.g. "GET messages" or "POST users" (served at /__fake/messages). */
export type ControlRoute = (input: { query: URLSearchParams; body: unknown }) => unknown;

export interface Controls {
  received: () => readonly Recorded[];
  fail: (plan: FailurePlan) => void;
  reset: () => void;
  routes?: Record<string, ControlRoute>;
}

/**
 * Answers a request under /__fake/ and returns true; returns false for any other path. Routes:
 * GET received, POST fail (a FailurePlan), POST reset, and the fake's own `routes`.
 */
export async function answerControl(req: IncomingMessage, res: ServerResponse, controls: Controls): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://fake");
  if (!url.pathname.startsWith("/__fake/")) return false;
  const route = `${req.method ?? "GET"} ${url.pathname.slice("/__fake/".length)}`;
  let body: unknown;
  try {
    const text = (await readBody(req)).toString("utf8");
    body = text ? JSON.parse(text) : undefined;
  } catch (error) {
    sendJson(res, 400, { error: `body is not JSON: ${(error as Error).message}` });
    return true;
  }
  try {
    if (route === "GET received") sendJson(res, 200, controls.received());
    else if (route === "POST fail") {
      controls.fail(parseFailurePlan(body));
      sendJson(res, 200, { ok: true });
    } else if (route === "POST reset") {
      controls.reset();
      sendJson(res, 200, { ok: true });
    } else {
      const handler = controls.routes?.[route];
      if (handler) sendJson(res, 200, handler({ query: url.searchParams, body }) ?? { ok: true });
      else sendJson(res, 404, { error: `no control route ${route}` });
    }
  } catch (error) {
    sendJson(res, 400, { error: (error as Error).message });
  }
  return true;
}

/** Starts an HTTP server on 127.0.0.1 (port 0: a free one); errors in `handle` become 500s. */
export async function startHttpServer(
  port: number | undefined,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) sendJson(res, 413, { error: error.message });
      else sendJson(res, 500, { error: `fake crashed: ${error instanceof Error ? error.message : String(error)}` });
    });
  });
  const bound = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port ?? 0, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
  });
  return { server, url: `http://127.0.0.1:${bound}` };
}

/** Stops the server without waiting for keep-alive clients or answers a delay plan still holds back. */
export function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export interface FakeControl<Received extends Recorded> {
  received(): Promise<Received[]>;
  fail(plan: FailurePlan): Promise<void>;
  reset(): Promise<void>;
  /** A fake-specific route, e.g. get("messages", { channel: "#incidents-critical" }). */
  get<T>(route: string, query?: Record<string, string>): Promise<T>;
  post<T>(route: string, body?: unknown): Promise<T>;
}

/** From a spec in another process: inspect and steer a fake through its control routes. */
export function fakeControl<Received extends Recorded = Recorded>(url: string): FakeControl<Received> {
  const base = `${url.replace(/\/$/, "")}/__fake/`;
  const call = async <T>(method: "GET" | "POST", route: string, body?: unknown): Promise<T> => {
    const res = await fetch(base + route, {
      method,
      ...(method === "POST"
        ? { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body ?? {}) }
        : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`fake control ${method} ${route} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    received: () => call<Received[]>("GET", "received"),
    fail: async (plan) => void (await call("POST", "fail", plan)),
    reset: async () => void (await call("POST", "reset")),
    get: <T>(route: string, query: Record<string, string> = {}) =>
      call<T>("GET", `${route}?${new URLSearchParams(query).toString()}`),
    post: <T>(route: string, body?: unknown) => call<T>("POST", route, body),
  };
}
