"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { callApi } from "../api-client";
import { Button } from "../ui/button";

/** Disable (and sign out everywhere) or enable a person; the server refuses the last admin and oneself. */
export function UserAccessButton({ userId, name, disabled }: { userId: string; name: string; disabled: boolean }) {
  const router = useRouter();
  const change = useMutation({
    mutationFn: (next: boolean) => callApi(`/api/v1/users/${userId}`, { method: "PATCH", body: { disabled: next } }),
    onSuccess: () => router.refresh(),
  });
  return (
    <>
      {disabled ? (
        <Button intent="link" size="sm" disabled={change.isPending} onClick={() => change.mutate(false)}>
          Enable
        </Button>
      ) : (
        <Button
          intent="danger-link"
          size="sm"
          disabled={change.isPending}
          onClick={() => {
            if (
              window.confirm(
                `Disable ${name}? They are signed out everywhere at once and cannot sign in or act through Slack until enabled again.`,
              )
            )
              change.mutate(true);
          }}
        >
          Disable and sign out everywhere
        </Button>
      )}
      {change.error && (
        <span role="alert" className="ml-2 text-xs text-red-700 dark:text-red-400">
          {change.error.message}
        </span>
      )}
    </>
  );
}
