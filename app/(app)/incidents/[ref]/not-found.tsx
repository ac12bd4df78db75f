// An incident reference that names no incident (a typo, a number not reached yet, a stale link).
import Link from "next/link";

export default function IncidentNotFound() {
  return (
    <section className="mx-auto max-w-xl p-12 text-center" aria-labelledby="incident-not-found">
      <h1 id="incident-not-found" className="text-2xl font-semibold">
        No such incident
      </h1>
      <p className="mt-2 text-muted">Vigil has no incident with this reference. References look like INC-123.</p>
      <p className="mt-6 space-x-4">
        <Link href="/incidents" className="text-blue-700 underline dark:text-blue-400">
          Search all incidents
        </Link>
        <Link href="/" className="text-blue-700 underline dark:text-blue-400">
          Open incidents
        </Link>
      </p>
    </section>
  );
}
