"use client";

import { useState } from "react";
import { Button } from "./ui/button";

type Theme = "system" | "light" | "dark";
const next: Record<Theme, Theme> = { system: "dark", dark: "light", light: "system" };

/** Cycles system → dark → light; the choice is a cookie the server reads, so pages render in it. */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  const choose = (t: Theme) => {
    setTheme(t);
    const root = document.documentElement;
    root.classList.remove("light", "dark");
    if (t !== "system") root.classList.add(t);
    document.cookie =
      t === "system" ? "theme=; path=/; max-age=0; samesite=lax" : `theme=${t}; path=/; max-age=31536000; samesite=lax`;
  };
  return (
    <Button intent="quiet" onClick={() => choose(next[theme])} aria-label={`Theme: ${theme}. Switch to ${next[theme]}`}>
      {theme === "dark" ? "☾" : theme === "light" ? "☀" : "◐"}
    </Button>
  );
}
