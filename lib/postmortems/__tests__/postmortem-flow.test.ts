// From resolve to published postmortem and filed tickets, through the verbs and the real job runner,
// against the loopback fakes of Slack, Jira and GitHub: the change, its timeline event, its audit row and
// its jobs, as the worker would see them.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, incidents, postmortemRevisions, timelineEvents } from "@/db/schema";
import { startAllFakes, type AllFakes } from "@/e2e/fakes";
import { loadConfig } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { addTimelineEvent } from "@/lib/incidents/add-timeline-event";
import { createIncident } from "@/lib/incidents/create-incident";
import { moveIncident } from "@/lib/incidents/lifecycle";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import { createLogger } from "@/lib/observability/logger";
import { setRuntime } from "@/lib/runtime";
import { admin, ctxOf, responder, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { drainJobs } from "@/test/jobs";
import { createActionItem, updateActionItem } from "../action-items";
import { createActionItemTicket } from "../create-ticket";
import { draftPostmortem } from "../draft-postmortem";
import { DRAFT_JOB } from "../draft-on-resolve";
import { postmortemSettingsFrom, type PostmortemSettings } from "../postmortem-settings";
import { getIncidentPostmortem, getPostmortem, listPostmortems } from "../read-postmortems";
import { requestActionItemTicket, TICKET_JOB } from "../request-ticket";
import { updatePostmortem } from "../update-postmortem";

const t = useTestDatabase();
let fakes: AllFakes;
let settings: PostmortemSettings;
const quiet = createLogger("silent");

beforeAll(async () => {
  fakes = await startAllFakes();
  const config = loadConfig({
    ...fakes.env,
    DATABASE_URL: t.url,
    LOG_LEVEL: "silent",
    APP_URL: "https://vigil.example.com",
    VIGIL_CONFIG: "/nonexistent/vigil.config.yaml",
  });
  setRuntime({ config, database: t, logger: quiet });
  settings = postmortemSettingsFrom(config);
});
afterAll(async () => fakes?.close());
beforeEach(() => fakes.reset());

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const queued = (task: string) =>
  t.sql<{ payload: Record<string, unknown>; run_at: string; max_attempts: number }[]>`
    select j.payload, j.run_at, j.max_attempts from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
     where t.identifier = ${task} and j.locked_at is null order by j.id`;
/** The draft waits for the resolution's own messages; tests do not. */
const draftsDueNow = () => t.sql`
  update graphile_worker._private_jobs set run_at = now() where task_id in (select id from graphile_worker._private_tasks where identifier = ${DRAFT_JOB})`;
const timeline = (incidentId: string) =>
  t.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incidentId)).orderBy(timelineEvents.id);

async function resolvedIncident(title = "Checkout 5xx above 5%") {
  const { incident } = await createIncident({
    ctx: ctxOf(t.db),
    input: { title, severity: "P2", service: "checkout" },
  });
  await drainJobs(t); // the Slack card, whose thread the postmortem's link goes to
  await resolveIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref, resolution_note: "Rolled back" } });
  return incident;
}

async function draftedIncident() {
  const incident = await resolvedIncident();
  const { postmortem } = await draftPostmortem({ ctx: ctxOf(t.db), input: { ref: incident.ref }, settings });
  return { incident, postmortem };
}

describe("the draft after a resolve", () => {
  it("is queued by the resolving transaction, ten seconds on, once per incident", async () => {
    const { incident } = await createIncident({ ctx: ctxOf(t.db), input: { title: "Queue check", severity: "P4" } });
    const before = Date.now();
    await resolveIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } });
    const jobs = (await queued(DRAFT_JOB)).filter((j) => j.payload.incident_id === incident.id);
    expect(jobs).toHaveLength(1);
    const delay = new Date(jobs[0]!.run_at).getTime() - before;
    expect(delay).toBeGreaterThanOrEqual(9_000);
    expect(delay).toBeLessThan(12_000);
  });

  it("is not queued when the resolve rolls back", async () => {
    const { incident } = await createIncident({ ctx: ctxOf(t.db), input: { title: "Rollback check", severity: "P4" } });
    const [row] = await t.db.select().from(incidents).where(eq(incidents.id, incident.id));
    await expect(
      t.db.transaction(async (tx) => {
        await moveIncident(ctxOf(tx), row!, { type: "resolve" }, { auditAction: "incident.resolve" });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect((await queued(DRAFT_JOB)).filter((j) => j.payload.incident_id === incident.id)).toEqual([]);
  });

  it("is written by the worker, kept as revision 1, and its link posted in the incident's Slack thread", async () => {
    const incident = await resolvedIncident();
    await draftsDueNow();
    await drainJobs(t);

    const postmortem = await getIncidentPostmortem({
      ctx: ctxOf(t.db, viewer),
      input: { ref: incident.ref },
      settings,
    });
    expect(postmortem).toMatchObject({ status: "draft", version: 1, incident: { ref: incident.ref } });
    expect(postmortem.markdown).toMatch(
      new RegExp(`^# Incident Postmortem: \\[${incident.ref}\\] Checkout 5xx above 5%\n`),
    );
    expect(postmortem.markdown).toContain("Rolled back");
    expect(postmortem.revisions).toEqual([
      { version: 1, author: { type: "system", id: null, name: "Vigil postmortems" }, created_at: expect.any(String) },
    ]);

    const link = `https://vigil.example.com/postmortems/${postmortem.id}`;
    const drafted = (await timeline(incident.id)).filter((e) => e.kind === "postmortem_drafted");
    expect(drafted.map((e) => e.text)).toEqual([`Postmortem draft for ${incident.ref} is ready: ${link}`]);
    const [card, ...replies] = fakes.slack.messagesIn("#incidents-critical");
    expect(card?.text).toContain(incident.ref);
    expect(replies.map((r) => [r.thread_ts, r.text])).toContainEqual([
      card!.ts,
      `Postmortem draft for ${incident.ref} is ready: ${link}`,
    ]);
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.resourceId, postmortem.id), eq(auditLog.action, "postmortem.create")));
    expect(audit).toMatchObject({ actorType: "system", resourceType: "postmortem" });
  });

  it("skips an incident that was reopened before the worker got to it", async () => {
    const incident = await resolvedIncident("Flapping");
    await t.sql`update incidents set status = 'open', resolved_at = null where id = ${incident.id}`;
    await draftsDueNow();
    await drainJobs(t);
    expect(
      (await errorOf(getIncidentPostmortem({ ctx: ctxOf(t.db), input: { ref: incident.ref }, settings }))).code,
    ).toBe("not_found");
  });
});

describe("editing and review", () => {
  it("saves an edit based on the current version with a revision by its author, and refuses one based on an older version", async () => {
    const { postmortem } = await draftedIncident();
    const edited = await updatePostmortem({
      ctx: ctxOf(t.db, responder),
      input: { id: postmortem.id, version: 1, markdown: `${postmortem.markdown}\nMore.\n` },
      settings,
    });
    expect(edited).toMatchObject({ version: 2, updated_by: "responder bot" });
    expect(edited.revisions.map((r) => [r.version, r.author.name])).toEqual([
      [2, "responder bot"],
      [1, "responder bot"],
    ]);
    const stale = await errorOf(
      updatePostmortem({
        ctx: ctxOf(t.db, admin),
        input: { id: postmortem.id, version: 1, markdown: "# Mine" },
        settings,
      }),
    );
    expect(stale).toMatchObject({
      code: "conflict",
      message: expect.stringContaining("it is at version 2, your edit is based on 1"),
    });
    expect((await getPostmortem({ ctx: ctxOf(t.db), input: { id: postmortem.id }, settings })).markdown).toContain(
      "More.",
    );
    expect(
      await t.db.select().from(postmortemRevisions).where(eq(postmortemRevisions.postmortemId, postmortem.id)),
    ).toHaveLength(2);
  });

  it("goes draft -> in review -> published, announcing the publication in the Slack thread, then is read-only", async () => {
    const { incident, postmortem } = await draftedIncident();
    await drainJobs(t);
    await updatePostmortem({ ctx: ctxOf(t.db), input: { id: postmortem.id, status: "in_review" }, settings });
    const published = await updatePostmortem({
      ctx: ctxOf(t.db),
      input: { id: postmortem.id, status: "published" },
      settings,
    });
    expect(published).toMatchObject({ status: "published", published_at: expect.any(String) });
    await drainJobs(t);
    const link = `https://vigil.example.com/postmortems/${postmortem.id}`;
    expect(fakes.slack.messagesIn("#incidents-critical").map((m) => m.text)).toContain(
      `Postmortem for ${incident.ref} published by responder bot: ${link}`,
    );
    expect((await timeline(incident.id)).map((e) => e.kind)).toEqual(
      expect.arrayContaining(["postmortem_status_changed", "postmortem_published"]),
    );

    const locked = await errorOf(
      updatePostmortem({
        ctx: ctxOf(t.db),
        input: { id: postmortem.id, version: published.version, markdown: "# Rewritten" },
        settings,
      }),
    );
    expect(locked).toMatchObject({ code: "conflict", message: expect.stringContaining("published") });
    expect((await errorOf(draftPostmortem({ ctx: ctxOf(t.db), input: { ref: incident.ref }, settings }))).code).toBe(
      "conflict",
    );
  });

  it("refuses a viewer every change, and writes nothing", async () => {
    const { incident, postmortem } = await draftedIncident();
    const ctx = ctxOf(t.db, viewer);
    for (const attempt of [
      updatePostmortem({ ctx, input: { id: postmortem.id, version: 1, markdown: "# Viewer" }, settings }),
      updatePostmortem({ ctx, input: { id: postmortem.id, status: "in_review" }, settings }),
      draftPostmortem({ ctx, input: { ref: incident.ref }, settings }),
      createActionItem({ ctx, input: { id: postmortem.id, title: "x" }, settings }),
    ]) {
      expect((await errorOf(attempt)).code).toBe("forbidden");
    }
    expect(await getPostmortem({ ctx, input: { id: postmortem.id }, settings })).toMatchObject({
      version: 1,
      status: "draft",
      action_items: [],
    });
  });
});

describe("regenerating", () => {
  it("keeps every section people wrote and refreshes the ones still as generated", async () => {
    const { incident, postmortem } = await draftedIncident();
    const rootCause = "## Root Cause\n\nDeploy 2026.11.28-1 changed the session cookie domain.";
    const mine = postmortem.markdown.replace(/## Root Cause\n\n[^\n]*/, rootCause);
    await updatePostmortem({ ctx: ctxOf(t.db), input: { id: postmortem.id, version: 1, markdown: mine }, settings });
    await addTimelineEvent({ ctx: ctxOf(t.db), input: { ref: incident.ref, text: "Customer support informed" } });

    const { postmortem: regenerated } = await draftPostmortem({
      ctx: ctxOf(t.db, admin),
      input: { ref: incident.ref },
      settings,
    });
    expect(regenerated.markdown).toContain(rootCause);
    expect(regenerated.markdown).toContain("Note from responder bot: Customer support informed");
    expect(regenerated).toMatchObject({ version: 3, updated_by: "admin bot" });
    expect((await timeline(incident.id)).map((e) => e.kind)).toContain("postmortem_regenerated");
  });

  it("leaves an edited timeline alone, even though the incident's record grew", async () => {
    const { incident, postmortem } = await draftedIncident();
    const mine = postmortem.markdown.replace("## Timeline\n\n", "## Timeline\n\nOur own account of events.\n\n");
    await updatePostmortem({ ctx: ctxOf(t.db), input: { id: postmortem.id, version: 1, markdown: mine }, settings });
    await addTimelineEvent({ ctx: ctxOf(t.db), input: { ref: incident.ref, text: "Late note" } });
    const { postmortem: regenerated } = await draftPostmortem({
      ctx: ctxOf(t.db),
      input: { ref: incident.ref },
      settings,
    });
    expect(regenerated.markdown).toBe(mine.endsWith("\n") ? mine : `${mine}\n`);
    expect(regenerated.version).toBe(2);
  });
});

describe("action items and their tickets", () => {
  async function itemOf(title = "Alert on cookie domain changes", due: string | null = "2026-12-05") {
    const { incident, postmortem } = await draftedIncident();
    const item = await createActionItem({
      ctx: ctxOf(t.db),
      input: { id: postmortem.id, title, owner: null, due_date: due },
      settings,
    });
    return { incident, postmortem, item };
  }

  it("files a Jira ticket from the worker, with an ADF description linking the postmortem, and stores its key", async () => {
    const { incident, postmortem, item } = await itemOf();
    const pending = await requestActionItemTicket({
      ctx: ctxOf(t.db),
      input: { id: postmortem.id, item_id: item.id },
      settings,
    });
    expect(pending.ticket).toEqual({ state: "pending", tracker: "jira", key: null, url: null, error: null });
    expect((await queued(TICKET_JOB)).map((j) => [j.payload, j.max_attempts])).toContainEqual([
      { action_item_id: item.id, attempt: 1 },
      1,
    ]);
    await drainJobs(t);

    const [issue] = fakes.jira.issues();
    expect(issue).toMatchObject({
      key: "OPS-1",
      project: "OPS",
      issueType: "Task",
      summary: "Alert on cookie domain changes",
      labels: ["incident", "postmortem"],
    });
    expect(JSON.stringify(issue!.description)).toContain(`https://vigil.example.com/postmortems/${postmortem.id}`);
    expect(fakes.jira.received[0]).toMatchObject({ authorized: true, status: 201 });
    const [filed] = (await getPostmortem({ ctx: ctxOf(t.db, viewer), input: { id: postmortem.id }, settings }))
      .action_items;
    expect(filed!.ticket).toEqual({
      state: "created",
      tracker: "jira",
      key: "OPS-1",
      url: `${fakes.jira.url}/browse/OPS-1`,
      error: null,
    });
    expect((await timeline(incident.id)).map((e) => e.text)).toContain(
      `Ticket OPS-1 created for the action item "Alert on cookie domain changes": ${fakes.jira.url}/browse/OPS-1`,
    );
    expect(
      (
        await errorOf(
          requestActionItemTicket({ ctx: ctxOf(t.db), input: { id: postmortem.id, item_id: item.id }, settings }),
        )
      ).message,
    ).toBe("This action item already has a ticket: OPS-1");
  });

  it("shows Jira's own 400 message on the item, and lets people try again", async () => {
    const { postmortem, item } = await itemOf();
    fakes.jira.fail({
      times: 1,
      status: 400,
      body: { errorMessages: [], errors: { summary: "You must specify a summary of the issue." } },
    });
    await requestActionItemTicket({ ctx: ctxOf(t.db), input: { id: postmortem.id, item_id: item.id }, settings });
    await drainJobs(t);
    const [failed] = (await getPostmortem({ ctx: ctxOf(t.db), input: { id: postmortem.id }, settings })).action_items;
    expect(failed!.ticket).toMatchObject({
      state: "failed",
      error: "Jira answered HTTP 400: summary: You must specify a summary of the issue.",
    });
    expect(fakes.jira.received).toHaveLength(1); // a 400 is not retried

    await requestActionItemTicket({ ctx: ctxOf(t.db), input: { id: postmortem.id, item_id: item.id }, settings });
    await drainJobs(t);
    expect(
      (await getPostmortem({ ctx: ctxOf(t.db), input: { id: postmortem.id }, settings })).action_items[0]!.ticket,
    ).toMatchObject({ state: "created", key: "OPS-1", error: null });
  });

  it("retries a Jira 503 and files exactly one ticket", async () => {
    const { postmortem, item } = await itemOf();
    fakes.jira.fail({ times: 1, status: 503 });
    await requestActionItemTicket({ ctx: ctxOf(t.db), input: { id: postmortem.id, item_id: item.id }, settings });
    await drainJobs(t);
    expect(fakes.jira.received.map((r) => r.status)).toEqual([503, 201]);
    expect(fakes.jira.issues()).toHaveLength(1);
  });

  it("files a GitHub issue with GitHub's headers, and shows GitHub's own 422 message", async () => {
    const github: PostmortemSettings = postmortemSettingsFrom(
      loadConfig({ ...fakes.env, POSTMORTEM_TRACKER: "github", APP_URL: "https://vigil.example.com" }),
    );
    const { postmortem, item } = await itemOf("Add a canary stage");
    await requestActionItemTicket({
      ctx: ctxOf(t.db),
      input: { id: postmortem.id, item_id: item.id },
      settings: github,
    });
    expect(await createActionItemTicket(t.db, item.id, 1, github, quiet)).toBe("created");
    expect(fakes.github.received[0]).toMatchObject({
      authorized: true,
      accept: "application/vnd.github+json",
      apiVersion: "2022-11-28",
      status: 201,
    });
    expect(fakes.github.issues()[0]).toMatchObject({
      title: "Add a canary stage",
      labels: ["incident", "postmortem"],
      body: expect.stringContaining(`(https://vigil.example.com/postmortems/${postmortem.id})`),
    });
    expect(fakes.github.issues()[0]!.body).toContain("- **Due:** 2026-12-05");

    const other = await createActionItem({ ctx: ctxOf(t.db), input: { id: postmortem.id, title: "Second" }, settings });
    fakes.github.fail({ times: 1, status: 422 });
    await requestActionItemTicket({
      ctx: ctxOf(t.db),
      input: { id: postmortem.id, item_id: other.id },
      settings: github,
    });
    expect(await createActionItemTicket(t.db, other.id, 1, github, quiet)).toBe("failed");
    const items = (await getPostmortem({ ctx: ctxOf(t.db), input: { id: postmortem.id }, settings })).action_items;
    expect(items.map((i) => [i.ticket.state, i.ticket.key, i.ticket.error])).toEqual([
      ["created", "acme/platform#1", null],
      ["failed", null, "GitHub answered HTTP 422: Validation Failed: Issue.title missing_field"],
    ]);
  });

  it("refuses a ticket when no tracker is configured, and a second request while one is pending", async () => {
    const { postmortem, item } = await itemOf();
    const none = await errorOf(
      requestActionItemTicket({
        ctx: ctxOf(t.db),
        input: { id: postmortem.id, item_id: item.id },
        settings: { ...settings, tracker: null },
      }),
    );
    expect(none).toMatchObject({ code: "unavailable", message: expect.stringContaining("JIRA_URL") });
    await requestActionItemTicket({ ctx: ctxOf(t.db), input: { id: postmortem.id, item_id: item.id }, settings });
    expect(
      (
        await errorOf(
          requestActionItemTicket({ ctx: ctxOf(t.db), input: { id: postmortem.id, item_id: item.id }, settings }),
        )
      ).message,
    ).toBe("A ticket for this action item is being created");
    expect(
      (
        await errorOf(
          requestActionItemTicket({
            ctx: ctxOf(t.db, viewer),
            input: { id: postmortem.id, item_id: item.id },
            settings,
          }),
        )
      ).code,
    ).toBe("forbidden");
    await drainJobs(t);
  });

  it("counts an open item past its due date as overdue, until it is done", async () => {
    const { postmortem, item } = await itemOf("Rotate the signing secret", "2020-01-01");
    expect(item.overdue).toBe(true);
    const overdue = await listPostmortems({ ctx: ctxOf(t.db, viewer), input: { overdue: "true" }, settings });
    expect(overdue.find((p) => p.id === postmortem.id)?.action_item_counts).toEqual({ total: 1, open: 1, overdue: 1 });
    const done = await updateActionItem({
      ctx: ctxOf(t.db),
      input: { id: postmortem.id, item_id: item.id, status: "done" },
      settings,
    });
    expect(done.overdue).toBe(false);
    expect(
      (await listPostmortems({ ctx: ctxOf(t.db), input: { overdue: "true" }, settings })).some(
        (p) => p.id === postmortem.id,
      ),
    ).toBe(false);
  });
});
