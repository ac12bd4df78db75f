import type { Severity } from "@/lib/incidents/schemas";

const styles: Record<Severity, string> = {
  P0: "bg-red-700 text-white",
  P1: "bg-red-600 text-white",
  P2: "bg-orange-700 text-white",
  P3: "bg-amber-200 text-amber-950",
  P4: "bg-zinc-200 text-zinc-800",
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`inline-block rounded px-1.5 py-0.5 font-mono text-xs font-semibold ${styles[severity]}`}>
      {severity}
    </span>
  );
}
