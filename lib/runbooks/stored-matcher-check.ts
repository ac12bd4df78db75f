// Run by the migrate step (npm run db:migrate, npm start): label matchers ran on JavaScript's RegExp before
// they ran on RE2, which refuses some of what RegExp took (lookahead, backreferences, Perl-only escapes).
// This reads every stored runbook version and names each matcher RE2 refuses, and what becomes of it, so
// an operator learns it at the upgrade rather than from a runbook that quietly stopped matching.
import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { runbooks, runbookVersions } from "@/db/schema";
import { isRegexMatcher, regexRefusal } from "./alert-selector";
import { parseRunbookDocument } from "./runbook-document";

export interface RefusedStoredMatcher {
  slug: string;
  version: number;
  /** The runbook's current version (the one matching uses), not history. */
  current: boolean;
  matcher: string;
  reason: string;
}

export async function findRefusedStoredMatchers(db: DbOrTx): Promise<RefusedStoredMatcher[]> {
  const rows = await db
    .select({
      slug: runbooks.slug,
      currentVersion: runbooks.currentVersion,
      version: runbookVersions.version,
      markdown: runbookVersions.markdown,
    })
    .from(runbookVersions)
    .innerJoin(runbooks, eq(runbooks.id, runbookVersions.runbookId))
    .orderBy(asc(runbooks.slug), asc(runbookVersions.version));
  return rows.flatMap((row) => {
    const parsed = parseRunbookDocument(row.markdown, { stored: true });
    if (!parsed.ok) return [];
    return parsed.document.selector.matchers.filter(isRegexMatcher).flatMap((matcher) => {
      const reason = regexRefusal(matcher.value);
      return reason
        ? [
            {
              slug: row.slug,
              version: row.version,
              current: row.version === row.currentVersion,
              matcher: matcher.text,
              reason,
            },
          ]
        : [];
    });
  });
}

/** What the migrate step prints: nothing when RE2 takes every stored matcher. */
export function describeRefusedStoredMatchers(refused: readonly RefusedStoredMatcher[]): string[] {
  if (refused.length === 0) return [];
  return [
    `Runbook label matchers run on RE2, as in Prometheus. It refuses ${refused.length === 1 ? "one stored matcher" : `${refused.length} stored matchers`}:`,
    ...refused.map(
      (r) =>
        `  ${r.slug} version ${r.version}${r.current ? " (current)" : ""}: ${r.matcher}: ${r.reason}. ` +
        (r.current
          ? "From now on this matcher matches no alert, so the runbook is not chosen by its matchers (a runbook_url naming it still links it); its editor shows the problem. An admin should rewrite it in RE2 syntax."
          : "An older version, kept as history: nothing changes."),
    ),
  ];
}

/** The check itself: the lines to print. */
export async function checkStoredMatchers(db: DbOrTx): Promise<string[]> {
  return describeRefusedStoredMatchers(await findRefusedStoredMatchers(db));
}
