"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { callApi } from "../api-client";
import { ShownOnceSecret } from "./shown-once-secret";
import { Button } from "../ui/button";

export const fieldClass =
  "rounded border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/** An admin form that creates something with a secret (a token, an integration) and shows the secret once. */
export function CreateWithSecretForm({
  endpoint,
  bodyOf,
  submitLabel,
  created,
  children,
}: {
  endpoint: string;
  bodyOf: (data: FormData) => Record<string, unknown>;
  submitLabel: string;
  /** What was created and its secret, from the response. */
  created: (response: Record<string, string>) => { what: React.ReactNode; secret: string };
  children: React.ReactNode;
}) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const create = useMutation({
    mutationFn: (data: FormData) => callApi<Record<string, string>>(endpoint, { method: "POST", body: bodyOf(data) }),
    onSuccess: () => {
      form.current?.reset();
      router.refresh();
    },
  });
  const shown = create.data && created(create.data);
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <form
        ref={form}
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(new FormData(e.currentTarget));
        }}
      >
        {children}
        <Button type="submit" intent="primary" disabled={create.isPending}>
          {submitLabel}
        </Button>
      </form>
      {create.error && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {create.error.message}
        </p>
      )}
      {shown && <ShownOnceSecret key={shown.secret} what={shown.what} secret={shown.secret} />}
    </div>
  );
}
