"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import type { Incident } from "@/lib/incidents/schemas";
import { ApiError, callApi } from "../api-client";

const severities = ["P0", "P1", "P2", "P3", "P4"] as const;
const field =
  "mt-1 w-full rounded border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

export function DeclareIncidentDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const queryClient = useQueryClient();
  const declare = useMutation({
    mutationFn: (form: FormData) =>
      callApi<Incident>("/api/v1/incidents", {
        method: "POST",
        body: {
          title: form.get("title"),
          severity: form.get("severity"),
          service: form.get("service") || undefined,
          description: form.get("description") || undefined,
        },
      }),
    // Whoever declares an incident works it next: its page, where the timeline and the actions are.
    onSuccess: (incident) => {
      dialog.current?.close();
      void queryClient.invalidateQueries({ queryKey: ["incidents"] });
      router.push(`/incidents/${incident.ref}`);
    },
  });
  const fieldError = (path: string) =>
    declare.error instanceof ApiError ? declare.error.fieldErrors.find((f) => f.path === path)?.message : undefined;

  return (
    <>
      <button
        type="button"
        onClick={() => dialog.current?.showModal()}
        className="rounded bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800"
      >
        Declare incident
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="declare-title"
        className="m-auto w-full max-w-md rounded-lg p-0 backdrop:bg-black/40 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <form
          className="space-y-3 p-5"
          onSubmit={(e) => {
            e.preventDefault();
            declare.mutate(new FormData(e.currentTarget));
          }}
        >
          <h2 id="declare-title" className="text-lg font-semibold">
            Declare an incident
          </h2>
          <label className="block text-sm font-medium">
            Title
            <input name="title" required maxLength={300} className={field} aria-invalid={!!fieldError("title")} />
            {fieldError("title") && <span className="text-xs text-red-700">{fieldError("title")}</span>}
          </label>
          <div className="flex gap-3">
            <label className="block flex-1 text-sm font-medium">
              Severity
              <select name="severity" defaultValue="P2" className={field}>
                {severities.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
            <label className="block flex-1 text-sm font-medium">
              Service
              <input name="service" maxLength={100} className={field} />
            </label>
          </div>
          <label className="block text-sm font-medium">
            Description
            <textarea name="description" rows={3} className={field} />
          </label>
          {declare.error && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {declare.error.message}
            </p>
          )}
          <div className="flex justify-end gap-2 pt-2">
            <button
              type="button"
              onClick={() => dialog.current?.close()}
              className="rounded px-3 py-1.5 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
            >
              Cancel
            </button>
            <button
              type="submit"
              disabled={declare.isPending}
              className="rounded bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-50"
            >
              {declare.isPending ? "Declaring…" : "Declare"}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
