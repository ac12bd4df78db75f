// The incident lifecycle as a pure function: given the current state and a requested move, say what
// changes, or why it cannot happen. open -> acknowledged -> investigating -> resolved; skipping forward
// is allowed; going back is not, except resolved -> open, which only `reopen` does.
import { conflict } from "../errors";

export const incidentStatuses = ["open", "acknowledged", "investigating", "resolved"] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

const rank: Record<IncidentStatus, number> = { open: 0, acknowledged: 1, investigating: 2, resolved: 3 };

export interface LifecycleState {
  status: IncidentStatus;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  reopenedCount: number;
}

export type LifecycleMove =
  { type: "acknowledge" } | { type: "set_status"; status: IncidentStatus } | { type: "resolve" } | { type: "reopen" };

export type LifecyclePlan =
  | { changed: false; reason: string }
  | { changed: true; from: IncidentStatus; to: IncidentStatus; patch: Partial<LifecycleState> };

export function planLifecycleMove(state: LifecycleState, move: LifecycleMove, now: Date): LifecyclePlan {
  const target = targetOf(move);
  const from = state.status;

  if (move.type === "reopen") {
    if (from !== "resolved") throw conflict(`Only a resolved incident can be reopened; this one is ${from}`);
    return {
      changed: true,
      from,
      to: "open",
      patch: { status: "open", resolvedAt: null, reopenedCount: state.reopenedCount + 1 },
    };
  }
  if (target === "open") {
    throw conflict(
      from === "resolved"
        ? "A resolved incident returns to open only by being reopened"
        : `An incident cannot go back from ${from} to open`,
    );
  }
  if (from === target) return { changed: false, reason: `already ${from}` };
  // Acknowledging something already past acknowledgement is a harmless repeat, not a mistake.
  if (move.type === "acknowledge" && from === "investigating")
    return { changed: false, reason: "already investigating" };
  if (from === "resolved") throw conflict(`The incident is resolved; reopen it before marking it ${target}`);
  if (rank[target] < rank[from]) throw conflict(`An incident cannot go back from ${from} to ${target}`);

  const patch: Partial<LifecycleState> = { status: target };
  // acknowledged_at is set once, by the first move that means "a person has it".
  if (state.acknowledgedAt === null && (target === "acknowledged" || target === "investigating"))
    patch.acknowledgedAt = now;
  if (target === "resolved") patch.resolvedAt = now;
  return { changed: true, from, to: target, patch };
}

function targetOf(move: LifecycleMove): IncidentStatus {
  switch (move.type) {
    case "acknowledge":
      return "acknowledged";
    case "resolve":
      return "resolved";
    case "reopen":
      return "open";
    case "set_status":
      return move.status;
  }
}

export const isActive = (status: IncidentStatus) => status !== "resolved";
