// The review states of a postmortem: draft -> in review -> published. A reviewer may send it back to
// draft; a published one goes back to review (to correct it) before anyone edits it again. Moves into
// or out of "published" need the publish permission; the others, the edit permission.
import type { Action } from "../auth/permissions";
import { conflict } from "../errors";

export const postmortemStatuses = ["draft", "in_review", "published"] as const;
export type PostmortemStatus = (typeof postmortemStatuses)[number];

const allowedMoves: Record<PostmortemStatus, readonly PostmortemStatus[]> = {
  draft: ["in_review"],
  in_review: ["draft", "published"],
  published: ["in_review"],
};

const label = (status: PostmortemStatus) => status.replace("_", " ");

/** The permission a move needs; a move the states do not allow is a conflict that says what is possible. */
export function planStatusMove(from: PostmortemStatus, to: PostmortemStatus): { permission: Action } {
  if (!allowedMoves[from].includes(to)) {
    const options = allowedMoves[from].map(label).join(" or ");
    throw conflict(
      from === to
        ? `The postmortem is already ${label(to)}`
        : `A postmortem that is ${label(from)} can only move to ${options}, not to ${label(to)}`,
    );
  }
  return { permission: from === "published" || to === "published" ? "postmortem.publish" : "postmortem.edit" };
}

/** People edit drafts and postmortems in review; a published one is the record, changed only via review. */
export function assertEditable(status: PostmortemStatus): void {
  if (status === "published") throw conflict("The postmortem is published: move it back to review to change it");
}
