// The hot reads build the answer from rows shaped by PostgreSQL (lib/incidents/incident-answer.ts); it
// must be byte for byte what the DTO makes of drizzle's rows, whatever the row holds.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { incidents, users } from "@/db/schema";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { toIncidentDto } from "../incident-dto";
import { getIncident } from "../get-incident";
import { listIncidents, listIncidentsJson } from "../list-incidents";

const t = useTestDatabase();

describe("incidents read straight into the answer", () => {
  it("are what the DTO makes of the same rows, to the byte", async () => {
    const [owner] = await t.db
      .insert(users)
      .values({ email: "ada@example.com", name: 'Ada \u2028 "Lovelace"', role: "responder" })
      .returning();
    const full = {
      title: 'Ünïcode \\ "quoted" \u0001 title',
      description: "line\nbreak",
      severity: "P1" as const,
      status: "resolved" as const,
      service: "checkout",
      team: "payments",
      ownerId: owner!.id,
      groupKey: '{}:{alertname="X"}',
      labels: { zeta: "1", alpha: "ü", "a-much-longer-key": "x" },
      runbookUrl: "https://runbooks.example/x",
      resolutionNote: "done",
      autoResolved: true,
      reopenedCount: 3,
      falsePositive: true,
      falsePositiveReason: "flaky probe",
      excludeFromMetrics: true,
    };
    const inserted = await t.db
      .insert(incidents)
      .values([
        { ...full, createdAt: new Date(), updatedAt: new Date() },
        { title: "bare", severity: "P4", createdAt: new Date(), updatedAt: new Date() },
      ])
      .returning({ id: incidents.id });
    // Microseconds, which a Date cannot hold, and a timestamp before 1970.
    await t.sql`update incidents set detected_at = '1969-07-20 20:17:40.999999+00',
                created_at = '2026-12-07 13:00:51.123456+00', updated_at = '2026-12-07 13:00:51.1239+01',
                acknowledged_at = '2026-12-07 13:05:00+00', resolved_at = '2026-12-07 14:00:00.000001+00'
                where id = ${inserted[0]!.id}`;

    const ctx = ctxOf(t.db, admin);
    const listed = await listIncidents({ ctx, input: { limit: "10" } });
    expect(listed.data).toHaveLength(2);
    for (const answer of listed.data) {
      const [row] = await t.db.select().from(incidents).where(eq(incidents.id, answer.id));
      const dto = toIncidentDto(row!, row!.ownerId ? { id: owner!.id, name: owner!.name, email: owner!.email } : null);
      expect(JSON.stringify(answer)).toBe(JSON.stringify(dto));
      expect(JSON.stringify(await getIncident({ ctx, input: { ref: answer.ref } }))).toBe(JSON.stringify(dto));
    }
    expect(listed.data[1]).toMatchObject({ detected_at: "1969-07-20T20:17:40.999Z", owner: { name: owner!.name } });
  });

  it("come as the same JSON when PostgreSQL writes it, page by page, in both orders", async () => {
    // Beside the two incidents above (every field, and a bare one): more severities to page through.
    const more = (["P3", "P1", "P2", "P1"] as const).map((severity, i) => ({
      title: `more ${i}`,
      severity,
      status: i % 2 ? ("open" as const) : ("acknowledged" as const),
      createdAt: new Date(),
      updatedAt: new Date(),
    }));
    await t.db.insert(incidents).values(more);
    const ctx = ctxOf(t.db, admin);
    const queries: Record<string, string>[] = [
      { limit: "10" },
      { limit: "2" },
      { limit: "3", sort: "severity" },
      { limit: "2", status: "open,acknowledged", sort: "severity" },
      { limit: "5", q: "quoted" },
      { limit: "5", service: "nowhere" },
    ];
    for (const query of queries) {
      let cursor: string | null | undefined;
      let pages = 0;
      do {
        const input = cursor ? { ...query, cursor } : query;
        const objects = await listIncidents({ ctx, input });
        const written = JSON.parse(await listIncidentsJson({ ctx, input })) as typeof objects;
        expect(written).toEqual(JSON.parse(JSON.stringify(objects)));
        written.data.forEach((answer, i) => expect(Object.keys(answer)).toEqual(Object.keys(objects.data[i]!)));
        cursor = objects.next_cursor;
        pages++;
      } while (cursor && pages < 10);
    }
  });
});
