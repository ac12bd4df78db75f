"use client";

// The postmortem's document: markdown on the left, the preview (as it will export, action items listed)
// on the right. Saving names the version the edit started from, so two people cannot overwrite each
// other; the review buttons move it draft -> in review -> published. The server decides; its refusal is
// shown in its own words.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { composePostmortemExport } from "@/lib/postmortems/compose-export";
import { unfilledPrompts } from "@/lib/postmortems/render-postmortem";
import type { Postmortem } from "@/lib/postmortems/schemas";
import { callApi } from "../api-client";
import { Button } from "../ui/button";
import { Markdown } from "@/components/ui/markdown";
import { useActionItems } from "./use-action-items";

type Change = { label: string; body: { markdown?: string; version?: number; status?: Postmortem["status"] } };

export function PostmortemEditor({
  postmortem,
  canEdit,
  canPublish,
}: {
  postmortem: Postmortem;
  canEdit: boolean;
  canPublish: boolean;
}) {
  const router = useRouter();
  const [markdown, setMarkdown] = useState(postmortem.markdown);
  const [saved, setSaved] = useState({ markdown: postmortem.markdown, version: postmortem.version });
  const { data: actionItems } = useActionItems(postmortem.id, postmortem.action_items);
  const dirty = markdown !== saved.markdown;
  const editable = canEdit && postmortem.status !== "published";

  const adopt = (next: Postmortem) => {
    setSaved({ markdown: next.markdown, version: next.version });
    setMarkdown(next.markdown);
    router.refresh();
  };
  const change = useMutation({
    mutationFn: (c: Change) =>
      callApi<Postmortem>(`/api/v1/postmortems/${postmortem.id}`, { method: "PATCH", body: c.body }),
    onSuccess: adopt,
  });
  const regenerate = useMutation({
    mutationFn: () =>
      callApi<Postmortem>(`/api/v1/incidents/${postmortem.incident.ref}/postmortem`, { method: "POST" }),
    onSuccess: adopt,
  });
  // Moving the status saves pending edits in the same request: nothing typed is left behind.
  const move = (status: Postmortem["status"], label: string) =>
    change.mutate({ label, body: dirty && editable ? { markdown, version: saved.version, status } : { status } });

  const error = change.error ?? regenerate.error;
  return (
    <div className="space-y-3" data-testid="postmortem-editor">
      <div className="flex flex-wrap items-center gap-2">
        {editable && (
          <Button
            intent="primary"
            disabled={!dirty || change.isPending}
            onClick={() => change.mutate({ label: "save", body: { markdown, version: saved.version } })}
          >
            Save
          </Button>
        )}
        {canEdit && postmortem.status === "draft" && (
          <Button onClick={() => move("in_review", "submit for review")}>Submit for review</Button>
        )}
        {canEdit && postmortem.status === "in_review" && (
          <Button onClick={() => move("draft", "send back to draft")}>Back to draft</Button>
        )}
        {canPublish && postmortem.status === "in_review" && (
          <Button
            intent="primary"
            onClick={() => {
              const gaps = unfilledPrompts(markdown);
              if (
                gaps > 0 &&
                !window.confirm(
                  `This postmortem still has ${gaps} part${gaps === 1 ? "" : "s"} marked "to be filled in". Publish it anyway?`,
                )
              )
                return;
              move("published", "publish");
            }}
          >
            Publish
          </Button>
        )}
        {canPublish && postmortem.status === "published" && (
          <Button onClick={() => move("in_review", "reopen for review")}>Reopen for review</Button>
        )}
        {editable && (
          <Button
            intent="ghost"
            disabled={dirty || regenerate.isPending}
            title={dirty ? "Save your edits first" : "Refresh the sections nobody edited from the incident's record"}
            onClick={() => regenerate.mutate()}
          >
            Regenerate from incident
          </Button>
        )}
        <a
          href={`/api/v1/postmortems/${postmortem.id}/export`}
          download
          className="ml-auto text-sm text-blue-700 underline dark:text-blue-400"
        >
          Export markdown
        </a>
      </div>
      {(change.isPending || regenerate.isPending) && (
        <p role="status" className="text-sm text-muted">
          Saving…
        </p>
      )}
      {dirty && !change.isPending && <p className="text-sm text-amber-700 dark:text-amber-400">Unsaved changes</p>}
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Could not {change.error ? change.variables?.label : "regenerate"}: {error.message}
        </p>
      )}
      <div className={editable ? "grid gap-4 lg:grid-cols-2" : ""}>
        {editable && (
          <label className="block text-sm font-medium">
            Postmortem markdown
            <textarea
              value={markdown}
              onChange={(e) => setMarkdown(e.target.value)}
              spellCheck
              className="mt-1 h-[70vh] w-full rounded border border-zinc-300 bg-white p-3 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
            />
          </label>
        )}
        <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <Markdown
            markdown={composePostmortemExport(markdown, actionItems)}
            aria-label="Preview"
            data-testid="markdown-preview"
            className="text-zinc-900 dark:text-zinc-100"
          />
        </div>
      </div>
    </div>
  );
}
