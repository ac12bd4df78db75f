"use client";
// The frame of the on-call forms: sends what `request` makes of the fields, refreshes the page, and shows
// the server's refusal or the lint warnings its save answered (the save still happened).
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { callApi } from "../api-client";
import { Button } from "../ui/button";
import { LintWarnings } from "./lint-warnings";

export function SavingForm({
  label,
  submit,
  request,
  children,
}: {
  label: string;
  submit: string;
  request: (data: FormData) => { path: string; method: "POST" | "PUT"; body: unknown };
  children: React.ReactNode;
}) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const save = useMutation({
    mutationFn: (data: FormData) => {
      const { path, method, body } = request(data);
      return callApi<{ warnings: { code: string; message: string }[] }>(path, { method, body });
    },
    onSuccess: () => {
      form.current?.reset();
      router.refresh();
    },
  });
  return (
    <div className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <form
        ref={form}
        aria-label={label}
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(new FormData(e.currentTarget));
        }}
      >
        {children}
        <Button type="submit" intent="primary" disabled={save.isPending}>
          {submit}
        </Button>
      </form>
      {save.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {save.error.message}
        </p>
      )}
      {save.data && <LintWarnings warnings={save.data.warnings} />}
    </div>
  );
}
