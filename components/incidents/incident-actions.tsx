"use client";

// What a responder can do to an incident from its page: acknowledge (a), investigate, resolve with a
// note (r), reopen, take ownership or assign by email, change severity. The server decides; a refusal
// is shown as the server's own explanation.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { severities, type Incident } from "@/lib/incidents/schemas";
import { ApiError, callApi } from "../api-client";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { useKeyboardShortcuts } from "../use-keyboard-shortcuts";

type Change = { path: string; method: "POST" | "PATCH"; body?: unknown; label: string };

export function IncidentActions({
  incident,
  myEmail,
  firingAlerts = [],
}: {
  incident: Incident;
  myEmail: string;
  firingAlerts?: string[];
}) {
  const router = useRouter();
  const [resolving, setResolving] = useState(false);
  const [ownerEmail, setOwnerEmail] = useState("");
  const change = useMutation({
    mutationFn: (c: Change) =>
      callApi<Incident>(`/api/v1/incidents/${incident.ref}${c.path}`, { method: c.method, body: c.body ?? {} }),
    onSuccess: () => router.refresh(),
    // A conflict means the incident changed under this page (someone else, or a tab left open): show it
    // as it is now, beside the server's explanation.
    onError: (error) => void (error instanceof ApiError && error.status === 409 && router.refresh()),
  });
  const act = (c: Change) => change.mutate(c);
  const resolved = incident.status === "resolved";

  useKeyboardShortcuts({
    a: () => incident.status === "open" && act({ path: "/ack", method: "POST", label: "acknowledge" }),
    r: () => !resolved && setResolving(true),
  });

  return (
    <div className="space-y-2" data-testid="incident-actions">
      <div className="flex flex-wrap items-center gap-2">
        {incident.status === "open" && (
          <Button
            intent="primary"
            onClick={() => act({ path: "/ack", method: "POST", label: "acknowledge" })}
            title="Keyboard: a"
          >
            Acknowledge
          </Button>
        )}
        {(incident.status === "open" || incident.status === "acknowledged") && (
          <Button
            onClick={() =>
              act({ path: "", method: "PATCH", body: { status: "investigating" }, label: "mark investigating" })
            }
          >
            Investigating
          </Button>
        )}
        {!resolved && (
          <Button intent="danger" onClick={() => setResolving(true)} title="Keyboard: r">
            Resolve…
          </Button>
        )}
        {resolved && <Button onClick={() => act({ path: "/reopen", method: "POST", label: "reopen" })}>Reopen</Button>}
        <label className="ml-2 text-sm">
          <span className="sr-only">Severity</span>
          <select
            aria-label="Severity"
            value={incident.severity}
            onChange={(e) =>
              act({ path: "", method: "PATCH", body: { severity: e.target.value }, label: "change severity" })
            }
            className="rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          >
            {severities.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        {incident.owner?.email !== myEmail && (
          <Button onClick={() => act({ path: "", method: "PATCH", body: { owner: myEmail }, label: "take ownership" })}>
            Take ownership
          </Button>
        )}
        <form
          className="flex items-center gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            if (ownerEmail.trim())
              act({ path: "", method: "PATCH", body: { owner: ownerEmail.trim() }, label: "assign" });
          }}
        >
          <label className="sr-only" htmlFor="assign-owner">
            Assign to (email)
          </label>
          <input
            id="assign-owner"
            type="email"
            value={ownerEmail}
            onChange={(e) => setOwnerEmail(e.target.value)}
            placeholder="assign to email"
            className="w-48 rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
          <Button type="submit">Assign</Button>
        </form>
      </div>
      {change.isPending && (
        <p role="status" className="text-sm text-muted">
          Saving…
        </p>
      )}
      {change.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Could not {change.variables?.label}: {change.error.message}
        </p>
      )}
      <Dialog open={resolving} onClose={() => setResolving(false)} title={`Resolve ${incident.ref}`}>
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            const note = String(new FormData(e.currentTarget).get("resolution_note") ?? "").trim();
            setResolving(false);
            act({ path: "/resolve", method: "POST", body: note ? { resolution_note: note } : {}, label: "resolve" });
          }}
        >
          {firingAlerts.length > 0 && (
            <p
              role="note"
              data-testid="still-firing"
              className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
            >
              Still firing: {firingAlerts.join(", ")}. Resolve anyway, and the timeline lists them; Alertmanager&apos;s
              re-sends of these alerts stay with this resolved incident, and only an alert that starts firing anew opens
              a new one.
            </p>
          )}
          <label className="block text-sm font-medium">
            Resolution note
            <textarea
              name="resolution_note"
              rows={3}
              placeholder="What fixed it?"
              className="mt-1 w-full rounded border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            />
          </label>
          <div className="flex justify-end gap-2">
            <Button intent="ghost" onClick={() => setResolving(false)}>
              Cancel
            </Button>
            <Button intent="danger" type="submit">
              Resolve
            </Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
