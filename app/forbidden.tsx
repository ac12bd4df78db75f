import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="mx-auto max-w-xl p-12 text-center">
      <h1 className="text-2xl font-semibold">You cannot open this page</h1>
      <p className="mt-2 text-muted">Your role does not allow it. An admin can change your role.</p>
      <Link href="/" className="mt-6 inline-block text-blue-700 underline dark:text-blue-400">
        Back to open incidents
      </Link>
    </div>
  );
}
