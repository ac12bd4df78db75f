// A declared incident nobody knows the start of has no detection time: it is left out of MTTD (counted
// apart, as open incidents are left out of MTTR), never averaged in as 0, until a responder sets it.
import { describe, expect, it } from "vitest";
import { createIncident } from "@/lib/incidents/create-incident";
import { updateIncident } from "@/lib/incidents/update-incident";
import { ctxOf, responder, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { auditRowsOf, incidentRow, timelineOf } from "@/test/records";
import { getAnalyticsSummary } from "../get-analytics-summary";

const t = useTestDatabase();
const at = (iso: string, actor = responder) => ctxOf(t.db, actor, new Date(iso));
const range = { from: "2026-06-01T00:00:00Z", to: "2026-06-02T00:00:00Z" };

describe("an incident declared without a detection time", () => {
  it("is stored with none and left out of MTTD, counted apart; setting it later puts it in", async () => {
    // Detected 10 minutes before it was declared: MTTD 600 s.
    await createIncident({
      ctx: at("2026-06-01T10:10:00Z"),
      input: { title: "known start", severity: "P2", detected_at: "2026-06-01T10:00:00Z" },
    });
    const { incident } = await createIncident({
      ctx: at("2026-06-01T12:00:00Z"),
      input: { title: "unknown start", severity: "P2" },
    });
    expect(incident.detected_at).toBeNull();
    expect((await incidentRow(t, incident.id))?.detectedAt).toBeNull();

    const before = await getAnalyticsSummary({ ctx: at("2026-06-03T00:00:00Z", viewer), input: range });
    expect(before.total).toMatchObject({ count: 2, undetected: 1, mttd: { mean: 600, p50: 600, p90: 600 } });

    const { incident: corrected } = await updateIncident({
      ctx: at("2026-06-01T13:00:00Z"),
      input: { ref: incident.ref, detected_at: "2026-06-01T11:58:00Z" },
    });
    expect(corrected.detected_at).toBe("2026-06-01T11:58:00.000Z");
    const [event] = await timelineOf(t, incident.id, "updated");
    expect(event?.text).toBe("responder bot: detection time set to 2026-06-01T11:58:00.000Z");
    const [audit] = await auditRowsOf(t, incident.id, "incident.update");
    expect(audit?.details).toMatchObject({ changes: { detected_at: { from: null, to: "2026-06-01T11:58:00.000Z" } } });

    const after = await getAnalyticsSummary({ ctx: at("2026-06-03T00:00:00Z", viewer), input: range });
    expect(after.total).toMatchObject({ count: 2, undetected: 0, mttd: { mean: 360 } }); // 600 and 120
  });

  it("refuses a detection time after the incident was opened, naming the field, and changes nothing", async () => {
    const { incident } = await createIncident({
      ctx: at("2026-06-01T15:00:00Z"),
      input: { title: "late detection", severity: "P3" },
    });
    await expect(
      updateIncident({
        ctx: at("2026-06-01T16:00:00Z"),
        input: { ref: incident.ref, detected_at: "2026-06-01T15:30:00Z" },
      }),
    ).rejects.toMatchObject({
      code: "invalid",
      fieldErrors: [{ path: "detected_at" }],
    });
    expect((await incidentRow(t, incident.id))?.detectedAt).toBeNull();
  });

  it("can be made unknown again, and a viewer may not change it", async () => {
    const { incident } = await createIncident({
      ctx: at("2026-06-01T17:00:00Z"),
      input: { title: "wrong guess", severity: "P3", detected_at: "2026-06-01T16:00:00Z" },
    });
    await expect(
      updateIncident({ ctx: at("2026-06-01T17:05:00Z", viewer), input: { ref: incident.ref, detected_at: null } }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const { incident: cleared } = await updateIncident({
      ctx: at("2026-06-01T17:05:00Z"),
      input: { ref: incident.ref, detected_at: null },
    });
    expect(cleared.detected_at).toBeNull();
  });
});
