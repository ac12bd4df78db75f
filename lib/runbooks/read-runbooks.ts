// The runbook catalog for people: the list, one runbook, its version history, and its export in the file
// format (exactly the current version's text, front matter included, ready to commit under runbooks/).
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import {
  findRunbook,
  listVersions,
  loadStoredRunbooks,
  toRunbookDetail,
  toRunbookSummary,
  toRunbookVersion,
} from "./runbook-store";
import { RunbookSlugInput, type RunbookDetail, type RunbookSummary, type RunbookVersion } from "./schemas";

export async function listRunbooks({ ctx }: VerbArgs<Record<string, never>>): Promise<RunbookSummary[]> {
  authorize(ctx.actor, "runbook.read");
  return (await loadStoredRunbooks(ctx.db)).map(toRunbookSummary);
}

export async function getRunbook({ ctx, input }: VerbArgs<{ slug: string }>): Promise<RunbookDetail> {
  authorize(ctx.actor, "runbook.read");
  const { slug } = parseInput(RunbookSlugInput, input);
  return toRunbookDetail(await findRunbook(ctx.db, slug));
}

export async function listRunbookVersions({ ctx, input }: VerbArgs<{ slug: string }>): Promise<RunbookVersion[]> {
  authorize(ctx.actor, "runbook.read");
  const { slug } = parseInput(RunbookSlugInput, input);
  const { row } = await findRunbook(ctx.db, slug);
  return (await listVersions(ctx.db, row.id)).map(toRunbookVersion);
}

export async function exportRunbook({
  ctx,
  input,
}: VerbArgs<{ slug: string }>): Promise<{ fileName: string; markdown: string }> {
  authorize(ctx.actor, "runbook.read");
  const { slug } = parseInput(RunbookSlugInput, input);
  const { row, current } = await findRunbook(ctx.db, slug);
  const markdown = current.markdown.endsWith("\n") ? current.markdown : `${current.markdown}\n`;
  return { fileName: row.filePath ? row.filePath.split("/").pop()! : `${row.slug}.md`, markdown };
}
