"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { severities, type Incident } from "@/lib/incidents/schemas";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ApiError, callApi } from "../api-client";

const field =
  "mt-1 w-full rounded border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

export function DeclareIncidentDialog() {
  const [open, setOpen] = useState(false);
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
      setOpen(false);
      void queryClient.invalidateQueries({ queryKey: ["incidents"] });
      router.push(`/incidents/${incident.ref}`);
    },
  });
  const fieldError = (path: string) =>
    declare.error instanceof ApiError ? declare.error.fieldErrors.find((f) => f.path === path)?.message : undefined;

  return (
    <>
      <Button intent="danger" onClick={() => setOpen(true)}>
        Declare incident
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Declare an incident">
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            declare.mutate(new FormData(e.currentTarget));
          }}
        >
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
            <Button intent="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button intent="danger" type="submit" disabled={declare.isPending}>
              {declare.isPending ? "Declaring…" : "Declare"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
