"use client";
// An admin approves the actions of a runbook from a Runbook custom resource (POST …/approve-actions).

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "../ui/button";
import { callApi } from "../api-client";

export function ApproveActionsButton({ slug, version }: { slug: string; version: number }) {
  const router = useRouter();
  const approve = useMutation({
    mutationFn: () => callApi(`/api/v1/runbooks/${slug}/approve-actions`, { method: "POST", body: { version } }),
    onSuccess: () => router.refresh(),
  });
  return (
    <span>
      <Button intent="primary" disabled={approve.isPending} onClick={() => approve.mutate()}>
        Approve the actions of version {version}
      </Button>
      {approve.error && (
        <span role="alert" className="ml-2 text-xs text-red-700 dark:text-red-400">
          {approve.error.message}
        </span>
      )}
    </span>
  );
}
