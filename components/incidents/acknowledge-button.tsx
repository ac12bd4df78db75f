"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { callApi } from "../api-client";
import { Button } from "../ui/button";

export function AcknowledgeButton({ incidentRef }: { incidentRef: string }) {
  const router = useRouter();
  const ack = useMutation({
    mutationFn: () => callApi(`/api/v1/incidents/${incidentRef}/ack`, { method: "POST" }),
    onSuccess: () => router.refresh(),
  });
  return (
    <span className="inline-flex items-center gap-2">
      <Button size="sm" onClick={() => ack.mutate()} disabled={ack.isPending}>
        {ack.isPending ? "Acknowledging…" : "Acknowledge"}
      </Button>
      {ack.error && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {ack.error.message}
        </span>
      )}
    </span>
  );
}
