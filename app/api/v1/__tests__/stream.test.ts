import { describe, expect, it } from "vitest";
import { createIncident } from "@/lib/incidents/create-incident";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";
import * as streamRoute from "../stream/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);

async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  pattern: RegExp,
  timeoutMs = 5000,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(text)) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} in: ${text}`);
    const { value, done } = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("read timed out")), timeoutMs)),
    ]);
    if (done) break;
    text += decoder.decode(value);
  }
  return text;
}

describe("GET /api/v1/stream", () => {
  it("streams every committed incident change as a server-sent event", async () => {
    const controller = new AbortController();
    const res = await call(streamRoute.GET, "GET", "/api/v1/stream", {
      token: tokens.viewer,
      signal: controller.signal,
    });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("cache-control")).toBe("no-cache, no-transform");
    const reader = res.body!.getReader();
    await readUntil(reader, /: connected/);
    const { incident } = await createIncident({ ctx: ctxOf(t.db, admin), input: { title: "Live", severity: "P2" } });
    const text = await readUntil(reader, /event: incident/);
    expect(text).toContain(`"incident_id":"${incident.id}"`);
    expect(text).toContain(`"kind":"created"`);
    controller.abort();
  });

  it("answers 401 without credentials", async () => {
    expect((await call(streamRoute.GET, "GET", "/api/v1/stream")).status).toBe(401);
  });
});
