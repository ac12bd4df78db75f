"use client";

// The postmortem's action items, edited in place: title, owner (by email), due date and status, and
// "Create ticket", which the worker carries out — the row shows pending, then the ticket's key, or the
// tracker's own error with a way to try again.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ActionItem, ActionItemStatus } from "@/lib/postmortems/schemas";
import { callApi } from "../api-client";
import { Button } from "../ui/button";
import { cell, DataTable, mutedCell } from "../ui/data-table";
import { actionItemsKey, useActionItems } from "./use-action-items";

const statuses: ActionItemStatus[] = ["open", "in_progress", "done"];
const field = "rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";

type Call = { label: string; path: string; method: "POST" | "PATCH" | "DELETE"; body?: unknown };

export function ActionItemsEditor({
  postmortemId,
  initial,
  canEdit,
  trackerName,
}: {
  postmortemId: string;
  initial: ActionItem[];
  canEdit: boolean;
  trackerName: string | null;
}) {
  const queryClient = useQueryClient();
  const { data: items } = useActionItems(postmortemId, initial);
  const [draft, setDraft] = useState({ title: "", owner: "", due_date: "" });
  const base = `/api/v1/postmortems/${postmortemId}/action-items`;
  const call = useMutation({
    mutationFn: (c: Call) => callApi<ActionItem | null>(`${base}${c.path}`, { method: c.method, body: c.body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: actionItemsKey(postmortemId) }),
  });
  const patch = (item: ActionItem, body: Record<string, unknown>, label: string) =>
    call.mutate({ label, path: `/${item.id}`, method: "PATCH", body });

  return (
    <div className="space-y-3" data-testid="action-items">
      <DataTable
        columns={["Action", "Owner", "Due", "Status", "Ticket", ...(canEdit ? [""] : [])]}
        empty={items.length === 0 && "No action items yet."}
      >
        {items.map((item) => (
          <tr key={item.id} data-testid="action-item-row">
            <td className={cell}>
              {canEdit ? (
                <input
                  aria-label="Action"
                  defaultValue={item.title}
                  onBlur={(e) => {
                    const title = e.target.value.trim();
                    if (title && title !== item.title) patch(item, { title }, "rename the action item");
                  }}
                  className={`${field} w-full`}
                />
              ) : (
                item.title
              )}
            </td>
            <td className={mutedCell}>
              {canEdit ? (
                <input
                  aria-label="Owner email"
                  type="email"
                  defaultValue={item.owner?.email ?? ""}
                  placeholder="owner email"
                  onBlur={(e) => {
                    const owner = e.target.value.trim();
                    if (owner !== (item.owner?.email ?? "")) patch(item, { owner: owner || null }, "set the owner");
                  }}
                  className={`${field} w-44`}
                />
              ) : (
                (item.owner?.name ?? "—")
              )}
            </td>
            <td className={mutedCell}>
              {canEdit ? (
                <input
                  aria-label="Due date"
                  type="date"
                  defaultValue={item.due_date ?? ""}
                  onChange={(e) => patch(item, { due_date: e.target.value || null }, "set the due date")}
                  className={field}
                />
              ) : (
                (item.due_date ?? "—")
              )}
              {item.overdue && (
                <span className="ml-2 rounded bg-red-50 px-1.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200">
                  overdue
                </span>
              )}
            </td>
            <td className={cell}>
              {canEdit ? (
                <select
                  aria-label="Status"
                  value={item.status}
                  onChange={(e) => patch(item, { status: e.target.value }, "change the status")}
                  className={field}
                >
                  {statuses.map((s) => (
                    <option key={s} value={s}>
                      {s.replace("_", " ")}
                    </option>
                  ))}
                </select>
              ) : (
                item.status.replace("_", " ")
              )}
            </td>
            <td className={cell} data-testid="ticket-cell">
              <TicketState
                item={item}
                canEdit={canEdit}
                trackerName={trackerName}
                onCreate={() => call.mutate({ label: "create the ticket", path: `/${item.id}/ticket`, method: "POST" })}
              />
            </td>
            {canEdit && (
              <td className={cell}>
                <Button
                  size="sm"
                  intent="ghost"
                  aria-label={`Remove ${item.title}`}
                  onClick={() =>
                    call.mutate({ label: "remove the action item", path: `/${item.id}`, method: "DELETE" })
                  }
                >
                  Remove
                </Button>
              </td>
            )}
          </tr>
        ))}
      </DataTable>
      {canEdit && (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!draft.title.trim()) return;
            call.mutate(
              {
                label: "add the action item",
                path: "",
                method: "POST",
                body: {
                  title: draft.title.trim(),
                  owner: draft.owner.trim() || null,
                  due_date: draft.due_date || null,
                },
              },
              { onSuccess: () => setDraft({ title: "", owner: "", due_date: "" }) },
            );
          }}
        >
          <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            New action item
            <input
              value={draft.title}
              onChange={(e) => setDraft({ ...draft, title: e.target.value })}
              maxLength={500}
              placeholder="What will we do?"
              className={`${field} mt-1 block w-72`}
            />
          </label>
          <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            Owner
            <input
              type="email"
              value={draft.owner}
              onChange={(e) => setDraft({ ...draft, owner: e.target.value })}
              placeholder="owner email"
              className={`${field} mt-1 block w-48`}
            />
          </label>
          <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            Due
            <input
              type="date"
              value={draft.due_date}
              onChange={(e) => setDraft({ ...draft, due_date: e.target.value })}
              className={`${field} mt-1 block`}
            />
          </label>
          <Button type="submit" intent="primary" disabled={!draft.title.trim() || call.isPending}>
            Add action item
          </Button>
        </form>
      )}
      {call.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Could not {call.variables?.label}: {call.error.message}
        </p>
      )}
    </div>
  );
}

function TicketState({
  item,
  canEdit,
  trackerName,
  onCreate,
}: {
  item: ActionItem;
  canEdit: boolean;
  trackerName: string | null;
  onCreate: () => void;
}) {
  const { ticket } = item;
  if (ticket.state === "created") {
    return ticket.url ? (
      <a href={ticket.url} className="text-blue-700 underline dark:text-blue-400">
        {ticket.key}
      </a>
    ) : (
      <span>{ticket.key}</span>
    );
  }
  if (ticket.state === "pending") {
    return (
      <span role="status" className="text-sm text-muted">
        Creating ticket…
      </span>
    );
  }
  const create = canEdit && trackerName && (
    <Button size="sm" onClick={onCreate}>
      {ticket.state === "failed" ? "Try again" : `Create ${trackerName} ticket`}
    </Button>
  );
  return (
    <div className="space-y-1">
      {ticket.state === "failed" && (
        <p role="alert" className="max-w-sm text-sm text-red-700 dark:text-red-400">
          {ticket.error}
        </p>
      )}
      {create || (ticket.state === "none" && <span className="text-muted">—</span>)}
    </div>
  );
}
