"use client";

// The board's data: the pages of incidents and the counts by severity for its filters (seeded by the
// server's render), and an optimistic acknowledge that rolls back, saying why, when the server refuses.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { Incident, IncidentList, Severity } from "@/lib/incidents/schemas";
import { callApi } from "../api-client";
import { BOARD_PAGE_SIZE, filtersToQuery, type BoardFilters } from "./board-filters";

export function useBoardData(filters: BoardFilters, initial: IncidentList, initialCounts: Record<Severity, number>) {
  const queryClient = useQueryClient();
  const queryString = filtersToQuery(filters).toString();
  const listKey = ["incidents", "board", queryString];

  const list = useInfiniteQuery({
    queryKey: listKey,
    queryFn: ({ pageParam }) =>
      callApi<IncidentList>(
        `/api/v1/incidents?${filtersToQuery(filters, { sort: "severity", limit: String(BOARD_PAGE_SIZE), ...(pageParam ? { cursor: pageParam } : {}) })}`,
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    initialData: { pages: [initial], pageParams: [""] },
  });
  const counts = useQuery({
    queryKey: ["incidents", "counts", queryString],
    queryFn: () => callApi<Record<Severity, number>>(`/api/v1/incidents/counts?${filtersToQuery(filters)}`),
    initialData: initialCounts,
  });

  const [refusal, setRefusal] = useState<string | null>(null);
  const acknowledge = useMutation({
    mutationFn: (incident: Incident) => callApi<Incident>(`/api/v1/incidents/${incident.ref}/ack`, { method: "POST" }),
    onMutate: async (incident) => {
      setRefusal(null);
      await queryClient.cancelQueries({ queryKey: listKey });
      const before = queryClient.getQueryData<InfiniteData<IncidentList>>(listKey);
      queryClient.setQueryData<InfiniteData<IncidentList>>(
        listKey,
        (data) =>
          data && {
            ...data,
            pages: data.pages.map((p) => ({
              ...p,
              data: p.data.map((i) => (i.id === incident.id ? { ...i, status: "acknowledged" as const } : i)),
            })),
          },
      );
      return { before };
    },
    onError: (error, incident, context) => {
      if (context?.before) queryClient.setQueryData(listKey, context.before);
      setRefusal(`Could not acknowledge ${incident.ref}: ${error.message}`);
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ["incidents"] }),
  });

  const incidents = useMemo(() => list.data.pages.flatMap((p) => p.data), [list.data]);
  return { queryString, list, incidents, counts: counts.data, acknowledge, refusal };
}
