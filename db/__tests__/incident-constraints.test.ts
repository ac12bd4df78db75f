// What the database itself guarantees about incidents, whatever code writes them: at most one unresolved
// incident per alert group (the partial unique index behind alert ingestion's grouping; the per-group
// lock only makes concurrent deliveries wait for each other, the index is what makes a second one fail).
import { describe, expect, it } from "vitest";
import { incidents } from "@/db/schema";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();
const now = new Date();
const incident = (groupKey: string, status: "open" | "acknowledged" | "investigating" | "resolved") => ({
  title: `group ${groupKey}`,
  severity: "P3" as const,
  status,
  groupKey,
  detectedAt: now,
  createdAt: now,
  updatedAt: now,
  ...(status === "resolved" ? { resolvedAt: now } : {}),
});

describe("incidents in the database", () => {
  it("allow one unresolved incident per group key, any number of resolved ones, and any number without a key", async () => {
    const key = `{}:{constraint="${Date.now()}"}`;
    await t.db.insert(incidents).values([incident(key, "resolved"), incident(key, "resolved"), incident(key, "open")]);
    for (const status of ["open", "acknowledged", "investigating"] as const) {
      await expect(t.db.insert(incidents).values(incident(key, status))).rejects.toMatchObject({
        cause: { code: "23505", constraint_name: "incidents_open_group_key_key" },
      });
    }
    const declared = { ...incident("", "open"), groupKey: null };
    await t.db.insert(incidents).values([declared, declared]);
  });
});
