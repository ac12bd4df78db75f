"use client";

// The app's buttons: one look per intent, keyboard focus always visible. Boxed intents are actions;
// text intents sit in a sentence or a table row; `toggle` is a filter chip whose state is aria-pressed.
import type { ButtonHTMLAttributes } from "react";
import { useHydrated } from "../use-hydrated";

const boxed = {
  primary: "bg-zinc-900 text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300",
  danger: "bg-red-700 text-white hover:bg-red-800",
  secondary:
    "border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800",
  ghost: "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
  toggle:
    "flex items-center gap-1.5 border border-zinc-300 text-zinc-900 hover:bg-zinc-100 aria-pressed:border-zinc-900 aria-pressed:bg-zinc-900 aria-pressed:text-white dark:border-zinc-700 dark:text-zinc-100 dark:hover:bg-zinc-800 dark:aria-pressed:border-zinc-100 dark:aria-pressed:bg-zinc-100 dark:aria-pressed:text-zinc-900",
} as const;

const text = {
  link: "text-blue-700 underline dark:text-blue-400",
  "danger-link": "text-red-700 hover:underline dark:text-red-400",
  quiet: "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
} as const;

export type ButtonIntent = keyof typeof boxed | keyof typeof text;

export function Button({
  intent = "secondary",
  size = "md",
  className = "",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { intent?: ButtonIntent; size?: "sm" | "md" }) {
  // A click handler exists only once React has hydrated; until then the button says so by being disabled
  // rather than swallowing the click (a form's submit button works without JavaScript and stays enabled).
  const hydrated = useHydrated();
  const look =
    intent in text
      ? `${text[intent as keyof typeof text]} ${size === "sm" ? "text-xs" : "text-sm"}`
      : `${boxed[intent as keyof typeof boxed]} ${size === "sm" ? "px-2 py-0.5 text-xs" : "px-3 py-1.5 text-sm"}`;
  return (
    <button
      type="button"
      {...props}
      disabled={props.disabled || (props.onClick !== undefined && !hydrated)}
      className={`rounded font-medium outline-offset-2 focus-visible:outline-2 focus-visible:outline-blue-600 disabled:opacity-50 ${look} ${className}`}
    />
  );
}
