"use client";

import { useEffect, useRef, useState } from "react";

export interface IncidentNotice {
  incident_id: string;
  event_id: number;
  kind: string;
}

/**
 * Listens to /api/v1/stream (server-sent events from PostgreSQL LISTEN/NOTIFY). EventSource reconnects by
 * itself; `live` says whether the stream is up, so the page can show it.
 */
export function useIncidentStream(onNotice: (notice: IncidentNotice) => void): { live: boolean } {
  const [live, setLive] = useState(false);
  const handler = useRef(onNotice);
  useEffect(() => {
    handler.current = onNotice;
  });
  useEffect(() => {
    const source = new EventSource("/api/v1/stream");
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener("incident", (event) => {
      try {
        handler.current(JSON.parse((event as MessageEvent<string>).data) as IncidentNotice);
      } catch {
        // a malformed event is not worth breaking the page for
      }
    });
    return () => source.close();
  }, []);
  return { live };
}
