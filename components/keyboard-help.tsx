"use client";

import { useState } from "react";
import { Button } from "./ui/button";
import { Dialog } from "./ui/dialog";
import { useKeyboardShortcuts } from "./use-keyboard-shortcuts";

const shortcuts = [
  ["/", "Search the board"],
  ["a", "Acknowledge (on an incident)"],
  ["r", "Resolve (on an incident)"],
  ["?", "This help"],
];

export function KeyboardHelp() {
  const [open, setOpen] = useState(false);
  useKeyboardShortcuts({ "?": () => setOpen(true) });
  return (
    <Dialog open={open} onClose={() => setOpen(false)} title="Keyboard shortcuts" className="max-w-sm">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        {shortcuts.map(([key, what]) => (
          <div key={key} className="contents">
            <dt>
              <kbd className="rounded border border-zinc-300 px-1.5 font-mono dark:border-zinc-700">{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog" className="mt-4 text-right">
        <Button type="submit">Close</Button>
      </form>
    </Dialog>
  );
}
