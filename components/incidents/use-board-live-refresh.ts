"use client";

// A change anywhere (API, Slack, PagerDuty, alerts), or the stream coming back after a drop, refetches
// every incident query; bursts are folded into one refetch.
import { useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { useIncidentStream } from "./use-incident-stream";

const FOLD_MS = 300;

export function useBoardLiveRefresh(): { live: boolean } {
  const queryClient = useQueryClient();
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  return useIncidentStream(() => {
    pending.current ??= setTimeout(() => {
      pending.current = null;
      void queryClient.invalidateQueries({ queryKey: ["incidents"] });
    }, FOLD_MS);
  });
}
