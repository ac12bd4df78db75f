// The app's buttons: one look per intent, keyboard focus always visible.
import type { ButtonHTMLAttributes } from "react";

const styles = {
  primary: "bg-zinc-900 text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300",
  danger: "bg-red-700 text-white hover:bg-red-800",
  secondary:
    "border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800",
  ghost: "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
} as const;

export function Button({
  intent = "secondary",
  size = "md",
  className = "",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { intent?: keyof typeof styles; size?: "sm" | "md" }) {
  const sizing = size === "sm" ? "px-2 py-0.5 text-xs" : "px-3 py-1.5 text-sm";
  return (
    <button
      type="button"
      {...props}
      className={`rounded font-medium outline-offset-2 focus-visible:outline-2 focus-visible:outline-blue-600 disabled:opacity-50 ${sizing} ${styles[intent]} ${className}`}
    />
  );
}
