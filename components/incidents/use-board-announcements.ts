"use client";

// A board left in a background tab: the tab's title counts what nobody has acknowledged, and a new P0 or
// P1 is announced to screen readers.
import { useEffect, useRef, useState } from "react";
import type { Incident } from "@/lib/incidents/schemas";

/** What to announce (for an assertive live region); `filters` names the board's current filters. */
export function useBoardAnnouncements(incidents: Incident[], filters: string): string {
  const unacknowledged = incidents.filter((i) => i.status === "open").length;
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\) /, "");
    document.title = unacknowledged > 0 ? `(${unacknowledged}) ${base}` : base;
  }, [unacknowledged]);

  // What counts as new is relative to what these filters showed first: changing the filters (the board is
  // not remounted for them) starts again rather than announcing every incident they bring into view.
  const seen = useRef<{ filters: string; ids: Set<string> } | null>(null);
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => {
    const urgent = incidents.filter((i) => (i.severity === "P0" || i.severity === "P1") && i.status === "open");
    if (seen.current?.filters !== filters) {
      seen.current = { filters, ids: new Set(urgent.map((i) => i.id)) };
      return;
    }
    const fresh = urgent.filter((i) => !seen.current!.ids.has(i.id));
    for (const i of fresh) seen.current.ids.add(i.id);
    if (fresh.length > 0)
      setAnnouncement(fresh.map((i) => `New ${i.severity} incident ${i.ref}: ${i.title}`).join(". "));
  }, [incidents, filters]);
  return announcement;
}
