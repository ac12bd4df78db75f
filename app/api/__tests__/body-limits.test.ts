// Every door that takes a body reads it within a limit, as a stream: a chunked upload without
// Content-Length that would go on for a gigabyte is cut off just past the door's limit and answered 413,
// before any signature or token is looked at by the doors that need the body for that.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getRuntime } from "@/lib/runtime";
import { useTestDatabase } from "@/test/database";
import { useTestRuntime } from "@/test/runtime";
import { apiRoot, routeFiles } from "@/test/api-routes";

const t = useTestDatabase();
const tokens = useTestRuntime(t);

const KiB = 1024;
const CHUNK = 64 * KiB;
/** The largest limit of any door (the Alertmanager webhook and the routing dry run take 16 MiB). */
const LARGEST_LIMIT = 16 * 1024 * KiB;

/** A chunked upload of up to 1 GiB, counting what the door pulled from it and whether it let go. */
function endlessUpload(url: string, headers: Record<string, string>) {
  const chunk = new Uint8Array(CHUNK).fill(0x7b);
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled >= 1024 * 1024 * KiB) return controller.close();
        seen.pulled += CHUNK;
        controller.enqueue(chunk);
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  const req = new Request(url, {
    method: "POST",
    headers: { "x-forwarded-for": "198.51.100.23", ...headers },
    body,
    duplex: "half",
  } as RequestInit);
  return { req, seen };
}

type Handler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function send(
  handler: Handler,
  urlPath: string,
  headers: Record<string, string> = {},
  params: Record<string, string> = {},
) {
  const { req, seen } = endlessUpload(`http://localhost:3000${urlPath}`, headers);
  const res = await handler(req, { params: Promise.resolve(params) });
  return { res, seen };
}

beforeAll(() => {
  const { config } = getRuntime();
  Object.assign(config.pagerduty, { webhookSecret: "whsec-body-limits" });
  Object.assign(config.slack, { signingSecret: "slack-body-limits-secret", botToken: "xoxb-body-limits" });
  Object.assign(config.sms, { authToken: "twilio-body-limits" });
});

describe("bodies over a door's limit", () => {
  it("are refused with 413 by PagerDuty's webhook, unsigned, after reading no more than the limit", async () => {
    const route = (await import("../v1/webhooks/pagerduty/route")) as { POST: Handler };
    const { res, seen } = await send(route.POST, "/api/v1/webhooks/pagerduty", {
      "content-type": "application/json",
      "x-pagerduty-signature": "v1=00",
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({
      type: "urn:vigil:problem:too_large",
      status: 413,
      detail: "The request body is larger than 1024 KiB",
    });
    expect(seen.pulled).toBeLessThanOrEqual(1024 * KiB + CHUNK);
    expect(seen.cancelled).toBe(true);
  });

  it.each(["commands", "interactions", "events"])(
    "are refused with 413 by Slack's %s endpoint, unsigned, after reading no more than 256 KiB",
    async (name) => {
      const route = (await import(`../slack/${name}/route`)) as { POST: Handler };
      const { res, seen } = await send(route.POST, `/api/slack/${name}`, {
        "content-type": "application/x-www-form-urlencoded",
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({
        type: "urn:vigil:problem:too_large",
        detail: "The request body is larger than 256 KiB",
      });
      expect(seen.pulled).toBeLessThanOrEqual(256 * KiB + CHUNK);
      expect(seen.cancelled).toBe(true);
    },
  );

  it("are cut off by every door that takes a body, and never read to the end", async () => {
    const doors: { key: string; handler: Handler; urlPath: string }[] = [];
    for (const file of routeFiles(apiRoot)) {
      const urlPath = `/api/${path.relative(apiRoot, path.dirname(file)).split(path.sep).join("/")}`;
      if (urlPath.startsWith("/api/auth/")) continue; // Auth.js reads its own forms
      const module = (await import(file)) as Partial<Record<"POST" | "PUT" | "PATCH", Handler>>;
      for (const method of ["POST", "PUT", "PATCH"] as const)
        if (module[method]) doors.push({ key: `${method} ${urlPath}`, handler: module[method], urlPath });
    }
    expect(doors.length).toBeGreaterThan(20);
    const params = { ref: "INC-1", id: crypto.randomUUID(), itemId: crypto.randomUUID(), slug: "no-such-runbook" };
    const refused: string[] = [];
    for (const door of doors) {
      const { res, seen } = await send(
        door.handler,
        door.urlPath,
        { authorization: `Bearer ${tokens.admin}`, "content-type": "application/json" },
        params,
      );
      expect(seen.pulled, door.key).toBeLessThanOrEqual(LARGEST_LIMIT + CHUNK);
      // A door that read any of it read to its limit and said so; the others answered without reading.
      if (seen.pulled > 0) expect([door.key, res.status, seen.cancelled]).toEqual([door.key, 413, true]);
      if (res.status === 413) refused.push(door.key);
    }
    expect(refused).toContain("POST /api/v1/webhooks/alertmanager");
    expect(refused).toContain("POST /api/v1/incidents");
    expect(refused).toContain("POST /api/v1/webhooks/twilio/sms");
    expect(refused.length).toBeGreaterThan(15);
  });
});
