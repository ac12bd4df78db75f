"use client";

import { useEffect, useRef, useState } from "react";

export interface IncidentNotice {
  incident_id: string;
  event_id: number;
  kind: string;
}

/**
 * Listens to /api/v1/stream (server-sent events from PostgreSQL LISTEN/NOTIFY). EventSource reconnects by
 * itself; `live` says whether the stream is up, so the page can show it. Changes made while the stream
 * was down are not replayed, so after a reconnect `onNotice(null)` says "anything may have changed".
 */
export function useIncidentStream(onNotice: (notice: IncidentNotice | null) => void): { live: boolean } {
  const [live, setLive] = useState(false);
  const handler = useRef(onNotice);
  useEffect(() => {
    handler.current = onNotice;
  });
  useEffect(() => {
    const source = new EventSource("/api/v1/stream");
    let dropped = false;
    source.onopen = () => {
      setLive(true);
      if (dropped) handler.current(null);
    };
    source.onerror = () => {
      dropped = true;
      setLive(false);
    };
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
