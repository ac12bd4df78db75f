export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading" className="space-y-2">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="h-9 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      ))}
    </div>
  );
}
