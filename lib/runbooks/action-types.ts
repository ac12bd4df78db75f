// The kinds of automated action a runbook may declare. The executor knows how to run each one; the
// policy decides whether it may run (REMEDIATION_ALLOWED_ACTIONS narrows this list per installation).
export const actionTypes = ["k8s.rollout_restart", "k8s.scale", "k8s.delete_pod", "http.post"] as const;
export type ActionType = (typeof actionTypes)[number];

export const isActionType = (value: string): value is ActionType => (actionTypes as readonly string[]).includes(value);

/** "k8s.rollout_restart,http.post" -> the types, or an error naming the unknown ones. */
export function parseActionTypeList(text: string): ActionType[] {
  const names = text
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !isActionType(n));
  if (unknown.length > 0)
    throw new Error(
      `unknown action type ${unknown.map((u) => `"${u}"`).join(", ")} (known: ${actionTypes.join(", ")})`,
    );
  return [...new Set(names)] as ActionType[];
}
