"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { callApi } from "../api-client";
import { Button } from "../ui/button";

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const router = useRouter();
  const revoke = useMutation({
    mutationFn: () => callApi(`/api/v1/tokens/${tokenId}`, { method: "DELETE" }),
    onSuccess: () => router.refresh(),
  });
  return (
    <>
      <Button
        intent="danger-link"
        size="sm"
        disabled={revoke.isPending}
        onClick={() => {
          if (window.confirm(`Revoke "${name}"? Anything using it stops working at once.`)) revoke.mutate();
        }}
      >
        Revoke
      </Button>
      {revoke.error && (
        <span role="alert" className="ml-2 text-xs text-red-700">
          {revoke.error.message}
        </span>
      )}
    </>
  );
}
