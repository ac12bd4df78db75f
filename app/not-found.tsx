import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl p-12 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-muted">There is nothing at this address.</p>
      <Link href="/" className="mt-6 inline-block text-blue-700 underline dark:text-blue-400">
        Back to open incidents
      </Link>
    </main>
  );
}
