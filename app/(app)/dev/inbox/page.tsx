// /dev/inbox – what Vigil sent while `npm start` had no vendor settings: email, SMS, voice calls and Slack
// messages, newest first, refreshed every few seconds. Not there (404) outside the dev inbox.
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/dev-inbox/auto-refresh";
import { InboxMessage } from "@/components/dev-inbox/inbox-message";
import { listDevInboxMessages } from "@/lib/dev-inbox/inbox";
import { getRuntime } from "@/lib/runtime";
import { pageContext } from "../../page-context";

export const metadata = { title: "Dev inbox" };

export default async function DevInboxPage() {
  if (!getRuntime().config.devInbox) notFound();
  const ctx = await pageContext();
  const messages = await listDevInboxMessages({ ctx, input: {} });
  return (
    <section aria-labelledby="dev-inbox-title" className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 id="dev-inbox-title" className="text-xl font-semibold">
          Dev inbox
        </h1>
        <AutoRefresh />
      </div>
      <p className="max-w-3xl text-sm text-muted">
        <code>npm start</code> found no vendor settings for these channels, so what Vigil sends lands here instead of at
        Twilio, Slack or a mail server: the same messages, sent the same way. Set <code>SMTP_URL</code>,{" "}
        <code>SMS_*</code> or <code>SLACK_BOT_TOKEN</code> to send for real.
      </p>
      {messages.length === 0 ? (
        <div
          data-testid="dev-inbox-empty"
          className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-muted dark:border-zinc-700"
        >
          <p className="font-medium text-zinc-900 dark:text-zinc-100">Nothing has been sent yet.</p>
          <p className="mt-1">
            Pages (SMS, email, voice calls) to the people on call and incident cards for Slack show up here the moment
            they are sent. Fire a test alert (README, &ldquo;See a page arrive&rdquo;) and watch it arrive.
          </p>
        </div>
      ) : (
        <ol className="space-y-3" aria-label="Messages, newest first">
          {messages.map((m) => (
            <InboxMessage key={m.id} message={m} />
          ))}
        </ol>
      )}
    </section>
  );
}
