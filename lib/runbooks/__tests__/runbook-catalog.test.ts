// The runbook catalog: files synced at start (idempotent, concurrent-safe), edits in the app making
// versions with their authors, and how Git files and app edits coexist.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, runbooks, runbookVersions } from "@/db/schema";
import { exportRunbook, getRunbook, listRunbooks, listRunbookVersions } from "@/lib/runbooks/read-runbooks";
import { createRunbook, updateRunbook } from "@/lib/runbooks/save-runbook";
import { syncRunbookFiles } from "@/lib/runbooks/sync-runbook-files";
import { admin, ctxOf, responder, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { shippedRunbooksDir } from "@/test/remediation";

const t = useTestDatabase();

let dirs = 0;
/** A runbooks/ folder of its own, holding these files. */
function folder(files: Record<string, string>): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), `vigil-runbooks-${++dirs}-`)), "runbooks");
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const doc = (slug: string, title: string, body = "## Symptoms\nIt hurts.\n") =>
  `---\nslug: ${slug}\ntitle: ${title}\nalerts:\n  alertnames: [${title.replace(/\W/g, "")}]\n---\n${body}`;
const versionsOf = async (slug: string) => {
  const [row] = await t.db.select().from(runbooks).where(eq(runbooks.slug, slug));
  return t.db
    .select()
    .from(runbookVersions)
    .where(eq(runbookVersions.runbookId, row!.id))
    .orderBy(asc(runbookVersions.version));
};

describe("syncing runbooks/*.md", () => {
  it("loads every shipped runbook once, however many processes sync at the same time", async () => {
    const reports = await Promise.all([1, 2, 3].map(() => syncRunbookFiles(t.db, shippedRunbooksDir, new Date())));
    const created = reports.flatMap((r) => r.created).sort();
    expect(created.length).toBeGreaterThanOrEqual(12);
    expect(new Set(created).size).toBe(created.length);
    expect(reports.flatMap((r) => r.skipped)).toEqual([]);
    const list = await listRunbooks({ ctx: ctxOf(t.db, viewer), input: {} });
    expect(list.find((r) => r.slug === "high-error-rate")).toMatchObject({
      title: "High Error Rate",
      version: 1,
      source: "file",
      file_path: "runbooks/high-error-rate.md",
      alerts: "alertname HighErrorRate",
    });
    expect((await syncRunbookFiles(t.db, shippedRunbooksDir, new Date())).created).toEqual([]);
    expect(await versionsOf("high-error-rate")).toHaveLength(1);
  });

  it("skips a broken file with its problems, and a second file claiming a taken slug", async () => {
    const dir = folder({
      "a.md": doc("sync-a", "Sync A"),
      "b.md": "---\nslug: sync-b\n---\n",
      "c.md": doc("sync-a", "Other A"),
    });
    const report = await syncRunbookFiles(t.db, dir, new Date());
    expect(report.created).toEqual(["sync-a"]);
    expect(report.skipped).toEqual([
      {
        file: "runbooks/b.md",
        problems: expect.arrayContaining(["line 2: title: Invalid input: expected string, received undefined"]),
      },
      { file: "runbooks/c.md", problems: ["slug sync-a is already taken by runbooks/a.md"] },
    ]);
  });
});

describe("editing in the app", () => {
  it("makes a new version per save, with its author, an audit row, and no version for an unchanged save", async () => {
    await syncRunbookFiles(t.db, folder({ "edit-me.md": doc("edit-me", "Edit Me") }), new Date());
    const saved = await updateRunbook({
      ctx: ctxOf(t.db, responder),
      input: { slug: "edit-me", base_version: 1, markdown: doc("edit-me", "Edit Me", "## Symptoms\nIt hurts more.\n") },
    });
    expect(saved).toMatchObject({
      changed: true,
      runbook: {
        version: 2,
        source: "app",
        updated_by: { type: "apiToken", name: "responder bot" },
        edited_since_file: true,
      },
    });
    const again = await updateRunbook({
      ctx: ctxOf(t.db, responder),
      input: { slug: "edit-me", base_version: 2, markdown: doc("edit-me", "Edit Me", "## Symptoms\nIt hurts more.\n") },
    });
    expect(again.changed).toBe(false);
    const versions = await listRunbookVersions({ ctx: ctxOf(t.db, viewer), input: { slug: "edit-me" } });
    expect(versions.map((v) => [v.version, v.source, v.author.name])).toEqual([
      [2, "app", "responder bot"],
      [1, "file", "runbooks/edit-me.md (Git)"],
    ]);
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.action, "runbook.edit"));
    expect(audits.at(-1)).toMatchObject({
      actorName: "responder bot",
      details: { slug: "edit-me", version: 2, from_version: 1 },
    });
  });

  it("refuses a save over someone else's newer version", async () => {
    await createRunbook({ ctx: ctxOf(t.db, responder), input: { markdown: doc("busy", "Busy") } });
    await updateRunbook({
      ctx: ctxOf(t.db, admin),
      input: { slug: "busy", base_version: 1, markdown: doc("busy", "Busy", "## Symptoms\nAdmin's words.\n") },
    });
    await expect(
      updateRunbook({
        ctx: ctxOf(t.db, responder),
        input: { slug: "busy", base_version: 1, markdown: doc("busy", "Busy", "## Symptoms\nMine.\n") },
      }),
    ).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("Version 2 of busy was saved by admin bot"),
    });
  });

  it("refuses invalid front matter, naming fields and lines, and writes nothing", async () => {
    await createRunbook({ ctx: ctxOf(t.db, responder), input: { markdown: doc("strict", "Strict") } });
    const bad =
      "---\nslug: strict\ntitle: Strict\nalerts:\n  alertnames: [X]\nactions:\n  - id: go\n    title: Go\n    type: k8s.reboot\n    params: {}\n---\n";
    await expect(
      updateRunbook({ ctx: ctxOf(t.db, responder), input: { slug: "strict", base_version: 1, markdown: bad } }),
    ).rejects.toMatchObject({
      code: "invalid",
      fieldErrors: [
        {
          path: "front_matter.actions.0.type",
          message: "line 9: type must be one of k8s.rollout_restart, k8s.scale, k8s.delete_pod, http.post",
        },
      ],
    });
    await expect(
      updateRunbook({
        ctx: ctxOf(t.db, responder),
        input: { slug: "strict", base_version: 1, markdown: doc("renamed", "Strict") },
      }),
    ).rejects.toMatchObject({ code: "invalid" });
    expect(await versionsOf("strict")).toHaveLength(1);
  });

  it("lets viewers read but not edit, and refuses a second runbook with a taken slug", async () => {
    await expect(
      createRunbook({ ctx: ctxOf(t.db, viewer), input: { markdown: doc("by-viewer", "By Viewer") } }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await createRunbook({ ctx: ctxOf(t.db, responder), input: { markdown: doc("taken", "Taken") } });
    await expect(
      createRunbook({ ctx: ctxOf(t.db, admin), input: { markdown: doc("taken", "Taken Again") } }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect((await getRunbook({ ctx: ctxOf(t.db, viewer), input: { slug: "taken" } })).title).toBe("Taken");
  });
});

describe("what a runbook lets remediation do", () => {
  const withAction = (slug: string, options: { approval?: boolean; alert?: string; body?: string } = {}) =>
    `---\nslug: ${slug}\ntitle: Guarded\nalerts:\n  alertnames: [${options.alert ?? "Guarded"}]\nactions:\n  - id: restart\n    title: Restart\n    type: k8s.rollout_restart\n    requires_approval: ${options.approval ?? true}\n    params: { namespace: shop, deployment: checkout }\n---\n${options.body ?? "## Symptoms\nSlow.\n"}`;

  it("is an admin's to change: a responder edits the words, not the actions or what a runbook with actions matches", async () => {
    await createRunbook({ ctx: ctxOf(t.db, admin), input: { markdown: withAction("guarded") } });
    const save = (ctx: ReturnType<typeof ctxOf>, base_version: number, markdown: string) =>
      updateRunbook({ ctx, input: { slug: "guarded", base_version, markdown } });
    const refused = {
      code: "forbidden",
      message: expect.stringContaining("Only an admin can change a runbook's actions"),
    };
    // Lifting the approval, then requesting the run, would be a responder approving their own restart.
    await expect(save(ctxOf(t.db, responder), 1, withAction("guarded", { approval: false }))).rejects.toMatchObject(
      refused,
    );
    await expect(
      save(ctxOf(t.db, responder), 1, withAction("guarded", { alert: "AnythingElse" })),
    ).rejects.toMatchObject(refused);
    await expect(save(ctxOf(t.db, responder), 1, doc("guarded", "Guarded"))).rejects.toMatchObject(refused);
    expect(await versionsOf("guarded")).toHaveLength(1);
    // The words (an action's title included), and the same actions written another way, are the responder's to edit.
    const reworded = withAction("guarded", { body: "## Symptoms\nSlow, and 5xx.\n" })
      .replace(
        "params: { namespace: shop, deployment: checkout }",
        "params:\n      namespace: shop\n      deployment: checkout",
      )
      .replace("title: Restart\n", "title: Restart checkout\n");
    expect((await save(ctxOf(t.db, responder), 1, reworded)).runbook.version).toBe(2);
    expect((await save(ctxOf(t.db, admin), 2, withAction("guarded", { approval: false }))).runbook.version).toBe(3);
    // A responder who started before the admin's change hears "reload", not "forbidden".
    await expect(
      save(ctxOf(t.db, responder), 2, withAction("guarded", { body: "## Symptoms\nStale.\n" })),
    ).rejects.toMatchObject({ code: "conflict" });
    // A new runbook with actions is an admin's too; without, a responder's.
    await expect(
      createRunbook({ ctx: ctxOf(t.db, responder), input: { markdown: withAction("guarded-2") } }),
    ).rejects.toMatchObject(refused);
    expect(
      (await createRunbook({ ctx: ctxOf(t.db, responder), input: { markdown: doc("unguarded", "Unguarded") } }))
        .changed,
    ).toBe(true);
  });
});

describe("Git and the app together", () => {
  it("keeps app edits while the file is unchanged, and makes a changed file the newest version, naming the edits it supersedes", async () => {
    const dir = folder({ "shared.md": doc("shared", "Shared") });
    await syncRunbookFiles(t.db, dir, new Date());
    await updateRunbook({
      ctx: ctxOf(t.db, responder),
      input: {
        slug: "shared",
        base_version: 1,
        markdown: doc("shared", "Shared", "## Symptoms\nEdited in the app.\n"),
      },
    });
    expect((await syncRunbookFiles(t.db, dir, new Date())).unchanged).toContain("shared");
    expect((await getRunbook({ ctx: ctxOf(t.db, viewer), input: { slug: "shared" } })).version).toBe(2);

    writeFileSync(path.join(dir, "shared.md"), doc("shared", "Shared", "## Symptoms\nChanged in Git.\n"));
    expect((await syncRunbookFiles(t.db, dir, new Date())).updated).toEqual(["shared"]);
    const current = await getRunbook({ ctx: ctxOf(t.db, viewer), input: { slug: "shared" } });
    expect(current).toMatchObject({
      version: 3,
      source: "file",
      edited_since_file: false,
      body: "## Symptoms\nChanged in Git.\n",
    });
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "runbook.sync"))
      .orderBy(asc(auditLog.id))
      .then((rows) => rows.slice(-1));
    expect(audit?.details).toMatchObject({
      slug: "shared",
      version: 3,
      superseded_app_versions: [{ version: 2, author: "responder bot" }],
    });
  });

  it("exports the current version in the file format; committed back, the sync finds it already current", async () => {
    const dir = folder({ "round.md": doc("round", "Round Trip") });
    await syncRunbookFiles(t.db, dir, new Date());
    await updateRunbook({
      ctx: ctxOf(t.db, responder),
      input: { slug: "round", base_version: 1, markdown: doc("round", "Round Trip", "## Symptoms\nBetter words.\n") },
    });
    const exported = await exportRunbook({ ctx: ctxOf(t.db, viewer), input: { slug: "round" } });
    expect(exported).toEqual({
      fileName: "round.md",
      markdown: doc("round", "Round Trip", "## Symptoms\nBetter words.\n"),
    });
    writeFileSync(path.join(dir, exported.fileName), exported.markdown);
    expect((await syncRunbookFiles(t.db, dir, new Date())).adopted).toEqual(["round"]);
    expect(await versionsOf("round")).toHaveLength(2);
    expect((await getRunbook({ ctx: ctxOf(t.db, viewer), input: { slug: "round" } })).version).toBe(2);
  });
});
