// /oncall end to end: signed like Slack, answered from the one on-call function for everyone, a team,
// and a service (through its routing rule's escalation policy).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createPolicy } from "@/lib/oncall/policies";
import { createSchedule } from "@/lib/oncall/schedules";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { commandBody, FORM, postSigned, settle, useSlackBot } from "@/test/slack";
import * as commands from "../commands/route";

const deferred = vi.hoisted(() => [] as Promise<unknown>[]);
vi.mock("next/server", () => ({ after: (work: Promise<unknown>) => void deferred.push(work) }));

const routingFile = path.join(mkdtempSync(path.join(tmpdir(), "vigil-oncall-slack-")), "vigil.config.yaml");
writeFileSync(
  routingFile,
  "routes:\n  - name: checkout\n    match: { service: checkout }\n    notify: [{ slack: critical }]\n    escalation: Checkout\n",
);

const t = useTestDatabase();
const bot = useSlackBot(t, { VIGIL_CONFIG: routingFile });

const everyDay = (participants: string[]) => ({
  name: "primary",
  anchor: "2026-01-01T09:00",
  interval_unit: "days" as const,
  interval_count: 1,
  participants,
});

beforeAll(async () => {
  const ctx = ctxOf(t.db, admin);
  const payments = await createSchedule({
    ctx,
    input: { name: "Payments primary", team: "payments", time_zone: "UTC", layers: [everyDay([bot.people.bob.id])] },
  });
  await createSchedule({
    ctx,
    input: { name: "Search primary", team: "search", time_zone: "UTC", layers: [everyDay([bot.people.alice.id])] },
  });
  await createPolicy({
    ctx,
    input: {
      name: "Checkout",
      steps: [{ delay_minutes: 10, targets: [{ type: "schedule", schedule_id: payments.id }] }],
    },
  });
});

async function oncall(text: string) {
  const res = await postSigned(
    commands.POST,
    "/api/slack/commands",
    commandBody({ text, userId: "U0CAROL", command: "/oncall", responseUrl: bot.slack.responseUrl(`oc-${text}`) }),
    FORM,
  );
  const body = await res.text();
  await settle(deferred);
  const answer = body
    ? (JSON.parse(body) as { text: string })
    : (bot.slack.responsesTo(`oc-${text}`)[0] as { text: string });
  return answer.text;
}

describe("/oncall", () => {
  it("answers who is on call now on every schedule, flagging someone without contact methods", async () => {
    const text = await oncall("");
    expect(text).toContain("Payments primary: *Bob* :warning: no contact methods");
    expect(text).toContain("Search primary: *Alice*");
  });

  it("answers for a team, and for a service through its routing rule's policy", async () => {
    const team = await oncall("team search");
    expect(team).toContain("Search primary");
    expect(team).not.toContain("Payments");
    const service = await oncall("service checkout");
    expect(service).toContain("Payments primary: *Bob*");
    expect(service).not.toContain("Search");
    expect(await oncall("payments")).toContain("On call for team payments");
    expect(await oncall("nothing-here")).toContain("no schedule matches");
  });
});
