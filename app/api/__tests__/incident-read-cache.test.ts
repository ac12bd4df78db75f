// The web process's recent answers to the board's reads (list pages, counts, an incident, its timeline),
// through the doors on real PostgreSQL: a read asked again is answered from memory, yet an incident change
// shows on the next read: at once after a write this process served, and as soon as the NOTIFY arrives
// for a change made anywhere else.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { createIncident } from "@/lib/incidents/create-incident";
import { createIncidentReadCache, type IncidentReadCache } from "@/lib/incidents/incident-read-cache";
import { systemActor } from "@/lib/context";
import { getRuntime, setRuntime } from "@/lib/runtime";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";
import * as incidentRoute from "../v1/incidents/[ref]/route";
import * as timelineRoute from "../v1/incidents/[ref]/timeline/route";
import * as countsRoute from "../v1/incidents/counts/route";
import * as incidentsRoute from "../v1/incidents/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
let cache: IncidentReadCache;

beforeAll(async () => {
  // Long enough that only a drop, never the time-to-live, can explain a fresh answer below.
  cache = createIncidentReadCache(t.sql, { ttlMs: 60_000 });
  setRuntime({ ...getRuntime(), incidentReads: cache });
  await cache.listening();
});
afterAll(() => cache.close());

const ctx = () => ({ db: t.db, actor: systemActor("test"), now: new Date() });
const titles = async (service: string) => {
  const res = await call(incidentsRoute.GET, "GET", `/api/v1/incidents?service=${service}`, { token: tokens.viewer });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { title: string; status: string }[] }).data.map(
    (i) => `${i.title} ${i.status}`,
  );
};
const counts = async (service: string) => {
  const res = await call(countsRoute.GET, "GET", `/api/v1/incidents/counts?service=${service}`, {
    token: tokens.viewer,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, number>;
};
/** An incident, with the NOTIFY of its creation heard and gone (it drops every page). */
const declared = async (title: string, service: string) => {
  const { incident } = await createIncident({ ctx: ctx(), input: { title, severity: "P2", service } });
  await settleNotices();
  return incident;
};
/** What a change's timeline event sends on commit, without the change: every kept answer drops. */
const announce = () => t.sql`select pg_notify('vigil_incident_events', '{}')`;
/** Waits until the NOTIFYs of changes committed so far have dropped what they drop. */
const settleNotices = async () => {
  const marker = `settle-${Math.random()}`;
  await cache.get(marker, async () => "kept");
  await announce();
  await vi.waitFor(async () => expect(await cache.get(marker, async () => "read again")).toBe("read again"));
};
/** Changes a title behind every door's back: no timeline event, no NOTIFY. Only a fresh read shows it. */
const retitleQuietly = (id: string, title: string) => t.sql`update incidents set title = ${title} where id = ${id}`;

describe("the incident read cache", () => {
  it("answers a page asked again from memory", async () => {
    const incident = await declared("disk full", "cache-memory");
    expect(await titles("cache-memory")).toEqual(["disk full open"]);
    await retitleQuietly(incident.id, "changed quietly");
    expect(await titles("cache-memory")).toEqual(["disk full open"]);
    expect(await titles("cache-memory&limit=50")).toEqual(["disk full open"]); // the same filters, parsed
    expect(await titles("cache-memory&limit=10")).toEqual(["changed quietly open"]); // another page
  });

  it("drops every page as soon as another process's change is announced", async () => {
    const incident = await declared("queue backlog", "cache-notify");
    expect(await titles("cache-notify")).toEqual(["queue backlog open"]);
    // As the worker or another replica would: the verb on its own connection, no request through this process.
    await acknowledgeIncident({ ctx: ctx(), input: { ref: incident.ref } });
    await vi.waitFor(async () => expect(await titles("cache-notify")).toEqual(["queue backlog acknowledged"]), {
      timeout: 2000,
      interval: 5,
    });
  });

  it("reads again after a write request this process served, before any NOTIFY could arrive", async () => {
    const incident = await declared("slow checkout", "cache-write");
    expect(await titles("cache-write")).toEqual(["slow checkout open"]);
    await retitleQuietly(incident.id, "retitled");
    // Any write through the API drops the pages, even a refused one: it cannot know what it changed.
    const refused = await call(incidentsRoute.POST, "POST", "/api/v1/incidents", {
      token: tokens.responder,
      body: { title: "" },
    });
    expect(refused.status).toBe(400);
    expect(await titles("cache-write")).toEqual(["retitled open"]);
  });

  it("drops every page when the LISTEN is taken again after its connection dropped", async () => {
    const incident = await declared("lost notices", "cache-relisten");
    expect(await titles("cache-relisten")).toEqual(["lost notices open"]);
    // Changed while nobody listened: no NOTIFY will ever tell of it.
    await retitleQuietly(incident.id, "changed while deaf");
    await t.sql`select pg_terminate_backend(pid) from pg_stat_activity
                where datname = current_database() and query = 'listen "vigil_incident_events"'`;
    await vi.waitFor(async () => expect(await titles("cache-relisten")).toEqual(["changed while deaf open"]), {
      timeout: 5000,
      interval: 20,
    });
  });

  it("keeps an incident and its timeline the same way", async () => {
    const incident = await declared("replication lag", "cache-incident");
    const params = { params: { ref: incident.ref }, token: tokens.viewer };
    const title = async () => {
      const res = await call(incidentRoute.GET, "GET", `/api/v1/incidents/${incident.ref}`, params);
      expect(res.status).toBe(200);
      return ((await res.json()) as { title: string }).title;
    };
    const texts = async () => {
      const res = await call(timelineRoute.GET, "GET", `/api/v1/incidents/${incident.ref}/timeline`, params);
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: { text: string }[] }).data.map((e) => e.text);
    };
    expect(await title()).toBe("replication lag");
    const before = await texts();
    await retitleQuietly(incident.id, "lag, quietly");
    await t.sql`insert into timeline_events (incident_id, at, kind, actor_type, actor_name, text, data)
                values (${incident.id}, now(), 'note', 'user', 'Ada', 'written quietly', '{}')`;
    expect(await title()).toBe("replication lag");
    expect(await texts()).toEqual(before);
    await announce();
    await vi.waitFor(async () => expect(await title()).toBe("lag, quietly"));
    expect(await texts()).toContain("written quietly");

    // A note through the API shows in the very next read of the timeline.
    const noted = await call(timelineRoute.POST, "POST", `/api/v1/incidents/${incident.ref}/timeline`, {
      ...params,
      token: tokens.responder,
      body: { text: "checked the replicas" },
    });
    expect(noted.status).toBe(201);
    expect(await texts()).toContain("checked the replicas");
  });

  it("keeps the board's counts the same way", async () => {
    const incident = await declared("cert expiry", "cache-counts");
    expect((await counts("cache-counts")).P2).toBe(1);
    await t.sql`update incidents set severity = 'P1' where id = ${incident.id}`;
    expect((await counts("cache-counts")).P2).toBe(1);
    await announce();
    await vi.waitFor(async () => expect(await counts("cache-counts")).toMatchObject({ P1: 1, P2: 0 }));
  });
});

describe("what the cache keeps", () => {
  const local = (ttlMs: number, options: { maxChars?: number; now?: () => number } = {}) =>
    createIncidentReadCache(t.sql, { ttlMs, ...options });
  const counter = () => {
    let n = 0;
    return { read: async () => `answer ${++n}`, reads: () => n };
  };

  it("shares one read among concurrent misses of a page", async () => {
    const c = local(60_000);
    await c.listening();
    const { read, reads } = counter();
    const answers = await Promise.all([c.get("k", read), c.get("k", read), c.get("k", read)]);
    expect(answers).toEqual(["answer 1", "answer 1", "answer 1"]);
    expect(reads()).toBe(1);
    c.close();
  });

  it("does not keep a read that a change overtook", async () => {
    const c = local(60_000);
    await c.listening();
    let finish!: (text: string) => void;
    const first = c.get("k", () => new Promise((resolve) => (finish = resolve)));
    c.dropAll(); // an incident changed while the page was being read
    finish("from before the change");
    expect(await first).toBe("from before the change");
    expect(await c.get("k", async () => "after")).toBe("after");
    c.close();
  });

  it("does not keep a read that failed", async () => {
    const c = local(60_000);
    await c.listening();
    await expect(c.get("k", () => Promise.reject(new Error("no such incident")))).rejects.toThrow("no such incident");
    expect(await c.get("k", async () => "found")).toBe("found");
    c.close();
  });

  it("reads again once an answer is older than the time-to-live", async () => {
    let clock = 1_000;
    const c = local(2_000, { now: () => clock });
    await c.listening();
    const { read, reads } = counter();
    await c.get("k", read);
    clock += 1_999;
    expect(await c.get("k", read)).toBe("answer 1");
    clock += 1;
    expect(await c.get("k", read)).toBe("answer 2");
    expect(reads()).toBe(2);
    c.close();
  });

  it("keeps nothing with a time-to-live of 0, and the newest answers within its size", async () => {
    const off = local(0);
    const { read, reads } = counter();
    await off.get("k", read);
    await off.get("k", read);
    expect(reads()).toBe(2);

    const small = local(60_000, { maxChars: 20 });
    await small.listening();
    await small.get("a", async () => "0123456789");
    await small.get("b", async () => "abcdefghij");
    await small.get("c", async () => "ABCDEFGHIJ"); // "a" goes to make room
    expect(await small.get("b", async () => "read again")).toBe("abcdefghij");
    expect(await small.get("a", async () => "read again")).toBe("read again");
    small.close();
  });
});
