// People added before their first sign-in are linked to it by email, keeping what was set up for them;
// a test notification is sent by the worker through the channel of the contact method.
import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/context";
import { parseRoleMap } from "@/lib/auth/role-mapping";
import { addContactMethod, addPerson, getPerson, sendTestNotification } from "@/lib/oncall/people";
import { recordSignIn } from "@/lib/users/record-sign-in";
import { admin, ctxOf, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { drainJobs } from "@/test/jobs";
import { useNotificationFakes } from "@/test/notifications";

const t = useTestDatabase();
const fakes = useNotificationFakes(t);

const settings = {
  rolesClaim: "groups",
  roleMap: parseRoleMap("vigil-admins=admin"),
  defaultRole: "viewer" as const,
  trustUnverifiedEmail: false,
};

describe("people added before their first sign-in", () => {
  it("links the person at their first sign-in by verified email, keeping their role and contact methods", async () => {
    const added = await addPerson({
      ctx: ctxOf(t.db, admin),
      input: { name: "Dana Oncall", email: "Dana@Example.com", time_zone: "America/New_York" },
    });
    expect(added).toMatchObject({ role: "responder", pending_sign_in: true, time_zone: "America/New_York" });
    await addContactMethod({ ctx: ctxOf(t.db, admin), input: { id: added.id, kind: "sms", value: "+15550001111" } });

    const result = await recordSignIn(
      ctxOf(t.db, systemActor("sign-in")),
      { subject: "sub-dana", email: "dana@example.com", emailVerified: true, name: "Dana", claims: { groups: [] } },
      settings,
    );
    expect("user" in result && result.user.id).toBe(added.id);
    const after = await getPerson({ ctx: ctxOf(t.db, viewer), input: { id: added.id } });
    expect(after).toMatchObject({ role: "responder", pending_sign_in: false, no_contact_methods: false });
  });

  it("refuses a viewer adding people, and a second person with the same email", async () => {
    await expect(
      addPerson({ ctx: ctxOf(t.db, viewer), input: { name: "Eve", email: "eve@example.com" } }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await addPerson({ ctx: ctxOf(t.db, admin), input: { name: "Finn", email: "finn@example.com" } });
    await expect(
      addPerson({ ctx: ctxOf(t.db, admin), input: { name: "Finn again", email: "FINN@example.com" } }),
    ).rejects.toMatchObject({ code: "conflict" });
  });
});

describe("test notifications", () => {
  it("sends an SMS test through the SMS provider from the worker, and audits it", async () => {
    const person = await addPerson({ ctx: ctxOf(t.db, admin), input: { name: "Gus", email: "gus@example.com" } });
    const withSms = await addContactMethod({
      ctx: ctxOf(t.db, admin),
      input: { id: person.id, kind: "sms", value: "+15550002222" },
    });
    await sendTestNotification({
      ctx: ctxOf(t.db, admin),
      input: { id: person.id, method_id: withSms.contact_methods[0]!.id },
    });
    expect(fakes.sms.messages()).toEqual([]);
    await drainJobs(t);
    expect(fakes.sms.messages()).toMatchObject([{ to: "+15550002222", body: expect.stringContaining("Gus") }]);
    const actions = await t.sql`select action from audit_log where resource_id = ${person.id} order by id`;
    expect(actions.map((a) => a.action)).toEqual([
      "person.add",
      "person.add_contact_method",
      "person.test_notification",
      "person.test_notification_sent",
    ]);
  });

  it("places a voice test as a call that says the words", async () => {
    const person = await addPerson({ ctx: ctxOf(t.db, admin), input: { name: "Hal", email: "hal@example.com" } });
    const withVoice = await addContactMethod({
      ctx: ctxOf(t.db, admin),
      input: { id: person.id, kind: "voice", value: "+15550003333" },
    });
    await sendTestNotification({
      ctx: ctxOf(t.db, admin),
      input: { id: person.id, method_id: withVoice.contact_methods[0]!.id },
    });
    await drainJobs(t);
    const [last] =
      await t.sql`select action, details from audit_log where resource_id = ${person.id} order by id desc limit 1`;
    expect(last).toMatchObject({ action: "person.test_notification_sent", details: { kind: "voice" } });
    const [call] = fakes.sms.calls();
    expect(call).toMatchObject({ to: "+15550003333" });
    expect(call!.twiml).toContain("<Say>Vigil test notification for Hal");
  });
});
