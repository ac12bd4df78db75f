// Demo data for a first start: the dev accounts and a dozen incidents across severities and states,
// made through the same verbs people use, at times in the recent past, so timelines, audit rows and
// durations look like the real thing. Then the on-call set-up a page needs: alice's and bob's phones and
// addresses with their notification rules, a weekly "Primary on-call" rotation of the two and the default
// escalation policy paging it, so a test alert pages someone (into the dev inbox under `npm start`).
import { count, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { incidents, users } from "@/db/schema";
import type { Actor, Ctx } from "@/lib/context";
import { createIncident } from "@/lib/incidents/create-incident";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { setIncidentStatus } from "@/lib/incidents/set-incident-status";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import { reopenIncident } from "@/lib/incidents/reopen-incident";
import { addTimelineEvent } from "@/lib/incidents/add-timeline-event";
import type { Severity } from "@/lib/incidents/schemas";
import { devAccounts } from "@/lib/auth/dev-accounts";
import { addContactMethod, addNotificationRule, type Person } from "@/lib/oncall/people";
import { createSchedule } from "@/lib/oncall/schedules";
import { createPolicy } from "@/lib/oncall/policies";

const demoUsers = devAccounts.map(({ email, name, role }) => ({ email, name, role }));

type Step =
  | { at: number; do: "ack" | "investigate" }
  | { at: number; do: "note"; text: string }
  | { at: number; do: "resolve"; note?: string }
  | { at: number; do: "reopen"; reason: string };

interface DemoIncident {
  /** Minutes ago the incident was declared; steps are minutes after that. */
  ago: number;
  title: string;
  severity: Severity;
  service: string;
  team: string;
  owner?: "bob@example.com" | "alice@example.com";
  description?: string;
  steps: Step[];
}

const demoIncidents: DemoIncident[] = [
  {
    ago: 60 * 24 * 6,
    title: "Login failures after auth-service deploy",
    severity: "P1",
    service: "auth",
    team: "identity",
    owner: "bob@example.com",
    steps: [
      { at: 3, do: "ack" },
      { at: 6, do: "investigate" },
      { at: 9, do: "note", text: "Deploy 2026.11.22-3 changed the session cookie domain. Rolling back." },
      { at: 24, do: "resolve", note: "Rolled back auth-service to 2026.11.22-2; login success rate back to 99.9%." },
    ],
  },
  {
    ago: 60 * 24 * 4,
    title: "Elevated 502s from edge load balancer",
    severity: "P2",
    service: "edge",
    team: "platform",
    steps: [
      { at: 7, do: "ack" },
      { at: 41, do: "resolve", note: "One unhealthy upstream drained; health check interval shortened." },
    ],
  },
  {
    ago: 60 * 24 * 3,
    title: "Kafka consumer lag on events-ingest",
    severity: "P3",
    service: "events-ingest",
    team: "data",
    steps: [
      { at: 22, do: "ack" },
      { at: 95, do: "resolve", note: "Scaled consumers from 4 to 8 partitions' worth." },
    ],
  },
  {
    ago: 60 * 24 * 2,
    title: "Noisy alert: CPU above 80% on batch-runner",
    severity: "P4",
    service: "batch-runner",
    team: "data",
    steps: [{ at: 180, do: "resolve", note: "Expected during the nightly batch; rule threshold to be tuned." }],
  },
  {
    ago: 60 * 30,
    title: "Image thumbnailer queue backlog",
    severity: "P2",
    service: "media",
    team: "content",
    steps: [
      { at: 5, do: "ack" },
      { at: 30, do: "resolve", note: "Backlog drained." },
      { at: 95, do: "reopen", reason: "Backlog growing again after the 14:00 upload peak." },
    ],
  },
  {
    ago: 60 * 5,
    title: "Certificate for status.example.com expires in 14 days",
    severity: "P4",
    service: "status-page",
    team: "platform",
    steps: [],
  },
  {
    ago: 60 * 3,
    title: "Disk filling up on logging-node-3 (85%)",
    severity: "P3",
    service: "logging",
    team: "observability",
    steps: [],
  },
  {
    ago: 95,
    title: "Pod crash looping: recommendations-worker",
    severity: "P3",
    service: "recommendations",
    team: "discovery",
    steps: [
      { at: 12, do: "ack" },
      { at: 20, do: "note", text: "OOMKilled since the model update; memory limit 512Mi." },
    ],
  },
  {
    ago: 50,
    title: "Payment provider webhooks failing with 401",
    severity: "P2",
    service: "payments",
    team: "payments",
    owner: "alice@example.com",
    steps: [
      { at: 4, do: "ack" },
      { at: 9, do: "investigate" },
      {
        at: 15,
        do: "note",
        text: "Provider rotated their signing secret; waiting for the new one from their support.",
      },
    ],
  },
  {
    ago: 35,
    title: "High p95 latency on search-api (1.8 s)",
    severity: "P2",
    service: "search",
    team: "discovery",
    steps: [{ at: 6, do: "ack" }],
  },
  {
    ago: 18,
    title: "Primary PostgreSQL cluster for orders unreachable",
    severity: "P0",
    service: "orders-db",
    team: "platform",
    owner: "bob@example.com",
    description: "Writes to orders fail; checkout is down for all users.",
    steps: [
      { at: 1, do: "ack" },
      { at: 2, do: "investigate" },
      { at: 5, do: "note", text: "Failover to the replica in zone b started." },
    ],
  },
  {
    ago: 4,
    title: "Checkout API 5xx error rate above 5%",
    severity: "P1",
    service: "checkout",
    team: "payments",
    steps: [],
  },
];

/** Seeds only an empty database (no incidents yet); returns how many incidents it made. */
export async function seedDemoData(db: Database, now = new Date()): Promise<number> {
  const [existing] = await db.select({ n: count() }).from(incidents);
  if ((existing?.n ?? 0) > 0) return 0;

  return db.transaction(async (tx) => {
    await tx
      .insert(users)
      .values(demoUsers.map((u) => ({ ...u, createdAt: now })))
      .onConflictDoNothing();
    const people = new Map(
      (
        await tx
          .select()
          .from(users)
          .where(
            inArray(
              users.email,
              demoUsers.map((u) => u.email),
            ),
          )
      ).map((u) => [u.email, u]),
    );
    const actorFor = (email: string | undefined): Actor => {
      const user = email ? people.get(email) : undefined;
      return user
        ? { type: "user", userId: user.id, name: user.name, email: user.email, role: user.role }
        : { type: "system", name: "demo data", role: "admin" };
    };

    for (const demo of demoIncidents) {
      const start = now.getTime() - demo.ago * 60_000;
      const ctxAt = (minutes: number, actor: Actor): Ctx => ({
        db: tx,
        actor,
        now: new Date(start + minutes * 60_000),
      });
      const responder = actorFor(demo.owner ?? "bob@example.com");
      const { incident } = await createIncident({
        ctx: ctxAt(0, actorFor(undefined)),
        input: {
          title: demo.title,
          severity: demo.severity,
          service: demo.service,
          team: demo.team,
          owner: demo.owner,
          description: demo.description,
          detected_at: new Date(start - 2 * 60_000).toISOString(),
        },
      });
      const ref = incident.ref;
      for (const step of demo.steps) {
        const ctx = ctxAt(step.at, responder);
        if (step.do === "ack") await acknowledgeIncident({ ctx, input: { ref } });
        if (step.do === "investigate") await setIncidentStatus({ ctx, input: { ref, status: "investigating" } });
        if (step.do === "note") await addTimelineEvent({ ctx, input: { ref, text: step.text } });
        if (step.do === "resolve") await resolveIncident({ ctx, input: { ref, resolution_note: step.note } });
        if (step.do === "reopen") await reopenIncident({ ctx, input: { ref, reason: step.reason } });
      }
    }
    await seedOnCall(tx, now, (email) => people.get(email)!.id);
    return demoIncidents.length;
  });
}

/** Who can be paged, and how: demo phone numbers (555-01xx, reserved for fiction) and the dev addresses. */
const demoContacts = [
  { email: "alice@example.com", phone: "+15550100001" },
  { email: "bob@example.com", phone: "+15550100002" },
];

async function seedOnCall(db: Ctx["db"], now: Date, idOf: (email: string) => string): Promise<void> {
  const ctx: Ctx = { db, actor: { type: "system", name: "demo data", role: "admin" }, now };
  for (const { email, phone } of demoContacts) {
    const id = idOf(email);
    await addContactMethod({ ctx, input: { id, kind: "sms", value: phone, label: "Mobile" } });
    const person: Person = await addContactMethod({ ctx, input: { id, kind: "email", value: email, label: "Work" } });
    const method = (kind: "sms" | "email") => person.contact_methods.find((m) => m.kind === kind)!.id;
    // High urgency (P0-P1): a text and an email at once; low urgency (P2-P4): an email.
    for (const [kind, urgency] of [
      ["sms", "high"],
      ["email", "high"],
      ["email", "low"],
    ] as const)
      await addNotificationRule({ ctx, input: { id, contact_method_id: method(kind), urgency, delay_minutes: 0 } });
  }
  const alice = idOf("alice@example.com");
  const bob = idOf("bob@example.com");
  const schedule = await createSchedule({
    ctx,
    input: {
      name: "Primary on-call",
      description: "Alice and Bob take a week each, handing over on Mondays at 09:00 London time.",
      time_zone: "Europe/London",
      layers: [
        {
          name: "Weekly",
          anchor: "2026-01-05T09:00",
          interval_unit: "weeks",
          interval_count: 1,
          participants: [alice, bob],
        },
      ],
    },
  });
  await createPolicy({
    ctx,
    input: {
      name: "Default",
      description: "Whoever is on call first; unacknowledged after 15 minutes, Alice (the team lead) too.",
      is_default: true,
      repeat: 1,
      steps: [
        { delay_minutes: 15, targets: [{ type: "schedule", schedule_id: schedule.id }] },
        { delay_minutes: 15, targets: [{ type: "user", user_id: alice }] },
      ],
    },
  });
}
