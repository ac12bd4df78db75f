// One message in the dev inbox: how it was sent, to whom, when, about which incident, and its words (links
// clickable, so an acknowledge link in a page works from here).
import Link from "next/link";
import { LinkedText } from "@/components/ui/linked-text";
import { UtcTime } from "@/components/ui/utc-time";
import type { DevInboxMessage } from "@/lib/dev-inbox/inbox";

const channelLabel: Record<DevInboxMessage["channel"], string> = {
  email: "Email",
  sms: "SMS",
  voice: "Voice call",
  slack: "Slack",
};

const channelTone: Record<DevInboxMessage["channel"], string> = {
  email: "bg-blue-100 text-blue-900 dark:bg-blue-950 dark:text-blue-200",
  sms: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  voice: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  slack: "bg-purple-100 text-purple-900 dark:bg-purple-950 dark:text-purple-200",
};

export function InboxMessage({ message }: { message: DevInboxMessage }) {
  return (
    <li
      data-testid="dev-inbox-message"
      className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
        <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${channelTone[message.channel]}`}>
          {channelLabel[message.channel]}
        </span>
        <span>
          <span className="text-muted">to </span>
          <span className="font-medium">{message.recipient}</span>
        </span>
        {message.incident_ref && (
          <Link href={`/incidents/${message.incident_ref}`} className="text-blue-700 underline dark:text-blue-400">
            {message.incident_ref}
          </Link>
        )}
        <span className="ml-auto text-xs text-muted">
          <UtcTime iso={message.received_at} />
        </span>
      </div>
      {message.subject && <p className="mt-2 font-medium">{message.subject}</p>}
      <p className="mt-2 whitespace-pre-wrap break-words font-mono text-xs leading-relaxed">
        <LinkedText text={message.body} />
      </p>
    </li>
  );
}
