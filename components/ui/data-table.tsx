/**
 * A plain table frame: header cells from `columns`, rows as children. A wide table whose rows hold nothing
 * to focus gets a `label`: its frame becomes a named region that takes focus, so arrow keys can scroll it.
 */
export function DataTable({
  columns,
  children,
  empty,
  label,
}: {
  columns: string[];
  children: React.ReactNode;
  empty?: string | false;
  label?: string;
}) {
  const scrollable = label ? { role: "region", "aria-label": label, tabIndex: 0 } : {};
  return (
    <div
      className="overflow-x-auto rounded-lg border border-zinc-200 bg-white outline-offset-2 focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-zinc-800 dark:bg-zinc-900"
      {...scrollable}
    >
      <table className="w-full text-left text-sm">
        <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-muted dark:border-zinc-800">
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col" className="px-3 py-2">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
      </table>
      {empty && <p className="p-6 text-center text-muted">{empty}</p>}
    </div>
  );
}

export const cell = "px-3 py-2";
export const mutedCell = "px-3 py-2 text-zinc-600 dark:text-zinc-400";
