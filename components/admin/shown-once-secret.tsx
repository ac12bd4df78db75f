"use client";

import { useState } from "react";
import { Button } from "../ui/button";

/** A new secret (API token, integration key), shown this once with a copy button. */
export function ShownOnceSecret({ what, secret }: { what: React.ReactNode; secret: string }) {
  const [copied, setCopied] = useState(false);
  const [copyFailed, setCopyFailed] = useState(false);
  // The clipboard needs a secure origin (https or localhost); elsewhere the secret is selected for Ctrl+C.
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopyFailed(true);
      const code = document.querySelector('[data-testid="new-token"]');
      if (code) window.getSelection()?.selectAllChildren(code);
    }
  };
  return (
    <div
      role="status"
      className="mt-3 rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
    >
      <p>{what} Copy it now: it is not shown again.</p>
      <div className="mt-2 flex items-start gap-2">
        <code
          data-testid="new-token"
          className="block flex-1 break-all rounded bg-white px-2 py-1 font-mono dark:bg-zinc-900"
        >
          {secret}
        </code>
        <Button size="sm" onClick={() => void copy()}>
          {copied ? "Copied" : copyFailed ? "Selected: press Ctrl+C" : "Copy"}
        </Button>
      </div>
    </div>
  );
}
