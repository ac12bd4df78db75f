// A Vigil without escalation policies: a new incident queues no escalation job at all (one per incident to
// start nothing), yet a policy named by an integration but gone still leaves its "nobody paged" line, and
// a policy made later is followed by the next incident.
import { describe, expect, it } from "vitest";
import * as webhookRoute from "@/app/api/v1/integrations/webhook/route";
import { createIntegration } from "@/lib/intake/integrations";
import { createPolicy } from "@/lib/oncall/policies";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { engineLines, pagedPerson } from "@/test/escalation";
import { FOLLOW_JOB } from "@/lib/escalation/job-names";
import { drainJobs, queuedJobs } from "@/test/jobs";
import { incidentFromAlert, useNotificationFakes } from "@/test/notifications";
import { call } from "@/test/runtime";

const t = useTestDatabase();
useNotificationFakes(t);

describe("without any escalation policy", () => {
  it("a new incident starts nothing and says nothing of escalation", async () => {
    const incident = await incidentFromAlert(t, { alertname: "Down", service: "checkout", severity: "page" }, "Down");
    expect((await queuedJobs(t)).map((j) => j.task)).not.toContain(FOLLOW_JOB);
    await drainJobs(t);
    expect(await engineLines(t, incident.id)).toEqual([]);
    expect(await t.sql`select id from escalations`).toEqual([]);
  });

  it("an integration's policy that is gone still says nobody was paged, and why", async () => {
    const olga = await pagedPerson(t, "Olga Backups", [{ kind: "sms" }]);
    await createPolicy({
      ctx: ctxOf(t.db, admin),
      input: { name: "Gone", steps: [{ delay_minutes: 5, targets: [{ type: "user", user_id: olga.id }] }] },
    });
    const hook = await createIntegration({
      ctx: ctxOf(t.db, admin),
      input: { kind: "webhook", name: "cron", escalation_policy: "Gone" },
    });
    // Removed behind the verb's back (it refuses while an integration feeds the policy): no policy is left.
    await t.sql`delete from escalation_policies`;
    const res = await call(webhookRoute.POST, "POST", "/api/v1/integrations/webhook", {
      token: hook.secret,
      body: { dedup_key: "backup-db1", status: "firing", title: "Backup failed", severity: "critical" },
    });
    expect(res.status).toBe(202);
    await drainJobs(t);
    const [row] = await t.sql<{ id: string }[]>`select id from incidents where title = 'Backup failed'`;
    expect(await engineLines(t, row!.id)).toEqual([
      "Nobody paged: escalation policy “Gone” (from integration “cron”) does not exist",
    ]);
  });

  it("a policy made later is followed by the next incident", async () => {
    const olga = await pagedPerson(t, "Olga Later", [{ kind: "sms" }]);
    await createPolicy({
      ctx: ctxOf(t.db, admin),
      input: {
        name: "Later",
        is_default: true,
        steps: [{ delay_minutes: 5, targets: [{ type: "user", user_id: olga.id }] }],
      },
    });
    const incident = await incidentFromAlert(t, { alertname: "Late", service: "checkout", severity: "page" }, "Late");
    expect((await queuedJobs(t)).map((j) => j.task)).toContain(FOLLOW_JOB);
    await drainJobs(t);
    expect(await engineLines(t, incident.id)).toContainEqual(expect.stringMatching(/^Escalation started: “Later”/));
  });
});
