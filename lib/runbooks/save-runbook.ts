// Runbook edits in the app: create a runbook, or save a new version of one. The document is checked as a
// whole (front matter and all) before anything is written; every save is a new version with its author,
// and an audit row in the same transaction. A save that started from an older version than the current
// one is refused, so two people editing at once cannot silently overwrite each other. Responders edit the
// words; a change to what the runbook lets remediation do takes an admin (see `remediationPart`), and so
// does a new or changed regular-expression matcher (see `addedRegexMatchers`).
import { recordAudit } from "../audit/record-audit";
import { authorize, can } from "../auth/permissions";
import { type Actor, type VerbArgs, inTransaction } from "../context";
import { AppError, conflict, invalid } from "../errors";
import { parseInput } from "../input";
import { isRegexMatcher, type LabelMatcher } from "./alert-selector";
import { remediationPart } from "./remediation-part";
import { parseRunbookDocument, type RunbookDocument } from "./runbook-document";
import { addVersion, authorOf, findRunbook, insertRunbook, toRunbookDetail } from "./runbook-store";
import { CreateRunbookInput, UpdateRunbookInput, type RunbookChange } from "./schemas";

/** The document, or an `invalid` error listing every front-matter problem with its line. */
function checkedDocument(markdown: string): RunbookDocument {
  const parsed = parseRunbookDocument(markdown);
  if (parsed.ok) return parsed.document;
  const fieldErrors = parsed.errors.map((e) => ({
    path: `front_matter.${e.path}`,
    message: e.line ? `line ${e.line}: ${e.message}` : e.message,
  }));
  throw invalid(
    `The runbook's front matter has ${fieldErrors.length === 1 ? "a problem" : `${fieldErrors.length} problems`}: ${fieldErrors.map((f) => `${f.path}: ${f.message}`).join("; ")}`,
    fieldErrors,
  );
}

function authorizeRemediationChange(actor: Actor, before: RunbookDocument | null, after: RunbookDocument): void {
  if (remediationPart(before) !== remediationPart(after) && !can(actor.role, "runbook.edit_actions")) {
    throw new AppError(
      "forbidden",
      "Only an admin can change a runbook's actions, or which alerts a runbook with actions matches; your role may edit its text",
    );
  }
}

/** The `=~` / `!~` matchers of `after` that `before` does not have (as parsed: spacing does not count). */
function addedRegexMatchers(before: RunbookDocument | null, after: RunbookDocument): string[] {
  const key = (m: LabelMatcher) => `${m.name}${m.op}${JSON.stringify(m.value)}`;
  const existing = (before?.selector.matchers ?? []).filter(isRegexMatcher).map(key);
  return after.selector.matchers.filter(isRegexMatcher).flatMap((m) => {
    const at = existing.indexOf(key(m));
    if (at === -1) return [m.text];
    existing.splice(at, 1);
    return [];
  });
}

function authorizeRegexMatchers(actor: Actor, before: RunbookDocument | null, after: RunbookDocument): void {
  const added = addedRegexMatchers(before, after);
  if (added.length > 0 && !can(actor.role, "runbook.edit_regex_matchers")) {
    throw new AppError(
      "forbidden",
      `Only an admin can add or change a regular-expression matcher (=~ or !~): ${added.join(", ")}. Your role may use = and != matchers`,
    );
  }
}

export async function createRunbook({ ctx, input }: VerbArgs<CreateRunbookInput>): Promise<RunbookChange> {
  authorize(ctx.actor, "runbook.edit");
  const { markdown } = parseInput(CreateRunbookInput, input);
  const document = checkedDocument(markdown);
  authorizeRemediationChange(ctx.actor, null, document);
  authorizeRegexMatchers(ctx.actor, null, document);
  const slug = document.frontMatter.slug;
  return inTransaction(ctx, async (txCtx) => {
    const row = await insertRunbook(txCtx.db, {
      markdown,
      document,
      source: "app",
      author: authorOf(ctx),
      at: ctx.now,
    });
    if (!row) throw conflict(`A runbook with the slug ${slug} already exists: edit it, or choose another slug`);
    await recordAudit(txCtx, {
      action: "runbook.create",
      resourceType: "runbook",
      resourceId: row.id,
      details: { slug, title: row.title, version: 1 },
    });
    return { runbook: toRunbookDetail(await findRunbook(txCtx.db, slug)), changed: true };
  });
}

export async function updateRunbook({ ctx, input }: VerbArgs<UpdateRunbookInput>): Promise<RunbookChange> {
  authorize(ctx.actor, "runbook.edit");
  const { slug, markdown, base_version } = parseInput(UpdateRunbookInput, input);
  const document = checkedDocument(markdown);
  if (document.frontMatter.slug !== slug) {
    throw invalid(`The slug is ${slug}; it cannot change in an edit (create a new runbook instead)`, [
      { path: "front_matter.slug", message: `must stay ${slug}` },
    ]);
  }
  return inTransaction(ctx, async (txCtx) => {
    const stored = await findRunbook(txCtx.db, slug, { lock: true });
    if (stored.row.resourceRef)
      throw conflict(
        `Runbook ${slug} comes from the Runbook resource ${stored.row.resourceRef}: edit the resource in Kubernetes, and the worker brings the change here`,
      );
    if (stored.current.markdown === markdown) return { runbook: toRunbookDetail(stored), changed: false };
    if (stored.row.currentVersion !== base_version) {
      throw conflict(
        `Version ${stored.row.currentVersion} of ${slug} was saved by ${stored.current.authorName} after you started from version ${base_version}: reload it and apply your change again`,
      );
    }
    authorizeRemediationChange(ctx.actor, stored.document, document);
    authorizeRegexMatchers(ctx.actor, stored.document, document);
    const row = await addVersion(txCtx.db, stored.row, {
      markdown,
      document,
      source: "app",
      author: authorOf(ctx),
      at: ctx.now,
    });
    await recordAudit(txCtx, {
      action: "runbook.edit",
      resourceType: "runbook",
      resourceId: row.id,
      details: { slug, version: row.currentVersion, from_version: base_version },
    });
    return { runbook: toRunbookDetail(await findRunbook(txCtx.db, slug)), changed: true };
  });
}
