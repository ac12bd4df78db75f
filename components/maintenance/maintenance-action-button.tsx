"use client";
// One button that calls a maintenance endpoint (end, delete, snooze) and refreshes the page: the server
// decides and explains; a refusal is shown beside the button.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { callApi } from "../api-client";
import { Button } from "../ui/button";

export function MaintenanceActionButton({
  path,
  method = "POST",
  body,
  label,
  confirm,
  intent = "secondary",
}: {
  path: string;
  method?: "POST" | "DELETE";
  body?: unknown;
  label: string;
  /** Asked before acting; no question when absent. */
  confirm?: string;
  intent?: "secondary" | "danger";
}) {
  const router = useRouter();
  const act = useMutation({
    mutationFn: () => callApi(path, { method, body }),
    onSuccess: () => router.refresh(),
  });
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        size="sm"
        intent={intent}
        disabled={act.isPending}
        onClick={() => {
          if (!confirm || window.confirm(confirm)) act.mutate();
        }}
      >
        {label}
      </Button>
      {act.error && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {act.error.message}
        </span>
      )}
    </span>
  );
}
