"use client";

// The postmortem's action items in the browser: one React Query cache that the editor's preview and the
// action item table share, polled while a ticket is being created so its outcome appears by itself.
import { useQuery } from "@tanstack/react-query";
import type { ActionItem } from "@/lib/postmortems/schemas";
import { callApi } from "../api-client";

export const actionItemsKey = (postmortemId: string) => ["postmortem", postmortemId, "action-items"] as const;

export function useActionItems(postmortemId: string, initial: ActionItem[]) {
  return useQuery({
    queryKey: actionItemsKey(postmortemId),
    queryFn: async () =>
      (await callApi<{ data: ActionItem[] }>(`/api/v1/postmortems/${postmortemId}/action-items`)).data,
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.some((item) => item.ticket.state === "pending") ? 1000 : false),
  });
}
