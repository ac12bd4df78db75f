// Regular-expression label matchers (=~, !~): only admins write them, they run on RE2, and the versions
// stored before RE2 that it refuses are named by the migrate step and stay readable, matching nothing.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runbooks, runbookVersions } from "@/db/schema";
import { getRunbook, listRunbooks } from "@/lib/runbooks/read-runbooks";
import { matchRunbook } from "@/lib/runbooks/runbook-matching";
import { loadCatalog } from "@/lib/runbooks/runbook-store";
import { createRunbook, updateRunbook } from "@/lib/runbooks/save-runbook";
import { checkStoredMatchers, findRefusedStoredMatchers } from "@/lib/runbooks/stored-matcher-check";
import { admin, ctxOf, responder, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();

const doc = (slug: string, matchers: string[], body = "## Symptoms\nSlow.\n") =>
  `---\nslug: ${slug}\ntitle: ${slug}\nalerts:\n  alertnames: [Slow]\n  matchers: [${matchers.map((m) => `'${m}'`).join(", ")}]\n---\n${body}`;

describe("regular-expression matchers", () => {
  it("are an admin's to add or change; a responder keeps, removes or writes = and != matchers", async () => {
    const refused = {
      code: "forbidden",
      message: expect.stringContaining("Only an admin can add or change a regular-expression matcher"),
    };
    await expect(
      createRunbook({ ctx: ctxOf(t.db, responder), input: { markdown: doc("by-responder", ['service=~"api|web"']) } }),
    ).rejects.toMatchObject(refused);
    await createRunbook({ ctx: ctxOf(t.db, admin), input: { markdown: doc("by-admin", ['service=~"api|web"']) } });
    const save = (actor: typeof responder, base_version: number, markdown: string) =>
      updateRunbook({ ctx: ctxOf(t.db, actor), input: { slug: "by-admin", base_version, markdown } });

    await expect(save(responder, 1, doc("by-admin", ['service=~"api|web|.*"']))).rejects.toMatchObject(refused);
    await expect(save(responder, 1, doc("by-admin", ['service=~"api|web"', 'team!~"ops.*"']))).rejects.toMatchObject(
      refused,
    );
    // The same matcher written with other spacing, an equality matcher, new words: the responder's to edit.
    expect(
      (await save(responder, 1, doc("by-admin", ['service =~ "api|web"', 'team="payments"'], "## Symptoms\nSlower.\n")))
        .runbook.version,
    ).toBe(2);
    expect((await save(responder, 2, doc("by-admin", ['team="payments"']))).runbook.version).toBe(3);
    expect((await save(admin, 3, doc("by-admin", ['service=~"api|web|batch"']))).runbook.version).toBe(4);
    await expect(
      createRunbook({ ctx: ctxOf(t.db, viewer), input: { markdown: doc("by-viewer", ['team="x"']) } }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("refuse on save what RE2 cannot run, naming the line", async () => {
    await expect(
      createRunbook({ ctx: ctxOf(t.db, admin), input: { markdown: doc("lookahead", ['service=~"(?!canary).*"']) } }),
    ).rejects.toMatchObject({
      code: "invalid",
      fieldErrors: [
        {
          path: "front_matter.alerts.matchers.0",
          message: expect.stringMatching(/^line 6: .*Invalid regular expression for RE2/),
        },
      ],
    });
  });
});

describe("runbook versions stored before matchers ran on RE2", () => {
  /** Writes versions as an older Vigil (JavaScript's RegExp) accepted them, bypassing today's checks. */
  async function storeLegacy(slug: string, versions: string[]): Promise<void> {
    const at = new Date();
    const [row] = await t.db
      .insert(runbooks)
      .values({ slug, title: slug, currentVersion: versions.length, createdAt: at, updatedAt: at })
      .returning();
    await t.db.insert(runbookVersions).values(
      versions.map((markdown, i) => ({
        runbookId: row!.id,
        version: i + 1,
        markdown,
        frontMatter: {},
        source: "app" as const,
        authorType: "user",
        authorName: "before RE2",
        createdAt: at,
      })),
    );
  }

  it("are named by the migrate step's check, and stay readable while the refused matcher matches no alert", async () => {
    await storeLegacy("legacy-lookahead", [doc("legacy-lookahead", ['service=~"(?!canary).*"'])]);
    await storeLegacy("legacy-history", [
      doc("legacy-history", ['service=~"(a)\\\\1"']),
      doc("legacy-history", ['service=~"a+"']),
    ]);

    expect(await findRefusedStoredMatchers(t.db)).toEqual([
      {
        slug: "legacy-history",
        version: 1,
        current: false,
        matcher: 'service=~"(a)\\\\1"',
        reason: expect.stringContaining("invalid escape sequence"),
      },
      {
        slug: "legacy-lookahead",
        version: 1,
        current: true,
        matcher: 'service=~"(?!canary).*"',
        reason: expect.stringContaining("(?!"),
      },
    ]);
    const report = await checkStoredMatchers(t.db);
    expect(report[0]).toBe("Runbook label matchers run on RE2, as in Prometheus. It refuses 2 stored matchers:");
    expect(report[1]).toMatch(
      /^ {2}legacy-history version 1: .* An older version, kept as history: nothing changes\.$/,
    );
    expect(report[2]).toMatch(
      /^ {2}legacy-lookahead version 1 \(current\): .* From now on this matcher matches no alert/,
    );

    // Its page and the list still show it; matching passes it by.
    expect((await getRunbook({ ctx: ctxOf(t.db, viewer), input: { slug: "legacy-lookahead" } })).alerts).toBe(
      'alertname Slow, service=~"(?!canary).*"',
    );
    expect((await listRunbooks({ ctx: ctxOf(t.db, viewer), input: {} })).map((r) => r.slug)).toContain(
      "legacy-lookahead",
    );
    const catalog = (await loadCatalog(t.db)).filter((r) => r.slug.startsWith("legacy-"));
    const alert = (service: string) => [
      { fingerprint: service, status: "firing" as const, labels: { alertname: "Slow", service }, annotations: {} },
    ];
    expect(matchRunbook(catalog, { runbookUrl: null, labels: {} }, alert("web"))).toBeNull();
    expect(matchRunbook(catalog, { runbookUrl: null, labels: {} }, alert("aaa"))?.runbook.slug).toBe("legacy-history");

    // An admin rewrites it in RE2's syntax; the check then names only history.
    await updateRunbook({
      ctx: ctxOf(t.db, admin),
      input: { slug: "legacy-lookahead", base_version: 1, markdown: doc("legacy-lookahead", ['service!~"canary.*"']) },
    });
    expect((await findRefusedStoredMatchers(t.db)).filter((r) => r.current)).toEqual([]);
    const [current] = await t.db.select().from(runbooks).where(eq(runbooks.slug, "legacy-lookahead"));
    expect(current?.currentVersion).toBe(2);
  });
});
