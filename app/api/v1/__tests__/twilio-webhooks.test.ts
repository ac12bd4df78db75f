// POST /api/v1/webhooks/twilio/sms and /voice: a reply to a page by SMS or "press 1" in its voice call
// acknowledges as the person paged; the signature (SMS_AUTH_TOKEN, over APP_URL + path + query and the
// sorted form fields) is checked first; a redelivery changes nothing.
import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { gatheredDigits, inboundSms } from "@/e2e/fakes/sms";
import { issueAckLink } from "@/lib/escalation/ack-links";
import { createIncident } from "@/lib/incidents/create-incident";
import { getRuntime } from "@/lib/runtime";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { ackLinksOf, auditRowsOf, incidentRow, insertUser, timelineOf } from "@/test/records";
import { call, TEST_APP_ORIGIN, useTestRuntime } from "@/test/runtime";
import * as smsRoute from "../webhooks/twilio/sms/route";
import * as voiceRoute from "../webhooks/twilio/voice/route";

const t = useTestDatabase();
useTestRuntime(t);
const AUTH_TOKEN = "twilio-test-auth-token";
const VIGIL_NUMBER = "+15555550000";
const SMS_PATH = "/api/v1/webhooks/twilio/sms";
const VOICE_PATH = "/api/v1/webhooks/twilio/voice";

beforeAll(() => {
  Object.assign(getRuntime().config.sms, { authToken: AUTH_TOKEN });
});

let numbers = 0;
const newNumber = () => `+1555555${String(1000 + ++numbers)}`;

/** A person paged for a new incident by `method` at `address`; the link as the engine issues it. */
async function paged(address: string, options: { role?: "viewer" | "responder"; method?: "sms" | "voice" } = {}) {
  const person = await insertUser(t, {
    email: `paged-${crypto.randomUUID()}@example.com`,
    name: "Bob Responder",
    role: options.role ?? "responder",
  });
  const { incident } = await createIncident({
    ctx: ctxOf(t.db, admin),
    input: { title: "Payments down", severity: "P1" },
  });
  const link = await issueAckLink(t.db, {
    incidentId: incident.id,
    userId: person.id,
    method: options.method ?? "sms",
    address,
    now: new Date(),
    appUrl: TEST_APP_ORIGIN,
  });
  return { person, incident, link };
}

/** Twilio's signature over the URL it called (APP_URL's origin) and the sorted fields. */
const sign = (url: string, fields: Record<string, string>) =>
  createHmac("sha1", AUTH_TOKEN)
    .update(
      url +
        Object.keys(fields)
          .sort()
          .map((k) => k + fields[k])
          .join(""),
    )
    .digest("base64");

type Handler = typeof smsRoute.POST;
async function post(handler: Handler, pathAndQuery: string, fields: Record<string, string>, signature?: string) {
  const res = await call(handler, "POST", pathAndQuery, {
    rawBody: new URLSearchParams(fields).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": signature ?? sign(`${TEST_APP_ORIGIN}${pathAndQuery}`, fields),
    },
  });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

const sms = (from: string, body: string, messageSid?: string) =>
  post(smsRoute.POST, SMS_PATH, { AccountSid: "AC1", ...inboundSms(from, VIGIL_NUMBER, body, messageSid) });
const press = (token: string | null, digits: string, callSid?: string) =>
  post(voiceRoute.POST, token === null ? VOICE_PATH : `${VOICE_PATH}?token=${token}`, {
    AccountSid: "AC1",
    ...gatheredDigits(digits, VIGIL_NUMBER, "+15555559999", callSid),
  });

const message = (text: string) => /<Response><Message>(.*)<\/Message><\/Response>$/.exec(text)?.[1];

describe("POST /api/v1/webhooks/twilio/sms", () => {
  it("acknowledges the newest page sent to the number on a reply of 1, ack, ACK or yes, as the person paged", async () => {
    for (const word of ["1", "ack", " ACK ", "Yes"]) {
      const from = newNumber();
      const { person, incident } = await paged(from);
      const res = await sms(from, word);
      expect(res).toMatchObject({ status: 200, type: "text/xml; charset=utf-8" });
      expect(message(res.text)).toBe(`Acknowledged ${incident.ref} as Bob Responder.`);
      expect((await incidentRow(t, incident.id))!.status).toBe("acknowledged");
      const [event] = await timelineOf(t, incident.id, "acknowledged");
      expect(event).toMatchObject({ actorType: "user", actorId: person.id, data: { via: "SMS reply" } });
      expect((await auditRowsOf(t, incident.id, "incident.acknowledge"))[0]).toMatchObject({
        userId: person.id,
        details: { via: "SMS reply" },
      });
      expect((await ackLinksOf(t, incident.id))[0]!.usedAt).not.toBeNull();
    }
  });

  it("picks the newest unused link for that number, then the one before it", async () => {
    const from = newNumber();
    const older = await paged(from);
    const newer = await paged(from);
    expect(message((await sms(from, "1")).text)).toBe(`Acknowledged ${newer.incident.ref} as Bob Responder.`);
    expect((await incidentRow(t, older.incident.id))!.status).toBe("open");
    expect(message((await sms(from, "1")).text)).toBe(`Acknowledged ${older.incident.ref} as Bob Responder.`);
    expect(message((await sms(from, "1")).text)).toMatch(/^Vigil has no page waiting for an answer from this number/);
  });

  it("answers anything else with help, acknowledging nothing", async () => {
    const from = newNumber();
    const { incident } = await paged(from);
    const res = await sms(from, "who is this?");
    expect(res.status).toBe(200);
    expect(message(res.text)).toBe(
      `Reply 1 (or ACK) to acknowledge ${incident.ref}, the latest page sent to this number.`,
    );
    expect((await incidentRow(t, incident.id))!.status).toBe("open");
    expect((await ackLinksOf(t, incident.id))[0]!.usedAt).toBeNull();
  });

  it("answers an unknown number politely", async () => {
    const res = await sms("+15555550042", "1");
    expect(res.status).toBe(200);
    expect(message(res.text)).toMatch(/^Vigil has no page waiting for an answer from this number\./);
    expect(message((await sms("+15555550042", "hello")).text)).toMatch(/can be acknowledged by replying 1/);
  });

  it("tells a viewer they cannot acknowledge, leaving the link unspent", async () => {
    const from = newNumber();
    const { incident } = await paged(from, { role: "viewer" });
    expect(message((await sms(from, "1")).text)).toMatch(/your Vigil role \(viewer\) cannot acknowledge/);
    expect((await incidentRow(t, incident.id))!.status).toBe("open");
    expect((await ackLinksOf(t, incident.id))[0]!.usedAt).toBeNull();
  });

  it("changes nothing when Twilio delivers the same message again", async () => {
    const from = newNumber();
    const older = await paged(from);
    const newer = await paged(from);
    const first = await sms(from, "1", "SMreplayed0001");
    expect(message(first.text)).toContain(newer.incident.ref);
    const again = await sms(from, "1", "SMreplayed0001");
    expect(again).toMatchObject({ status: 200, text: '<?xml version="1.0" encoding="UTF-8"?><Response/>' });
    // The retry did not go on to the older page.
    expect((await incidentRow(t, older.incident.id))!.status).toBe("open");
    expect((await ackLinksOf(t, older.incident.id))[0]!.usedAt).toBeNull();
    expect(await timelineOf(t, newer.incident.id, "acknowledged")).toHaveLength(1);
  });

  it("refuses a wrong or missing signature with 403 and writes nothing", async () => {
    const from = newNumber();
    const { incident } = await paged(from);
    const fields = { AccountSid: "AC1", ...inboundSms(from, VIGIL_NUMBER, "1") };
    for (const signature of ["", "bm90IGl0", sign(`http://evil.example${SMS_PATH}`, fields)]) {
      const res = await post(smsRoute.POST, SMS_PATH, fields, signature);
      expect(res.status).toBe(403);
      expect(res.type).toBe("application/problem+json");
    }
    // Signed for other fields than those sent.
    const res = await post(
      smsRoute.POST,
      SMS_PATH,
      fields,
      sign(`${TEST_APP_ORIGIN}${SMS_PATH}`, { ...fields, Body: "no" }),
    );
    expect(res.status).toBe(403);
    expect((await incidentRow(t, incident.id))!.status).toBe("open");
    expect((await ackLinksOf(t, incident.id))[0]!.usedAt).toBeNull();
  });

  it("checks the signature against APP_URL, not the address the request reached (a proxy may sit in front)", async () => {
    const from = newNumber();
    const { incident } = await paged(from);
    const fields = { AccountSid: "AC1", ...inboundSms(from, VIGIL_NUMBER, "1") };
    const config = getRuntime().config;
    const appUrl = config.appUrl;
    Object.assign(config, { appUrl: "https://vigil.example.com" });
    try {
      const res = await post(smsRoute.POST, SMS_PATH, fields, sign(`https://vigil.example.com${SMS_PATH}`, fields));
      expect(res.status).toBe(200);
    } finally {
      Object.assign(config, { appUrl });
    }
    expect((await incidentRow(t, incident.id))!.status).toBe("acknowledged");
  });

  it("answers 503 with a problem saying so when SMS_AUTH_TOKEN is not set", async () => {
    const config = getRuntime().config.sms;
    Object.assign(config, { authToken: undefined });
    try {
      for (const res of [await sms(newNumber(), "1"), await press("t", "1")]) {
        expect(res.status).toBe(503);
        expect(res.type).toBe("application/problem+json");
        expect(JSON.parse(res.text).detail).toMatch(/SMS_AUTH_TOKEN/);
      }
    } finally {
      Object.assign(config, { authToken: AUTH_TOKEN });
    }
  });

  it("refuses a signed body that is not a form with 400", async () => {
    const raw = JSON.stringify({ From: "+15555550001", Body: "1" });
    const res = await call(smsRoute.POST, "POST", SMS_PATH, {
      rawBody: raw,
      headers: {
        "content-type": "application/json",
        "x-twilio-signature": sign(`${TEST_APP_ORIGIN}${SMS_PATH}`, Object.fromEntries(new URLSearchParams(raw))),
      },
    });
    expect(res.status).toBe(400);
  });
});

describe("POST /api/v1/webhooks/twilio/voice", () => {
  it("acknowledges on Digits=1 as the person called, via voice call; a replay changes nothing", async () => {
    const { person, incident, link } = await paged(newNumber(), { method: "voice" });
    const res = await press(link.token, "1", "CAvoice0001");
    expect(res).toMatchObject({
      status: 200,
      type: "text/xml; charset=utf-8",
      text: '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Acknowledged.</Say></Response>',
    });
    const [event] = await timelineOf(t, incident.id, "acknowledged");
    expect(event).toMatchObject({ actorType: "user", actorId: person.id, data: { via: "voice call" } });
    expect((await auditRowsOf(t, incident.id, "incident.acknowledge"))[0]!.details).toMatchObject({
      via: "voice call",
    });

    const again = await press(link.token, "1", "CAvoice0001");
    expect(again.status).toBe(200);
    expect(again.text).toContain(`The page for ${incident.ref} was already answered.`);
    expect(await timelineOf(t, incident.id, "acknowledged")).toHaveLength(1);
    expect(await auditRowsOf(t, incident.id, "incident.acknowledge")).toHaveLength(1);
  });

  it("does not acknowledge on any other key, nor without a known link", async () => {
    const { incident, link } = await paged(newNumber(), { method: "voice" });
    for (const digits of ["2", "9", "#", ""]) {
      const res = await press(link.token, digits);
      expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say>Not acknowledged.</Say></Response>');
    }
    expect((await press("unknown-token", "1")).text).toContain(
      "Not acknowledged: this call's acknowledge link is unknown.",
    );
    expect((await press(null, "1")).text).toContain("Not acknowledged");
    expect((await incidentRow(t, incident.id))!.status).toBe("open");
    expect((await ackLinksOf(t, incident.id))[0]!.usedAt).toBeNull();
  });

  it("signs over the query string: a token swapped into a signed URL is refused", async () => {
    const mine = await paged(newNumber(), { method: "voice" });
    const other = await paged(newNumber(), { method: "voice" });
    const fields = { AccountSid: "AC1", ...gatheredDigits("1", VIGIL_NUMBER, "+15555559999") };
    const signature = sign(`${TEST_APP_ORIGIN}${VOICE_PATH}?token=${mine.link.token}`, fields);
    const res = await post(voiceRoute.POST, `${VOICE_PATH}?token=${other.link.token}`, fields, signature);
    expect(res.status).toBe(403);
    expect((await incidentRow(t, other.incident.id))!.status).toBe("open");
  });
});
