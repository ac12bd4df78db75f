"use client";

// The runbook editor: the whole document (front matter and markdown) on the left, on the right the live
// preview and the front matter's problems as you type — the same checks the server runs on save, so a
// document that shows no errors here saves. A save over someone else's newer version is refused.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useDeferredValue, useMemo, useState } from "react";
import { parseRunbookDocument, splitFrontMatter } from "@/lib/runbooks/runbook-document";
import type { RunbookChange, RunbookDetail } from "@/lib/runbooks/schemas";
import { ApiError, callApi } from "../api-client";
import { Button } from "../ui/button";
import { Markdown } from "@/components/ui/markdown";

type Props =
  | { mode: "create"; initialMarkdown: string }
  | { mode: "edit"; slug: string; baseVersion: number; initialMarkdown: string };

export function RunbookEditor(props: Props) {
  const router = useRouter();
  const [markdown, setMarkdown] = useState(props.initialMarkdown);
  const deferred = useDeferredValue(markdown);
  const parsed = useMemo(() => parseRunbookDocument(deferred), [deferred]);
  const save = useMutation({
    mutationFn: () =>
      props.mode === "create"
        ? callApi<RunbookDetail>("/api/v1/runbooks", { method: "POST", body: { markdown } })
        : callApi<RunbookChange>(`/api/v1/runbooks/${props.slug}`, {
            method: "PUT",
            body: { markdown, base_version: props.baseVersion },
          }).then((c) => c.runbook),
    onSuccess: (runbook) => {
      router.push(`/runbooks/${runbook.slug}`);
      router.refresh();
    },
  });
  const serverErrors = save.error instanceof ApiError ? save.error.fieldErrors : [];

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <div className="space-y-2">
        <label htmlFor="runbook-markdown" className="text-sm font-medium">
          Runbook (front matter and markdown)
        </label>
        <textarea
          id="runbook-markdown"
          value={markdown}
          onChange={(e) => setMarkdown(e.target.value)}
          spellCheck={false}
          rows={32}
          className="block w-full rounded border border-zinc-300 bg-white p-3 font-mono text-xs leading-5 dark:border-zinc-700 dark:bg-zinc-900"
        />
        <div className="flex items-center gap-2">
          <Button intent="primary" disabled={!parsed.ok || save.isPending} onClick={() => save.mutate()}>
            {props.mode === "create" ? "Create runbook" : "Save new version"}
          </Button>
          <Button intent="ghost" onClick={() => router.back()}>
            Cancel
          </Button>
          {save.isPending && (
            <span role="status" className="text-sm text-muted">
              Saving…
            </span>
          )}
        </div>
        {save.error && (
          <div
            role="alert"
            className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
          >
            <p>Not saved: {save.error.message}</p>
            {serverErrors.length > 0 && (
              <ul className="mt-1 list-disc pl-5">
                {serverErrors.map((e) => (
                  <li key={`${e.path}:${e.message}`}>
                    <code>{e.path}</code>: {e.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      <div className="space-y-3">
        {parsed.ok ? (
          <p className="text-sm text-emerald-800 dark:text-emerald-300" data-testid="front-matter-ok">
            Front matter is valid: <strong>{parsed.document.frontMatter.title}</strong> (
            {parsed.document.frontMatter.slug}), {parsed.document.frontMatter.actions.length} automated action
            {parsed.document.frontMatter.actions.length === 1 ? "" : "s"}.
          </p>
        ) : (
          <div
            role="alert"
            aria-label="Front matter errors"
            data-testid="front-matter-errors"
            className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
          >
            <p className="font-medium">
              The front matter has {parsed.errors.length === 1 ? "a problem" : `${parsed.errors.length} problems`}; fix{" "}
              {parsed.errors.length === 1 ? "it" : "them"} to save:
            </p>
            <ul className="mt-1 list-disc pl-5">
              {parsed.errors.map((e) => (
                <li key={`${e.path}:${e.line}:${e.message}`}>
                  {e.line !== undefined && <span className="font-mono">line {e.line}: </span>}
                  <code>{e.path}</code>: {e.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        {parsed.warnings.length > 0 && (
          <ul className="list-disc pl-5 text-sm text-amber-800 dark:text-amber-300" aria-label="Warnings">
            {parsed.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
        <section
          aria-label="Preview"
          className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
        >
          <Markdown
            markdown={parsed.ok ? parsed.document.body : (splitFrontMatter(deferred)?.body ?? deferred)}
            belowPageTitle
            className="max-w-3xl text-sm text-zinc-800 dark:text-zinc-200"
            data-testid="runbook-body"
          />
        </section>
      </div>
    </div>
  );
}
