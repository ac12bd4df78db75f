"use client";
// Edit an escalation policy (admins): name, repeat, default, and its steps as JSON (delay_minutes, targets,
// delivery), as the API takes them. The server names any failing field; the save's warnings are shown.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { EscalationPolicyDto } from "@/lib/oncall/policies";
import { ApiError, callApi } from "../api-client";
import { Button } from "../ui/button";
import { field } from "./form-styles";
import { LintWarnings } from "./lint-warnings";

function readSteps(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError("Steps must be JSON: a list of steps", 400, [{ path: "steps", message: "not JSON" }]);
  }
}

export function PolicyEditor({ policy }: { policy: EscalationPolicyDto }) {
  const router = useRouter();
  const save = useMutation({
    mutationFn: (data: FormData) =>
      callApi<EscalationPolicyDto>(`/api/v1/escalation-policies/${policy.id}`, {
        method: "PUT",
        body: {
          name: data.get("name"),
          description: policy.description,
          team: policy.team,
          repeat: Number(data.get("repeat")),
          is_default: data.get("is_default") === "on",
          steps: readSteps(String(data.get("steps"))),
        },
      }),
    onSuccess: () => router.refresh(),
  });
  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors : [];
  return (
    <div className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 className="font-semibold">Edit policy</h2>
      <form
        aria-label="Edit policy"
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(new FormData(e.currentTarget));
        }}
      >
        <div className="flex flex-wrap items-end gap-3">
          <label className="text-sm font-medium">
            Name
            <input name="name" required defaultValue={policy.name} className={`mt-1 block ${field}`} />
          </label>
          <label className="text-sm font-medium">
            Repeat (0-9)
            <input
              name="repeat"
              type="number"
              min={0}
              max={9}
              defaultValue={policy.repeat}
              className={`mt-1 block w-20 ${field}`}
            />
          </label>
          <label className="inline-flex items-center gap-2 text-sm font-medium">
            <input name="is_default" type="checkbox" defaultChecked={policy.is_default} /> Default policy
          </label>
        </div>
        <label className="block text-sm font-medium">
          Steps (JSON: delay_minutes, targets of type user / schedule / slack_channel, delivery everyone or round_robin)
          <textarea
            name="steps"
            rows={10}
            defaultValue={JSON.stringify(policy.steps, null, 2)}
            className={`mt-1 block w-full font-mono text-xs ${field}`}
          />
        </label>
        <Button type="submit" intent="primary" disabled={save.isPending}>
          Save policy
        </Button>
      </form>
      {save.error && (
        <div role="alert" className="text-sm text-red-700 dark:text-red-400">
          <p>{save.error.message}</p>
          <ul>
            {fieldErrors.map((f) => (
              <li key={f.path}>
                <span className="font-mono text-xs">{f.path}</span>: {f.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {save.data && <LintWarnings warnings={save.data.warnings} />}
    </div>
  );
}
