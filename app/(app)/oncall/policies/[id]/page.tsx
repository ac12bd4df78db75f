// /oncall/policies/[id] – an escalation policy's steps and repeats, its warnings, editing for admins, and
// the preview: "an incident for service X at time T would page whom, when"
import Link from "next/link";
import { notFound } from "next/navigation";
import { field } from "@/components/oncall/form-styles";
import { LintWarnings } from "@/components/oncall/lint-warnings";
import { PolicyEditor } from "@/components/oncall/policy-editor";
import { previewPolicy } from "@/components/oncall/policy-preview";
import { Button } from "@/components/ui/button";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { UtcTime } from "@/components/ui/utc-time";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { formatDuration } from "@/lib/format-duration";
import { notificationSettingsIfUsable } from "@/lib/notifications/settings";
import type { StepTarget } from "@/lib/oncall/escalation-policy";
import { listPeople } from "@/lib/oncall/people";
import { getPolicy, listPolicies, targetLookupAt } from "@/lib/oncall/policies";
import { listSchedules } from "@/lib/oncall/schedules";
import { schedulesForService } from "@/lib/oncall/who-is-on-call";
import { pageContext } from "../../../page-context";

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

export default async function PolicyPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pageContext();
  const { id } = await params;
  const query = await searchParams;
  const [policy, people, schedules, policies] = await Promise.all([
    getPolicy({ ctx, input: { id } }).catch((error: unknown) => {
      if (isAppError(error) && (error.code === "not_found" || error.code === "invalid")) notFound();
      throw error;
    }),
    listPeople({ ctx, input: {} }),
    listSchedules({ ctx, input: {} }),
    listPolicies({ ctx, input: {} }),
  ]);
  const names = new Map<string, string>([
    ...people.map((p) => [p.id, p.name] as const),
    ...schedules.map((s) => [s.id, s.name] as const),
  ]);
  const targetText = (t: StepTarget) =>
    t.type === "user"
      ? (names.get(t.user_id) ?? t.user_id)
      : t.type === "schedule"
        ? `on call on ${names.get(t.schedule_id) ?? t.schedule_id}`
        : t.channel;

  // The preview: which policy the service's incident follows (choosePolicy, as the engine), then its walk.
  const service = one(query.service);
  const atText = one(query.at);
  const at = atText && !Number.isNaN(Date.parse(`${atText}:00Z`)) ? new Date(`${atText}:00Z`) : ctx.now;
  const routing = notificationSettingsIfUsable()?.routing;
  const chosen = service && routing ? await schedulesForService(ctx.db, service, routing) : null;
  const previewed = chosen ? policies.find((p) => p.name === chosen.policy) : policy;
  const preview = previewed
    ? await (async () => {
        const definition = { id: previewed.id, name: previewed.name, repeat: previewed.repeat, steps: previewed.steps };
        return previewPolicy(definition, at, (t) => targetLookupAt(ctx.db, [definition], t));
      })()
    : null;
  return (
    <section aria-labelledby="policy-title" className="space-y-6">
      <div className="space-y-1">
        <h1 id="policy-title" className="text-xl font-semibold">
          {policy.name}
        </h1>
        <p className="text-sm text-muted">
          {policy.is_default ? "The default policy · " : ""}
          {policy.team ? `team ${policy.team} · ` : ""}runs {policy.repeat + 1} time{policy.repeat ? "s" : ""} (repeat{" "}
          {policy.repeat}){policy.description && ` · ${policy.description}`}
        </p>
      </div>
      <LintWarnings warnings={policy.warnings} />
      <DataTable columns={["Step", "Pages", "Delivery", "Then waits"]}>
        {policy.steps.map((step, i) => (
          <tr key={i} data-testid="policy-step">
            <td className={mutedCell}>{i + 1}</td>
            <td className={cell}>{step.targets.map(targetText).join(", ")}</td>
            <td className={mutedCell}>
              {step.delivery === "round_robin" ? "one of them, in turn (round robin)" : "everyone"}
            </td>
            <td className={mutedCell}>{formatDuration(step.delay_minutes * 60_000)}</td>
          </tr>
        ))}
      </DataTable>

      <div className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 className="font-semibold">Preview</h2>
        <form aria-label="Preview" className="flex flex-wrap items-end gap-3" method="get">
          <label className="text-sm font-medium">
            An incident for service (empty: this policy)
            <input
              name="service"
              defaultValue={service ?? ""}
              placeholder="checkout"
              className={`mt-1 block ${field}`}
            />
          </label>
          <label className="text-sm font-medium">
            At (UTC; empty: now)
            <input name="at" type="datetime-local" defaultValue={atText ?? ""} className={`mt-1 block ${field}`} />
          </label>
          <Button type="submit">Preview</Button>
        </form>
        <div data-testid="policy-preview" className="space-y-1 text-sm">
          {service && !routing && <p>The routing file is not loaded, so the policy for a service is unknown.</p>}
          {chosen && (
            <p>
              An incident for <b>{service}</b> follows{" "}
              {previewed ? (
                <Link href={`/oncall/policies/${previewed.id}`} className="underline">
                  {previewed.name}
                </Link>
              ) : (
                "no policy"
              )}
              {chosen.source && ` (${chosen.source === "default" ? "the default policy" : "its routing rule"})`}.
            </p>
          )}
          {preview && (
            <ol className="list-inside list-decimal space-y-1">
              {preview.pages.map((page) => (
                <li key={`${page.pass}-${page.step}`} data-testid="preview-page">
                  {page.skipped.map((s) => (
                    <span key={`${s.pass}-${s.step}`} className="block text-muted">
                      Step {s.step + 1} skipped: {s.reason}
                    </span>
                  ))}
                  At <UtcTime iso={page.at} /> (+{formatDuration(Date.parse(page.at) - at.getTime(), "minute")}), step{" "}
                  {page.step + 1}
                  {page.pass > 0 && ` (repeat ${page.pass})`} pages{" "}
                  <b>
                    {[...page.people.map((p) => names.get(p.userId) ?? p.userId), ...page.slackChannels].join(", ")}
                  </b>
                </li>
              ))}
              {preview.pages.length === 0 && <li>Nobody would be paged: every step is empty at that time.</li>}
            </ol>
          )}
        </div>
      </div>
      {can(ctx.actor.role, "oncall.manage") && <PolicyEditor policy={policy} />}
    </section>
  );
}
