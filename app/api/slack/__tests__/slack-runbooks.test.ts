// /runbook and the runbook buttons end to end: signed like Slack, against the fake Slack Web API and the
// fake Kubernetes API, with the worker's jobs run by drainJobs. `/runbook run` confirms first, the Run
// button requests through the remediation policy, the result lands in the incident's Slack thread; a risky
// action asks for approval in that thread, with Approve / Reject buttons.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { startFakeKubernetes, type FakeKubernetes } from "@/e2e/fakes/kubernetes";
import { createIncident } from "@/lib/incidents/create-incident";
import { getRuntime, setRuntime } from "@/lib/runtime";
import { syncRunbookFiles } from "@/lib/runbooks/sync-runbook-files";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { drainJobs } from "@/test/jobs";
import { shippedRunbooksDir } from "@/test/remediation";
import { blockActionPayload, commandBody, FORM, interactionBody, postSigned, settle, useSlackBot } from "@/test/slack";
import * as commands from "../commands/route";
import * as interactions from "../interactions/route";
import { remediationRunsOf } from "@/test/records";

const deferred = vi.hoisted(() => [] as Promise<unknown>[]);
vi.mock("next/server", () => ({ after: (work: Promise<unknown>) => void deferred.push(work) }));

const t = useTestDatabase();
const bot = useSlackBot(t);
let k8s: FakeKubernetes;
beforeAll(async () => {
  k8s = await startFakeKubernetes({ token: "slack-test-token" });
  const runtime = getRuntime();
  setRuntime({
    ...runtime,
    config: { ...runtime.config, kubernetes: { source: { kind: "url", url: k8s.url, token: "slack-test-token" } } },
  });
  await syncRunbookFiles(t.db, shippedRunbooksDir, new Date());
  return () => k8s.close();
});

let calls = 0;
async function slash(text: string, userId: string) {
  const id = `rb-${++calls}`;
  const res = await postSigned(
    commands.POST,
    "/api/slack/commands",
    commandBody({ text, userId, command: "/runbook", responseUrl: bot.slack.responseUrl(id) }),
    FORM,
  );
  const body = await res.text();
  await settle(deferred);
  return (body ? JSON.parse(body) : null) as {
    text: string;
    response_type?: string;
    blocks?: { type: string; elements?: { action_id: string; value: string }[] }[];
  } | null;
}

async function press(
  userId: string,
  actionId: string,
  value: string,
  where: { channelId?: string; messageTs?: string } = {},
) {
  const id = `press-${++calls}`;
  const res = await postSigned(
    interactions.POST,
    "/api/slack/interactions",
    interactionBody(blockActionPayload({ userId, actionId, value, responseUrl: bot.slack.responseUrl(id), ...where })),
    FORM,
  );
  expect(res.status).toBe(200);
  await settle(deferred);
  return bot.slack.responsesTo(id) as { text: string; replace_original?: boolean; response_type?: string }[];
}

/** A P1 incident (its card posted by the worker) whose labels name a target; no runbook matches it by itself. */
async function incidentWithCard(labels: Record<string, string>) {
  const { incident } = await createIncident({
    ctx: ctxOf(t.db, admin),
    input: {
      title: "Checkout is failing",
      severity: "P1",
      service: "checkout",
      labels: { alertname: "ByHand", ...labels },
    },
  });
  await drainJobs(t);
  const card = bot.slack.messagesIn("#incidents-critical").find((m) => m.text.includes(incident.ref))!;
  return { incident, card, channel: bot.slack.channel("#incidents-critical")!.id };
}

const buttonsOf = (reply: Awaited<ReturnType<typeof slash>>) => (reply?.blocks ?? []).flatMap((b) => b.elements ?? []);

describe("/runbook list and show", () => {
  it("lists the runbooks and shows one, to a viewer too", async () => {
    const list = await slash("list", "U0CAROL");
    expect(list?.text).toContain(
      "<https://vigil.example.com/runbooks/high-error-rate|High Error Rate> `high-error-rate` · alertname HighErrorRate · actions: `restart-deployment` (auto), `rollback-last-deploy`",
    );
    const shown = await slash("show high-error-rate", "U0CAROL");
    expect(shown?.response_type).toBe("ephemeral");
    expect(JSON.stringify(shown?.blocks)).toContain("*Immediate Checks*");
    expect((await slash("show no-such-runbook", "U0CAROL"))?.text).toBe(
      "Runbook no-such-runbook was not found. `/runbook list` shows the runbooks.",
    );
  });

  it("shows the runbook an incident follows", async () => {
    const { incident } = await createIncident({
      ctx: ctxOf(t.db, admin),
      input: { title: "Disk", severity: "P3", labels: { alertname: "NodeFilesystemSpaceFillingUp" } },
    });
    const shown = await slash(`show ${incident.ref}`, "U0CAROL");
    expect(shown?.text).toBe("Disk Filling Up: https://vigil.example.com/runbooks/disk-filling-up");
    expect(JSON.stringify(shown?.blocks)).toContain(`For ${incident.ref} (matches alertname`);
  });
});

describe("/runbook run", () => {
  it("confirms first, runs on the button, and the result reaches the incident's Slack thread", async () => {
    k8s.addDeployment({ namespace: "shop", name: "checkout" });
    const { incident, card, channel } = await incidentWithCard({ namespace: "shop", service: "checkout" });
    expect(await slash(`run high-error-rate ${incident.ref}`, "U0CAROL")).toMatchObject({
      text: expect.stringMatching(/Your Vigil role is \*viewer\*, which does not allow you to run runbook actions/),
    });

    const confirmation = await slash(`run high-error-rate ${incident.ref}`, "U0BOB");
    expect(confirmation?.text).toBe(`Run a step of High Error Rate for ${incident.ref}?`);
    const run = buttonsOf(confirmation).find((b) => b.action_id === "runbook_run")!;
    expect(JSON.parse(run.value)).toEqual({ i: incident.id, r: "high-error-rate", a: "restart-deployment" });
    expect(JSON.stringify(confirmation?.blocks)).toContain("on deployment shop/checkout");
    expect(k8s.received.filter((q) => q.namespace === "shop")).toEqual([]);

    const answer = await press("U0BOB", "runbook_run", run.value);
    expect(answer).toEqual([
      expect.objectContaining({
        replace_original: true,
        text: expect.stringContaining(
          "Rolling restart of the deployment on deployment shop/checkout for <https://vigil.example.com/incidents/",
        ),
      }),
    ]);
    expect(answer[0]?.text).toContain("▶️ allowed, running now");
    const [row] = await remediationRunsOf(t, incident.id);
    expect(row).toMatchObject({
      status: "approved",
      requestedByType: "slack",
      requestedByName: "Bob",
      automatic: false,
    });

    await drainJobs(t);
    expect(k8s.received.filter((q) => q.method === "PATCH" && q.namespace === "shop")).toEqual([
      expect.objectContaining({
        path: "/apis/apps/v1/namespaces/shop/deployments/checkout",
        contentType: "application/strategic-merge-patch+json",
      }),
    ]);
    const thread = bot.slack.threadOf(channel, card.ts).map((m) => m.text);
    expect(thread).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Bob requested "Rolling restart of the deployment" .* allowed/),
        expect.stringMatching(
          /^✅ "Rolling restart of the deployment" .* succeeded: Restarted deployment shop\/checkout/,
        ),
      ]),
    );
  });

  it("asks for approval in the thread for a risky action; a viewer's press is refused, an admin's runs it", async () => {
    k8s.addDeployment({ namespace: "data", name: "pgbouncer" });
    const { incident, card, channel } = await incidentWithCard({ namespace: "data" });
    const confirmation = await slash(`run database-connections-exhausted ${incident.ref}`, "U0BOB");
    const run = buttonsOf(confirmation).find(
      (b) => b.action_id === "runbook_run" && JSON.parse(b.value).a === "restart-pooler",
    )!;
    expect((await press("U0BOB", "runbook_run", run.value))[0]?.text).toContain("⏳ waiting for approval");

    await drainJobs(t);
    const ask = bot.slack
      .threadOf(channel, card.ts)
      .find((m) => m.text.startsWith(`Approval needed for ${incident.ref}`));
    expect(ask?.metadata).toMatchObject({ event_type: "vigil_remediation_approval" });
    const approve = JSON.parse(JSON.stringify(ask?.blocks))
      .flatMap((b: { elements?: { action_id: string; value: string }[] }) => b.elements ?? [])
      .find((e: { action_id: string }) => e.action_id === "remediation_approve");
    expect(k8s.received.filter((q) => q.method === "PATCH" && q.namespace === "data")).toEqual([]);

    const refused = await press("U0CAROL", "remediation_approve", approve.value, {
      channelId: channel,
      messageTs: ask!.ts,
    });
    expect(refused).toEqual([
      expect.objectContaining({
        response_type: "ephemeral",
        replace_original: false,
        text: expect.stringMatching(/Your Vigil role is \*viewer\*/),
      }),
    ]);
    const approved = await press("U0ALICE", "remediation_approve", approve.value, {
      channelId: channel,
      messageTs: ask!.ts,
    });
    expect(approved).toEqual([
      expect.objectContaining({ replace_original: true, text: expect.stringContaining("(approved by Alice)") }),
    ]);
    await drainJobs(t);
    expect(k8s.received.filter((q) => q.method === "PATCH" && q.namespace === "data")).toHaveLength(1);
    const [row] = await remediationRunsOf(t, incident.id);
    expect(row).toMatchObject({ status: "succeeded", decidedByType: "slack", decidedByName: "Alice" });
  });

  it("rejects with the Reject button: nothing runs", async () => {
    k8s.addDeployment({ namespace: "billing", name: "pgbouncer" });
    const { incident } = await incidentWithCard({ namespace: "billing" });
    const confirmation = await slash(`run database-connections-exhausted ${incident.ref}`, "U0BOB");
    const run = buttonsOf(confirmation).find(
      (b) => b.action_id === "runbook_run" && JSON.parse(b.value).a === "restart-pooler",
    )!;
    await press("U0BOB", "runbook_run", run.value);
    const [pending] = await remediationRunsOf(t, incident.id);
    expect((await press("U0ALICE", "remediation_reject", pending!.id))[0]?.text).toContain("🚫 rejected");
    await drainJobs(t);
    expect(k8s.received.filter((q) => q.namespace === "billing" && q.method === "PATCH")).toEqual([]);
  });

  it("answers usage help for a malformed command and never a stack trace", async () => {
    expect((await slash("run high-error-rate", "U0BOB"))?.text).toMatch(/^Use `\/runbook run <runbook> INC-123`\./);
    expect((await slash("run high-error-rate INC-999999", "U0BOB"))?.text).toBe(
      "Incident INC-999999 was not found. `/incident list` shows the active incidents.",
    );
  });
});
