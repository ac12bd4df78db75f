import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { MAX_JSON_DEPTH, parseJsonText, readJsonObject, readRawBody } from "./request";

const KiB = 1024;

/**
 * A chunked upload with no Content-Length: a stream that would go on producing 64 KiB chunks (1 GiB in
 * all), counting what was pulled from it and whether it was cancelled.
 */
function endlessUpload(headers: Record<string, string> = {}) {
  const chunk = new Uint8Array(64 * KiB).fill(0x61);
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled >= 1024 * 1024 * KiB) return controller.close();
        seen.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  const req = new Request("http://vigil.test/api/v1/webhooks/pagerduty", {
    method: "POST",
    headers,
    body,
    duplex: "half",
  } as RequestInit);
  return { req, seen };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe("reading a request body within a limit", () => {
  it("refuses a chunked body without Content-Length once it passes the limit, and stops reading it", async () => {
    const { req, seen } = endlessUpload();
    const error = await refusal(readRawBody(req, 256 * KiB));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "too_large", message: "The request body is larger than 256 KiB" });
    // It read one chunk past the limit at most, then let go of the stream.
    expect(seen.pulled).toBeLessThanOrEqual(256 * KiB + 64 * KiB);
    expect(seen.cancelled).toBe(true);
  });

  it("refuses a body whose Content-Length is over the limit without reading any of it", async () => {
    const { req, seen } = endlessUpload({ "content-length": String(10 * 1024 * KiB) });
    expect(await refusal(readRawBody(req, 256 * KiB))).toMatchObject({ code: "too_large" });
    expect(seen.pulled).toBe(0);
  });

  it("reads a body up to the limit whole, as UTF-8, characters split across chunks included", async () => {
    const bytes = new TextEncoder().encode(`{"title":"Zürich ${"é".repeat(100)}"}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.subarray(i, i + 7));
        controller.close();
      },
    });
    const req = new Request("http://vigil.test/", { method: "POST", body, duplex: "half" } as RequestInit);
    expect(await readJsonObject(req, bytes.length)).toEqual({ title: `Zürich ${"é".repeat(100)}` });
  });

  it("takes a missing body as empty", async () => {
    expect(await readRawBody(new Request("http://vigil.test/", { method: "POST" }))).toBe("");
    expect(await readJsonObject(new Request("http://vigil.test/", { method: "POST" }))).toEqual({});
  });
});

describe("reading JSON text", () => {
  it("refuses nesting deeper than the limit as invalid, where walking the value would overflow the stack", () => {
    for (const deep of [
      "[".repeat(100_000) + "]".repeat(100_000),
      '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000),
    ]) {
      const error = (() => {
        try {
          // What the doors do with a body after parsing it (idempotency keys, ingestion, NUL replacement).
          return JSON.stringify(parseJsonText(deep, { replaceNul: true }));
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "invalid", fieldErrors: [{ path: "(body)" }] });
    }
  });

  it("reads nesting up to the limit, and brackets inside strings do not count", () => {
    const atLimit = "[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH);
    expect(() => parseJsonText(atLimit)).not.toThrow();
    expect(parseJsonText(JSON.stringify({ text: "[[[{{{".repeat(1000), quote: '"[' }))).toMatchObject({ quote: '"[' });
  });
});
