// /runbooks/high-error-rate/history – every version, newest first: who made it, from Git or in the app,
// and what it changed.
import Link from "next/link";
import { notFound } from "next/navigation";
import { VersionDiffView } from "@/components/runbooks/version-diff-view";
import { TimeAgo } from "@/components/runbooks/time-ago";
import { isAppError } from "@/lib/errors";
import { getRunbook, listRunbookVersions } from "@/lib/runbooks/read-runbooks";
import { versionDiff } from "@/lib/runbooks/version-diff";
import { pageContext } from "../../../page-context";

export const metadata = { title: "Runbook history" };

export default async function RunbookHistoryPage({ params }: { params: Promise<{ slug: string }> }) {
  const ctx = await pageContext();
  const { slug } = await params;
  const [runbook, versions] = await Promise.all([
    getRunbook({ ctx, input: { slug } }),
    listRunbookVersions({ ctx, input: { slug } }),
  ]).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  return (
    <section aria-labelledby="history" className="space-y-4">
      <p className="text-sm">
        <Link href={`/runbooks/${runbook.slug}`} className="text-blue-700 underline dark:text-blue-400">
          {runbook.title}
        </Link>
      </p>
      <h1 id="history" className="text-xl font-semibold">
        History of {runbook.title}
      </h1>
      <ol className="space-y-6">
        {versions.map((v, i) => (
          <li key={v.version} className="space-y-2" data-testid="runbook-version-entry">
            <h2 className="text-sm">
              <span className="font-semibold">Version {v.version}</span> by {v.author.name} (
              {v.source === "file" ? "from Git" : v.source === "kubernetes" ? "from Kubernetes" : "in Vigil"}),{" "}
              <TimeAgo iso={v.created_at} now={ctx.now} />
            </h2>
            <VersionDiffView lines={versionDiff(versions[i + 1]?.markdown ?? "", v.markdown)} />
          </li>
        ))}
      </ol>
    </section>
  );
}
