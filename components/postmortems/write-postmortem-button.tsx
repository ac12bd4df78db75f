"use client";

// "Write postmortem" on a resolved incident that has none yet: drafts it now and opens it.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { Postmortem } from "@/lib/postmortems/schemas";
import { callApi } from "../api-client";
import { Button } from "../ui/button";

export function WritePostmortemButton({ incidentRef }: { incidentRef: string }) {
  const router = useRouter();
  const write = useMutation({
    mutationFn: () => callApi<Postmortem>(`/api/v1/incidents/${incidentRef}/postmortem`, { method: "POST" }),
    onSuccess: (postmortem) => router.push(`/postmortems/${postmortem.id}`),
  });
  return (
    <div className="flex items-center gap-2 text-sm">
      <Button onClick={() => write.mutate()} disabled={write.isPending}>
        Write postmortem
      </Button>
      {write.error && (
        <span role="alert" className="text-red-700 dark:text-red-400">
          Could not write it: {write.error.message}
        </span>
      )}
    </div>
  );
}
