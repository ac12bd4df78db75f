// The postmortem endpoints called as Next.js calls them: JSON shapes, status codes, problem+json refusals,
// the export file, and the same role rules as the verbs.
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";
import * as incidentsRoute from "../incidents/route";
import * as resolveRoute from "../incidents/[ref]/resolve/route";
import * as incidentPostmortemRoute from "../incidents/[ref]/postmortem/route";
import * as postmortemsRoute from "../postmortems/route";
import * as postmortemRoute from "../postmortems/[id]/route";
import * as exportRoute from "../postmortems/[id]/export/route";
import * as actionItemsRoute from "../postmortems/[id]/action-items/route";
import * as actionItemRoute from "../postmortems/[id]/action-items/[itemId]/route";
import * as ticketRoute from "../postmortems/[id]/action-items/[itemId]/ticket/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);

async function resolvedIncident(title = "Search latency p95 above 2 s") {
  const incident = await (
    await call(incidentsRoute.POST, "POST", "/api/v1/incidents", {
      token: tokens.responder,
      body: { title, severity: "P2", service: "search" },
    })
  ).json();
  await call(resolveRoute.POST, "POST", `/api/v1/incidents/${incident.ref}/resolve`, {
    token: tokens.responder,
    params: { ref: incident.ref },
    body: { resolution_note: "Cache warmed" },
  });
  return incident as { ref: string; id: string };
}

async function drafted() {
  const incident = await resolvedIncident();
  const res = await call(incidentPostmortemRoute.POST, "POST", `/api/v1/incidents/${incident.ref}/postmortem`, {
    token: tokens.responder,
    params: { ref: incident.ref },
  });
  return { incident, postmortem: (await res.json()) as { id: string; version: number; markdown: string } };
}

describe("GET and POST /api/v1/incidents/{ref}/postmortem", () => {
  it("answers 404 until there is one, 201 with a Location when written, then the draft as JSON with its markdown", async () => {
    const incident = await resolvedIncident();
    const params = { ref: incident.ref };
    const before = await call(incidentPostmortemRoute.GET, "GET", `/api/v1/incidents/${incident.ref}/postmortem`, {
      token: tokens.viewer,
      params,
    });
    expect(before.status).toBe(404);
    expect((await before.json()).detail).toBe(`The postmortem of ${incident.ref} was not found`);

    const written = await call(incidentPostmortemRoute.POST, "POST", `/api/v1/incidents/${incident.ref}/postmortem`, {
      token: tokens.responder,
      params,
    });
    expect(written.status).toBe(201);
    const postmortem = await written.json();
    expect(written.headers.get("location")).toBe(`http://localhost:3000/api/v1/postmortems/${postmortem.id}`);

    const res = await call(incidentPostmortemRoute.GET, "GET", `/api/v1/incidents/${incident.ref}/postmortem`, {
      token: tokens.viewer,
      params,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      id: postmortem.id,
      status: "draft",
      version: 1,
      incident: { ref: incident.ref, severity: "P2" },
      action_items: [],
      revisions: [{ version: 1 }],
    });
    expect(body.markdown).toContain(`# Incident Postmortem: [${incident.ref}] Search latency p95 above 2 s`);
    expect(body.markdown).toContain("Cache warmed");

    const again = await call(incidentPostmortemRoute.POST, "POST", `/api/v1/incidents/${incident.ref}/postmortem`, {
      token: tokens.responder,
      params,
    });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(postmortem.id);
  });
});

describe("PATCH /api/v1/postmortems/{id}", () => {
  it("saves with the current version, answers 409 to an older one and 403 to a viewer", async () => {
    const { postmortem } = await drafted();
    const params = { id: postmortem.id };
    const path = `/api/v1/postmortems/${postmortem.id}`;
    const saved = await call(postmortemRoute.PATCH, "PATCH", path, {
      token: tokens.responder,
      params,
      body: { markdown: "# Ours\n", version: 1 },
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ version: 2, markdown: "# Ours\n" });

    const stale = await call(postmortemRoute.PATCH, "PATCH", path, {
      token: tokens.admin,
      params,
      body: { markdown: "# Theirs\n", version: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toBe("application/problem+json");
    expect((await stale.json()).detail).toMatch(/reload it and apply your edit again/);

    const viewer = await call(postmortemRoute.PATCH, "PATCH", path, {
      token: tokens.viewer,
      params,
      body: { markdown: "# Viewer\n", version: 2 },
    });
    expect(viewer.status).toBe(403);
    const skipped = await call(postmortemRoute.PATCH, "PATCH", path, {
      token: tokens.responder,
      params,
      body: { status: "published" },
    });
    expect(skipped.status).toBe(409);
  });

  it("answers 400 naming the field when an edit names no version, and 404 for an unknown id", async () => {
    const { postmortem } = await drafted();
    const res = await call(postmortemRoute.PATCH, "PATCH", `/api/v1/postmortems/${postmortem.id}`, {
      token: tokens.responder,
      params: { id: postmortem.id },
      body: { markdown: "# x" },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([
      { path: "version", message: "an edit names the version it is based on" },
    ]);
    const id = crypto.randomUUID();
    expect(
      (await call(postmortemRoute.GET, "GET", `/api/v1/postmortems/${id}`, { token: tokens.viewer, params: { id } }))
        .status,
    ).toBe(404);
    expect(
      (
        await call(postmortemRoute.GET, "GET", "/api/v1/postmortems/nope", {
          token: tokens.viewer,
          params: { id: "nope" },
        })
      ).status,
    ).toBe(400);
  });
});

describe("action items over the API", () => {
  it("adds, changes and removes items; the list counts them; the export lists them in the document", async () => {
    const { incident, postmortem } = await drafted();
    const params = { id: postmortem.id };
    const base = `/api/v1/postmortems/${postmortem.id}/action-items`;
    const created = await call(actionItemsRoute.POST, "POST", base, {
      token: tokens.responder,
      params,
      body: { title: "Warm the cache on deploy", due_date: "2020-01-31" },
    });
    expect(created.status).toBe(201);
    const item = await created.json();
    expect(item).toMatchObject({
      title: "Warm the cache on deploy",
      status: "open",
      overdue: true,
      ticket: { state: "none" },
    });

    const list = await (
      await call(postmortemsRoute.GET, "GET", "/api/v1/postmortems?overdue=true", { token: tokens.viewer })
    ).json();
    expect(list.data.find((p: { id: string }) => p.id === postmortem.id)).toMatchObject({
      incident: { ref: incident.ref },
      action_item_counts: { total: 1, open: 1, overdue: 1 },
    });

    const itemParams = { id: postmortem.id, itemId: item.id };
    const changed = await call(actionItemRoute.PATCH, "PATCH", `${base}/${item.id}`, {
      token: tokens.responder,
      params: itemParams,
      body: { status: "in_progress", owner: "responder-" + t.name + "@example.com" },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ status: "in_progress", owner: { name: "responder person" } });
    const badDate = await call(actionItemRoute.PATCH, "PATCH", `${base}/${item.id}`, {
      token: tokens.responder,
      params: itemParams,
      body: { due_date: "next week" },
    });
    expect(badDate.status).toBe(400);

    const exported = await call(exportRoute.GET, "GET", `/api/v1/postmortems/${postmortem.id}/export`, {
      token: tokens.viewer,
      params,
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(exported.headers.get("content-disposition")).toBe(`attachment; filename="postmortem-${incident.ref}.md"`);
    expect(await exported.text()).toContain(
      "| Warm the cache on deploy | responder person | 2020-01-31 | in progress | — |",
    );

    const removed = await call(actionItemRoute.DELETE, "DELETE", `${base}/${item.id}`, {
      token: tokens.responder,
      params: itemParams,
    });
    expect(removed.status).toBe(204);
    expect(
      (await (await call(actionItemsRoute.GET, "GET", base, { token: tokens.viewer, params })).json()).data,
    ).toEqual([]);
  });

  it("answers 503 to 'create ticket' when no tracker is configured, saying what to set", async () => {
    const { postmortem } = await drafted();
    const item = await (
      await call(actionItemsRoute.POST, "POST", `/api/v1/postmortems/${postmortem.id}/action-items`, {
        token: tokens.responder,
        params: { id: postmortem.id },
        body: { title: "File me" },
      })
    ).json();
    const res = await call(
      ticketRoute.POST,
      "POST",
      `/api/v1/postmortems/${postmortem.id}/action-items/${item.id}/ticket`,
      { token: tokens.responder, params: { id: postmortem.id, itemId: item.id } },
    );
    expect(res.status).toBe(503);
    expect((await res.json()).detail).toMatch(/No ticket tracker is configured: set JIRA_URL/);
  });
});
