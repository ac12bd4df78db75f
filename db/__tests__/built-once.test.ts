// A statement built once runs on the caller's handle: inside the caller's transaction it sees what that
// transaction wrote; on the pool, it does not (yet).
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { builtOnce } from "@/db/built-once";
import { incidents } from "@/db/schema";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();

const incidentsOfGroup = builtOnce((db) =>
  db
    .select({ title: incidents.title, createdAt: incidents.createdAt })
    .from(incidents)
    .where(eq(incidents.groupKey, sql.placeholder("groupKey")))
    .prepare("built_once_test"),
);

it("runs on the transaction it is given, with its placeholders filled and its rows mapped", async () => {
  const now = new Date("2026-11-28T06:00:00Z");
  const seen: Record<string, unknown> = {};
  await t.db.transaction(async (tx) => {
    await tx.insert(incidents).values({
      title: "inside",
      severity: "P3",
      groupKey: "built-once",
      detectedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    seen.inside = await incidentsOfGroup(tx).execute({ groupKey: "built-once" });
    seen.outside = await incidentsOfGroup(t.db).execute({ groupKey: "built-once" });
  });
  expect(seen).toEqual({ inside: [{ title: "inside", createdAt: now }], outside: [] });
  expect(await incidentsOfGroup(t.db).execute({ groupKey: "built-once" })).toEqual([
    { title: "inside", createdAt: now },
  ]);
  expect(await incidentsOfGroup(t.db).execute({ groupKey: "another" })).toEqual([]);
});
