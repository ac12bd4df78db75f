"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { callApi } from "../api-client";

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const router = useRouter();
  const revoke = useMutation({
    mutationFn: () => callApi(`/api/v1/tokens/${tokenId}`, { method: "DELETE" }),
    onSuccess: () => router.refresh(),
  });
  return (
    <>
      <button
        type="button"
        disabled={revoke.isPending}
        onClick={() => {
          if (window.confirm(`Revoke "${name}"? Anything using it stops working at once.`)) revoke.mutate();
        }}
        className="text-xs font-medium text-red-700 hover:underline disabled:opacity-50 dark:text-red-400"
      >
        Revoke
      </button>
      {revoke.error && (
        <span role="alert" className="ml-2 text-xs text-red-700">
          {revoke.error.message}
        </span>
      )}
    </>
  );
}
