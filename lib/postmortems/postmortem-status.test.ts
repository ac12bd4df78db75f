import { describe, expect, it } from "vitest";
import { assertEditable, planStatusMove } from "./postmortem-status";

describe("postmortem review states", () => {
  it("moves draft -> in review -> published, with the publish permission for publishing", () => {
    expect(planStatusMove("draft", "in_review")).toEqual({ permission: "postmortem.edit" });
    expect(planStatusMove("in_review", "published")).toEqual({ permission: "postmortem.publish" });
  });

  it("lets a reviewer send it back to draft, and a published one back to review", () => {
    expect(planStatusMove("in_review", "draft")).toEqual({ permission: "postmortem.edit" });
    expect(planStatusMove("published", "in_review")).toEqual({ permission: "postmortem.publish" });
  });

  it("refuses skipping review, saying what is possible", () => {
    expect(() => planStatusMove("draft", "published")).toThrow(
      "A postmortem that is draft can only move to in review, not to published",
    );
    expect(() => planStatusMove("published", "draft")).toThrow(/can only move to in review/);
  });

  it("keeps a published postmortem read-only", () => {
    expect(() => assertEditable("published")).toThrow(/move it back to review/);
    expect(() => assertEditable("in_review")).not.toThrow();
  });
});
