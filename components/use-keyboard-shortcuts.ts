"use client";

// The app's single-key shortcuts (/, ?, a, r): a key typed into a field is text, and a key pressed with
// Ctrl, Alt or Cmd belongs to the browser, so neither is taken as a shortcut.
import { useEffect, useRef } from "react";

const fields = ["INPUT", "TEXTAREA", "SELECT"];

export function useKeyboardShortcuts(shortcuts: Record<string, () => void>): void {
  const latest = useRef(shortcuts);
  useEffect(() => {
    latest.current = shortcuts;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLElement && fields.includes(e.target.tagName)) return;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      const action = latest.current[e.key];
      if (!action) return;
      e.preventDefault();
      action();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
