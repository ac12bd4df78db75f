"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { callApi } from "../api-client";
import { Button } from "../ui/button";

interface DryRunResult {
  incident: { ref?: string; title: string; severity: string; service: string | null; team: string | null };
  decision: {
    rules: string[];
    notify: { channel: string; target: string; rule: string }[];
    fallback: { channel: string; target: string; rule: string }[];
    skipped: { channel: string; rule: string; reason: string }[];
  };
}

const field =
  "mt-1 block w-full rounded border border-zinc-300 bg-white px-2 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900";

export function RoutingDryRun() {
  const [mode, setMode] = useState<"incident" | "payload">("incident");
  const run = useMutation({
    mutationFn: (form: FormData) => {
      if (mode === "incident")
        return callApi<DryRunResult>("/api/v1/routing/dry-run", {
          method: "POST",
          body: { incident: form.get("incident") },
        });
      let payload: unknown;
      try {
        payload = JSON.parse(String(form.get("payload")));
      } catch {
        return Promise.reject(new Error("The payload is not valid JSON"));
      }
      return callApi<DryRunResult>("/api/v1/routing/dry-run", {
        method: "POST",
        body: { alertmanager_payload: payload },
      });
    },
  });
  const target = (d: { channel: string; target: string }) =>
    d.channel === "pagerduty" ? "PagerDuty" : `${d.channel} ${d.target}`;

  return (
    <section
      aria-labelledby="dry-run"
      className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="dry-run" className="font-semibold">
        Dry run
      </h2>
      <p className="text-sm text-muted">Who would be notified, and by which rule. Nothing is sent.</p>
      <div role="radiogroup" aria-label="Dry run for" className="mt-3 flex gap-4 text-sm">
        <label>
          <input type="radio" name="mode" checked={mode === "incident"} onChange={() => setMode("incident")} /> an
          incident
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === "payload"} onChange={() => setMode("payload")} /> an
          Alertmanager payload
        </label>
      </div>
      <form
        className="mt-3 space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate(new FormData(e.currentTarget));
        }}
      >
        {mode === "incident" ? (
          <label className="block text-sm font-medium">
            Incident
            <input name="incident" required placeholder="INC-12" className={field} />
          </label>
        ) : (
          <label className="block text-sm font-medium">
            Payload (JSON)
            <textarea
              name="payload"
              required
              rows={8}
              placeholder='{"version":"4","groupKey":"…","alerts":[…]}'
              className={field}
            />
          </label>
        )}
        <Button type="submit" intent="primary" disabled={run.isPending}>
          Dry run
        </Button>
      </form>
      {run.error && (
        <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">
          {run.error.message}
        </p>
      )}
      {run.data && (
        <div role="status" data-testid="dry-run-result" className="mt-4 space-y-2 text-sm">
          <p>
            <strong>{run.data.incident.ref ?? "The incident it would open"}</strong>: {run.data.incident.severity} ·{" "}
            {run.data.incident.title}
            {run.data.incident.service ? ` · ${run.data.incident.service}` : ""}
          </p>
          <p>
            Rules:{" "}
            {run.data.decision.rules.length ? run.data.decision.rules.join(", ") : "none match: nobody is notified"}
          </p>
          {run.data.decision.notify.length > 0 && (
            <p>Notified: {run.data.decision.notify.map((d) => `${target(d)} (${d.rule})`).join("; ")}</p>
          )}
          {run.data.decision.fallback.length > 0 && (
            <p>If that fails: {run.data.decision.fallback.map(target).join("; ")}</p>
          )}
          {run.data.decision.skipped.length > 0 && (
            <p className="text-amber-800 dark:text-amber-300">
              Skipped: {run.data.decision.skipped.map((s) => `${s.channel} (${s.reason})`).join("; ")}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
