// The golden test: the postmortem Vigil writes for the fixture incident, compared line for line with the
// committed expected document (fixtures/). UPDATE_GOLDEN=1 rewrites it; read the diff before committing.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { incidents } from "@/db/schema";
import { systemActor } from "@/lib/context";
import { ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import type { PostmortemSettings } from "../postmortem-settings";
import { writePostmortemDraft } from "../write-postmortem-draft";
import { at, buildFixtureIncident } from "./postmortem-fixture";

const t = useTestDatabase();
const expectedPath = path.join(import.meta.dirname, "fixtures", "checkout-5xx-postmortem.md");
const settings: PostmortemSettings = {
  appUrl: "http://localhost:3000",
  timeZone: "Europe/Berlin",
  serviceLabel: "service",
  tracker: null,
};

describe("the generated postmortem", () => {
  it("follows the template for the fixture incident, times in the configured zone (golden file)", async () => {
    const { id, ref } = await buildFixtureIncident(t);
    const [incident] = await t.db.select().from(incidents).where(eq(incidents.id, id));
    const { row } = await t.db.transaction((tx) =>
      writePostmortemDraft(ctxOf(tx, systemActor("Vigil postmortems"), at(84)), incident!, settings),
    );
    // The incident's number depends on the database's sequence; the fixture calls it INC-42.
    const markdown = row.markdown.replaceAll(ref, "INC-42");
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(expectedPath, markdown);
    expect(markdown).toBe(readFileSync(expectedPath, "utf8"));
    expect(row.generatedMarkdown).toBe(row.markdown);
  });
});
