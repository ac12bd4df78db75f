// The lint warnings a schedule or policy save answers (the save still happened): shown where it is edited.
export function LintWarnings({ warnings }: { warnings: { code: string; message: string }[] }) {
  if (warnings.length === 0) return null;
  return (
    <div
      role="status"
      data-testid="lint-warnings"
      className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950"
    >
      <ul className="space-y-1">
        {warnings.map((w, i) => (
          <li key={`${w.code}-${i}`}>
            <span className="font-mono text-xs">{w.code}</span> {w.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
