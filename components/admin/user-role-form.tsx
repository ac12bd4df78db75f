"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "../api-client";
import { Button } from "../ui/button";

const roles = ["viewer", "responder", "admin"] as const;

/** Changing the role pins it, so the identity provider's claims no longer override it; "Follow claims" unpins. */
export function UserRoleForm({
  userId,
  role,
  pinned,
}: {
  userId: string;
  role: (typeof roles)[number];
  pinned: boolean;
}) {
  const router = useRouter();
  const [selected, setSelected] = useState(role);
  const save = useMutation({
    mutationFn: (body: { role: string; role_pinned: boolean }) =>
      callApi(`/api/v1/users/${userId}`, { method: "PATCH", body }),
    onSuccess: () => router.refresh(),
    // Refused (the last admin, say): the choice goes back to the role the person still has.
    onError: () => setSelected(role),
  });
  return (
    <div className="flex items-center gap-2">
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role
      </label>
      <select
        id={`role-${userId}`}
        value={selected}
        disabled={save.isPending}
        onChange={(e) => {
          const next = e.target.value as (typeof roles)[number];
          setSelected(next);
          save.mutate({ role: next, role_pinned: true });
        }}
        className="rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        {roles.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      {pinned && (
        <Button intent="link" size="sm" onClick={() => save.mutate({ role: selected, role_pinned: false })}>
          Follow claims
        </Button>
      )}
      {save.error && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {save.error.message}
        </span>
      )}
    </div>
  );
}
