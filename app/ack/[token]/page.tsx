// /ack/<token> – the confirm page of a page's acknowledge link (lib/escalation/ack-links.ts). Outside the
// signed-in app: the token is the credential (proxy.ts lets /ack/ through). Opening it only reads, since
// mail scanners and link previews open every link; the button's POST (a server action, which Next only
// takes from a same-origin form) acknowledges, as the person the link was sent to.
import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { Button } from "@/components/ui/button";
import { SeverityBadge } from "@/components/ui/severity-badge";
import { StatusBadge } from "@/components/ui/status-badge";
import { utcStamp } from "@/components/ui/utc-time";
import { describeAckLink, redeemAckLink, type AckLinkView, type RedeemOutcome } from "@/lib/escalation/redeem-ack-link";
import { clientIp } from "@/lib/http/request";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Acknowledge", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

async function acknowledgeAction(formData: FormData) {
  "use server";
  const token = String(formData.get("token") ?? "");
  const ip = clientIp(new Request("http://localhost/", { headers: await headers() }));
  const result = await redeemAckLink(getRuntime().database.db, { token, now: new Date(), ip });
  // Back to the page (a GET, so a reload does not post again), which tells how it went.
  redirect(`/ack/${encodeURIComponent(token)}?outcome=${result.outcome}`);
}

const outcomes = new Set<RedeemOutcome["outcome"]>(["acknowledged", "already_acknowledged"]);

export default async function AckPage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ outcome?: string }>;
}) {
  const { token } = await params;
  const { outcome } = await searchParams;
  const view = await describeAckLink(getRuntime().database.db, token, new Date());
  const justDone = outcomes.has(outcome as RedeemOutcome["outcome"]) ? outcome : undefined;
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-4 px-4">
      <h1 className="text-2xl font-semibold tracking-tight">{heading(view, justDone)}</h1>
      {view.state === "unknown" ? (
        <p data-testid="ack-explanation">
          This acknowledge link is not valid: it may have been cut off or mistyped. Open Vigil to acknowledge the
          incident there.
        </p>
      ) : (
        <>
          <IncidentCard view={view} />
          <p data-testid="ack-explanation">{explanation(view, justDone)}</p>
          {canPress(view) && (
            <form action={acknowledgeAction}>
              <input type="hidden" name="token" value={token} />
              <Button type="submit" intent="primary" className="w-full">
                Acknowledge {view.incident.ref}
              </Button>
            </form>
          )}
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            <a href={`/incidents/${view.incident.ref}`} className="underline">
              Open {view.incident.ref} in Vigil
            </a>{" "}
            (sign-in needed).
          </p>
        </>
      )}
    </main>
  );
}

type KnownLink = Exclude<AckLinkView, { state: "unknown" }>;

const canPress = (view: KnownLink) =>
  view.state === "ready" && view.incident.status === "open" && !view.person.disabled && view.person.role !== "viewer";

function heading(view: AckLinkView, justDone: string | undefined): string {
  if (view.state === "unknown") return "Unknown acknowledge link";
  if (justDone === "acknowledged") return `You acknowledged ${view.incident.ref}`;
  if (view.state === "expired") return "This acknowledge link has expired";
  if (view.state === "used") return "This acknowledge link was already used";
  return canPress(view) ? `Acknowledge ${view.incident.ref}?` : `${view.incident.ref} cannot be acknowledged here`;
}

const methodWords: Record<KnownLink["method"], string> = {
  email: "by email",
  sms: "by SMS",
  voice: "by voice call",
  slack: "on Slack",
};

function IncidentCard({ view }: { view: KnownLink }) {
  const { incident, person } = view;
  return (
    <section
      aria-label="Incident"
      className="rounded border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <p className="flex items-center gap-2 text-sm">
        <span className="font-mono font-semibold">{incident.ref}</span>
        <SeverityBadge severity={incident.severity} />
        <StatusBadge status={incident.status} />
      </p>
      <p className="mt-2 font-medium">{incident.title}</p>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        Paged to {person.name} {methodWords[view.method]} ({view.address}).
      </p>
    </section>
  );
}

function explanation(view: KnownLink, justDone: string | undefined): string {
  const { incident, person } = view;
  const ackedBy = incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : "";
  if (justDone === "acknowledged")
    return `${incident.ref} is acknowledged as ${person.name}: its escalation stops and nobody else is paged for it.`;
  if (view.state === "used")
    return `It was used at ${utcStamp(view.usedAt!.toISOString())}${incident.status === "open" ? "" : `; ${incident.ref} is ${incident.status}${incident.status === "acknowledged" ? ackedBy : ""}`}. Each link acknowledges once.`;
  if (view.state === "expired")
    return `It expired at ${utcStamp(view.expiresAt.toISOString())}. Acknowledge ${incident.ref} in Vigil instead.`;
  if (person.disabled) return `${person.name}'s Vigil account is disabled, so this link cannot acknowledge.`;
  if (person.role === "viewer")
    return `${person.name} is a viewer in Vigil, and a viewer cannot acknowledge incidents. Ask an admin for the responder role.`;
  if (incident.status === "resolved") return `${incident.ref} is already resolved: there is nothing to acknowledge.`;
  if (incident.status !== "open") return `${incident.ref} is already ${incident.status}${ackedBy}.`;
  return `Acknowledging tells everyone you have it, as ${person.name}, and stops the escalation: nobody else is paged for it. Opening this page changed nothing.`;
}
