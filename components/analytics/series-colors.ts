// Chart colours: severities in the badges' colours, other groups from a fixed palette in key order, so a
// service keeps its colour across the page's charts.
const severityColors: Record<string, string> = {
  P0: "#b91c1c",
  P1: "#dc2626",
  P2: "#f97316",
  P3: "#eab308",
  P4: "#a1a1aa",
};
const palette = [
  "#2563eb",
  "#16a34a",
  "#9333ea",
  "#0891b2",
  "#ea580c",
  "#db2777",
  "#65a30d",
  "#4f46e5",
  "#0d9488",
  "#ca8a04",
  "#64748b",
  "#be123c",
];

export function seriesColor(key: string, index: number): string {
  return severityColors[key] ?? palette[index % palette.length]!;
}
