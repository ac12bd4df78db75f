"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { callApi } from "../api-client";
import { Button } from "../ui/button";

const field = "rounded border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

export function CreateTokenForm() {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [copied, setCopied] = useState(false);
  const create = useMutation({
    mutationFn: (data: FormData) => {
      const days = Number(data.get("expires"));
      const expires_at = days > 0 ? new Date(Date.now() + days * 86_400_000).toISOString() : null;
      return callApi<{ token: string; name: string }>("/api/v1/tokens", {
        method: "POST",
        body: { name: data.get("name"), role: data.get("role"), scope: data.get("scope"), expires_at },
      });
    },
    onSuccess: () => {
      form.current?.reset();
      setCopied(false);
      setCopyFailed(false);
      router.refresh();
    },
  });
  const [copyFailed, setCopyFailed] = useState(false);
  // The clipboard needs a secure origin (https or localhost); elsewhere the token is selected for Ctrl+C.
  const copy = async (token: string) => {
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
    } catch {
      setCopyFailed(true);
      const code = document.querySelector('[data-testid="new-token"]');
      if (code) window.getSelection()?.selectAllChildren(code);
    }
  };
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
        <label className="text-sm font-medium">
          Name
          <input name="name" required maxLength={100} placeholder="alertmanager" className={`mt-1 block ${field}`} />
        </label>
        <label className="text-sm font-medium">
          Role
          <select name="role" defaultValue="responder" className={`mt-1 block ${field}`}>
            <option>viewer</option>
            <option>responder</option>
            <option>admin</option>
          </select>
        </label>
        <label className="text-sm font-medium">
          Scope
          <select name="scope" defaultValue="full" className={`mt-1 block ${field}`}>
            <option value="full">full: everything its role allows</option>
            <option value="alerts:write">alerts:write: only sends alerts (Alertmanager)</option>
          </select>
        </label>
        <label className="text-sm font-medium">
          Expires
          <select name="expires" defaultValue="0" className={`mt-1 block ${field}`}>
            <option value="0">never</option>
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
          </select>
        </label>
        <Button type="submit" intent="primary" disabled={create.isPending}>
          Create token
        </Button>
      </form>
      {create.error && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {create.error.message}
        </p>
      )}
      {create.data && (
        <div
          role="status"
          className="mt-3 rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
        >
          <p>
            Token <strong>{create.data.name}</strong> created. Copy it now: it is not shown again.
          </p>
          <div className="mt-2 flex items-start gap-2">
            <code
              data-testid="new-token"
              className="block flex-1 break-all rounded bg-white px-2 py-1 font-mono dark:bg-zinc-900"
            >
              {create.data.token}
            </code>
            <Button size="sm" onClick={() => void copy(create.data.token)}>
              {copied ? "Copied" : copyFailed ? "Selected: press Ctrl+C" : "Copy"}
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
