// Pages through each channel, and what happens when a channel fails: a voice call with "press 1", a
// Slack DM with the Acknowledge button and a step's channel post; a passing failure retried, a permanent
// one given up at once, each on the timeline; a severity change re-rates the urgency of the steps to come.
import { describe, expect, it } from "vitest";
import { updateIncident } from "@/lib/incidents/update-incident";
import { createMaintenanceWindow, endMaintenanceWindow } from "@/lib/maintenance/manage-windows";
import { ctxOf } from "@/test/actors";
import { escalations } from "@/db/schema";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "@/test/database";
import { defaultPolicy, engineLines, pagedPerson, pagesOf, runOf, stepIsDue } from "@/test/escalation";
import { drainJobs } from "@/test/jobs";
import { incidentFromAlert, useNotificationFakes } from "@/test/notifications";

const t = useTestDatabase();
const fakes = useNotificationFakes(t);

const p1 = () => incidentFromAlert(t, { alertname: "DiskFull", service: "storage", severity: "page" }, "Disk full");

describe("channels", () => {
  it("calls with press 1, DMs on Slack with the Acknowledge button, and posts to a step's channel", async () => {
    const kim = await pagedPerson(t, "Kim Phone", [{ kind: "voice" }, { kind: "slack" }]);
    await defaultPolicy(t, "channels", [
      {
        delay_minutes: 10,
        targets: [
          { type: "user", user_id: kim.id },
          { type: "slack_channel", channel: "#storage-oncall" },
        ],
        delivery: "everyone",
      },
    ]);
    const incident = await p1();
    await drainJobs(t);

    const [call] = fakes.sms.calls().filter((c) => c.to === kim.phone);
    expect(call!.twiml).toMatch(
      /<Gather numDigits="1" action="https:\/\/vigil\.example\.com\/api\/v1\/webhooks\/twilio\/voice\?token=[\w-]+" method="POST"><Say>P1 incident \d+: Disk full\. Press 1 to acknowledge\.<\/Say><\/Gather>/,
    );
    const slackUser = (await pagesOf(t, incident.id)).find((p) => p.method === "slack" && p.userId)!.address;
    const [dm] = fakes.slack.messagesIn(slackUser);
    expect(JSON.stringify(dm!.blocks)).toContain('"action_id":"incident_acknowledge"');
    expect(JSON.stringify(dm!.blocks)).toContain(incident.id);
    expect(fakes.slack.messagesIn("#storage-oncall")).toHaveLength(1);
    const lines = await engineLines(t, incident.id);
    expect(lines).toContain("Paged Kim Phone by voice call (step 1)");
    expect(lines).toContain("Paged Kim Phone by Slack (step 1)");
    expect(lines).toContain("Posted the page to Slack #storage-oncall (step 1)");
    expect((await pagesOf(t, incident.id)).map((p) => p.status)).toEqual(["sent", "sent", "sent"]);
  });
});

describe("failures", () => {
  it("retries a passing failure and gives up a permanent one at once, saying so", async () => {
    const lee = await pagedPerson(t, "Lee Flaky", [{ kind: "sms" }]);
    const max = await pagedPerson(t, "Max Wrong", [{ kind: "sms" }]);
    await defaultPolicy(t, "failing", [
      {
        delay_minutes: 10,
        targets: [
          { type: "user", user_id: lee.id },
          { type: "user", user_id: max.id },
        ],
        delivery: "everyone",
      },
    ]);
    fakes.sms.fail({ times: 1, status: 503, only: lee.phone });
    fakes.sms.fail({ times: 1, status: 400, only: max.phone });
    const incident = await p1();
    await drainJobs(t);

    expect(fakes.sms.messages().filter((m) => m.to === lee.phone)).toHaveLength(1);
    expect(fakes.sms.messages().filter((m) => m.to === max.phone)).toEqual([]);
    const byPerson = Object.fromEntries((await pagesOf(t, incident.id)).map((p) => [p.address, p]));
    expect(byPerson[lee.phone]).toMatchObject({ status: "sent", attempts: 2 });
    expect(byPerson[max.phone]).toMatchObject({ status: "failed", attempts: 1 });
    const lines = await engineLines(t, incident.id);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^Paging Lee Flaky by SMS \(step 1\) failed, attempt 1 of 5: SMS provider answered HTTP 503.*Retrying in/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^Paging Max Wrong by SMS \(step 1\) failed for good after 1 attempt: SMS provider answered HTTP 400/,
      ),
    );
  });
});

describe("a severity change", () => {
  it("pages the steps to come by the new urgency's rules", async () => {
    const nia = await pagedPerson(t, "Nia Urgent", [
      { kind: "sms", urgencies: ["high"] },
      { kind: "email", urgencies: ["low"] },
    ]);
    await defaultPolicy(
      t,
      "urgency",
      [{ delay_minutes: 10, targets: [{ type: "user", user_id: nia.id }], delivery: "everyone" }],
      1,
    );
    const incident = await p1();
    await drainJobs(t);
    expect(await engineLines(t, incident.id)).toContain("Step 1 of “urgency”: paging Nia Urgent by SMS now");
    await updateIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref, severity: "P3" } });
    await drainJobs(t);
    expect((await runOf(t, incident.id)).urgency).toBe("low");
    expect(await engineLines(t, incident.id)).toContain(
      "Urgency now low (P3): the next steps page by low-urgency rules",
    );
    await stepIsDue(t, (await runOf(t, incident.id)).id);
    await drainJobs(t);
    expect(await engineLines(t, incident.id)).toContain(
      "Step 1 (repeat 1 of 1) of “urgency”: paging Nia Urgent by email now",
    );
  });
});

describe("a maintenance window", () => {
  it("holds the escalation while it mutes the incident, and starts it when it ends", async () => {
    const omar = await pagedPerson(t, "Omar Quiet", [{ kind: "sms" }]);
    await defaultPolicy(t, "held", [
      { delay_minutes: 10, targets: [{ type: "user", user_id: omar.id }], delivery: "everyone" },
    ]);
    const window = await createMaintenanceWindow({
      ctx: ctxOf(t.db),
      input: { reason: "disk swap", service: "storage", duration: "1h" },
    });
    const incident = await p1();
    await drainJobs(t);
    expect(await t.db.select().from(escalations).where(eq(escalations.incidentId, incident.id))).toEqual([]);
    expect(fakes.sms.messages().filter((m) => m.to === omar.phone)).toEqual([]);

    await endMaintenanceWindow({ ctx: ctxOf(t.db), input: { id: window.id } });
    await drainJobs(t);
    expect((await runOf(t, incident.id)).state).toBe("active");
    expect(fakes.sms.messages().filter((m) => m.to === omar.phone)).toHaveLength(1);
  });
});
