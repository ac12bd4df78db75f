// npm start's dev inbox against a real database: the SMTP receiver keeps what sendEmail sends, one row per
// recipient; and the demo data gives a test alert someone to page (alice and bob, their rules, a rotation
// and the default policy), written through the on-call verbs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDevInboxMessages } from "@/lib/dev-inbox/inbox";
import { sendEmail } from "@/lib/integrations/email/send-email";
import { listPeople } from "@/lib/oncall/people";
import { listPolicies } from "@/lib/oncall/policies";
import { whoIsOnCall } from "@/lib/oncall/who-is-on-call";
import { ctxOf, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { seedDemoData } from "../demo-data";
import { startDevSmtpReceiver, type DevSmtpReceiver } from "../dev-smtp-receiver";

const t = useTestDatabase();
let receiver: DevSmtpReceiver;
beforeAll(async () => {
  receiver = await startDevSmtpReceiver(t.db);
});
afterAll(() => receiver?.close());

describe("the dev inbox's SMTP receiver", () => {
  it("keeps a mail sendEmail sends, for each recipient, with its subject, text and incident", async () => {
    const { messageId } = await sendEmail(
      { smtpUrl: receiver.smtpUrl, from: "Vigil <vigil@localhost>" },
      {
        to: "alice@example.com, bob@example.com",
        subject: "P1 INC-9: Checkout 5xx above 5%",
        text: "Open it in Vigil: http://localhost:3000/incidents/INC-9\n",
        html: "<p>Open it</p>",
        messageId: "<n-1@vigil>",
      },
    );
    expect(messageId).toBe("<n-1@vigil>");
    const kept = await listDevInboxMessages({ ctx: ctxOf(t.db, viewer), input: {} });
    expect(kept.map((m) => m.recipient).sort()).toEqual(["alice@example.com", "bob@example.com"]);
    for (const m of kept)
      expect(m).toMatchObject({
        channel: "email",
        subject: "P1 INC-9: Checkout 5xx above 5%",
        body: "Open it in Vigil: http://localhost:3000/incidents/INC-9",
        incident_ref: "INC-9",
      });
  });
});

describe("the demo data's on-call set-up", () => {
  it("gives alice and bob phones, addresses and rules, a weekly rotation and the default policy", async () => {
    const now = new Date("2026-12-07T12:00:00Z");
    expect(await seedDemoData(t.db, now)).toBe(12);
    const ctx = ctxOf(t.db, viewer, now);
    const people = await listPeople({ ctx, input: {} });
    const alice = people.find((p) => p.email === "alice@example.com")!;
    const bob = people.find((p) => p.email === "bob@example.com")!;
    for (const [person, phone] of [
      [alice, "+15550100001"],
      [bob, "+15550100002"],
    ] as const) {
      const methods = person.contact_methods.map((m) => `${m.kind} ${m.value}`).sort();
      expect(methods).toEqual([`email ${person.email}`, `sms ${phone}`]);
      const kindOf = (id: string) => person.contact_methods.find((m) => m.id === id)!.kind;
      const rules = person.notification_rules.map(
        (r) => `${r.urgency} ${kindOf(r.contact_method_id)} ${r.delay_minutes}`,
      );
      expect(rules.sort()).toEqual(["high email 0", "high sms 0", "low email 0"]);
    }
    const [policy] = await listPolicies({ ctx, input: {} });
    expect(policy).toMatchObject({ name: "Default", is_default: true, repeat: 1 });
    const onCall = await whoIsOnCall({ ctx, input: {} });
    const primary = onCall.schedules.find((s) => s.schedule.name === "Primary on-call");
    // 2026-12-07 is 48 weeks after the anchor (Monday 2026-01-05 09:00, alice first): alice's week.
    expect(primary?.on_call.map((o) => o.user_id)).toEqual([alice.id]);
  });
});
