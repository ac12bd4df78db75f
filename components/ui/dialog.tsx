"use client";

// The app's modal dialog, on the native <dialog> and showModal(): the browser keeps focus and the screen
// reader inside it and closes it on Escape; this adds the title as its name and gives focus back to what
// had it before, whichever way the dialog closed (Escape, a form with method="dialog", or `open` false).
import { useEffect, useId, useRef, type ReactNode } from "react";

export interface DialogProps {
  open: boolean;
  /** Called whenever the dialog closes by itself (Escape, a `method="dialog"` form): set `open` false. */
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
  className?: string;
}

export function Dialog({ open, onClose, title, children, className = "max-w-md" }: DialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const returnFocusTo = useRef<HTMLElement | null>(null);
  const latestOnClose = useRef(onClose);
  useEffect(() => {
    latestOnClose.current = onClose;
  });

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      returnFocusTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      element.showModal();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const onNativeClose = () => {
      returnFocusTo.current?.focus();
      returnFocusTo.current = null;
      latestOnClose.current();
    };
    element.addEventListener("close", onNativeClose);
    return () => element.removeEventListener("close", onNativeClose);
  }, []);

  return (
    <dialog
      ref={dialog}
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      className={`m-auto w-full rounded-lg p-5 backdrop:bg-black/40 dark:bg-zinc-900 dark:text-zinc-100 ${className}`}
    >
      <h2 id={titleId} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
