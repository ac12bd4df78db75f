"use client";

import { Button } from "@/components/ui/button";
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-200 bg-red-50 p-6 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
    >
      <h2 className="font-semibold">This page could not load</h2>
      <p className="mt-1 text-sm">
        Vigil could not reach its database or hit an unexpected error.{" "}
        {error.digest ? `Reference: ${error.digest}.` : ""}
      </p>
      <Button intent="danger" onClick={reset} className="mt-4">
        Try again
      </Button>
    </div>
  );
}
