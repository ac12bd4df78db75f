// A person's contact methods (each format-checked for its kind) and notification rules ("SMS after 0
// minutes, voice after 5"), separate for high urgency (P0-P1) and low urgency (P2-P4).
import { z } from "zod";
import type { Severity } from "../incidents/schemas";
import { canonicalTimeZone } from "./zoned-time";

export const contactMethodKinds = ["email", "sms", "slack", "voice"] as const;
export type ContactMethodKind = (typeof contactMethodKinds)[number];

export const urgencies = ["high", "low"] as const;
export type Urgency = (typeof urgencies)[number];

/** P0 and P1 page with high urgency; P2-P4 with low. */
export const urgencyOf = (severity: Severity): Urgency => (severity === "P0" || severity === "P1" ? "high" : "low");

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "a phone number in E.164 form, like +15551234567");
const formats: Record<ContactMethodKind, z.ZodType<string>> = {
  email: z.email("an email address"),
  sms: e164,
  voice: e164,
  slack: z.string().regex(/^[UW][A-Z0-9]{2,20}$/, "a Slack user id such as U024BE7LH"),
};

export const ContactMethodFields = z
  .strictObject({
    kind: z.enum(contactMethodKinds),
    value: z.string().trim().min(1).max(254),
    label: z.string().trim().max(100).default(""),
  })
  .superRefine((v, ctx) => {
    const verdict = formats[v.kind].safeParse(v.value);
    if (!verdict.success) ctx.addIssue({ code: "custom", path: ["value"], message: verdict.error.issues[0]!.message });
  });
export type ContactMethodFields = z.output<typeof ContactMethodFields>;

export const NotificationRuleFields = z.strictObject({
  contact_method_id: z.uuid(),
  urgency: z.enum(urgencies),
  delay_minutes: z.number().int().min(0).max(1440),
});
export type NotificationRuleFields = z.output<typeof NotificationRuleFields>;

/** An IANA zone name; stored as Intl's canonical spelling. */
export const TimeZoneName = z
  .string()
  .trim()
  .refine((zone) => canonicalTimeZone(zone) !== null, "an IANA time zone such as Europe/London")
  .transform((zone) => canonicalTimeZone(zone)!);

export interface RuleLike {
  urgency: Urgency;
  delayMinutes: number;
  contactMethodId: string;
}

/** A person's rules for one urgency, in the order they fire. */
export const rulesFor = <R extends RuleLike>(rules: R[], urgency: Urgency): R[] =>
  rules.filter((r) => r.urgency === urgency).sort((a, b) => a.delayMinutes - b.delayMinutes);
