"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { callApi } from "../api-client";

export function AcknowledgeButton({ incidentRef }: { incidentRef: string }) {
  const router = useRouter();
  const ack = useMutation({
    mutationFn: () => callApi(`/api/v1/incidents/${incidentRef}/ack`, { method: "POST" }),
    onSuccess: () => router.refresh(),
  });
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={() => ack.mutate()}
        disabled={ack.isPending}
        className="rounded border border-zinc-300 px-2 py-0.5 text-xs font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        {ack.isPending ? "Acknowledging…" : "Acknowledge"}
      </button>
      {ack.error && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {ack.error.message}
        </span>
      )}
    </span>
  );
}
