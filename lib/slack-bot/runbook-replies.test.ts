import { describe, expect, it } from "vitest";
import type { RemediationRun } from "../remediation/schemas";
import { approvalRequest, markdownToMrkdwn, requestedReply } from "./runbook-replies";

const run: RemediationRun = {
  id: "6f9619ff-8b86-4011-b42d-00cf4fc964ff",
  incident_id: null,
  runbook: "database-connections-exhausted",
  runbook_version: 1,
  action_id: "restart-pooler",
  action_type: "k8s.rollout_restart",
  target: "deployment data/pgbouncer",
  params: {},
  status: "pending_approval",
  reason: "needs approval: the runbook marks this action as needing approval",
  dry_run: false,
  automatic: false,
  requested_by: { type: "slack", id: "u1", name: "Bob" },
  requested_at: "2026-11-28T06:00:00.000Z",
  decided_by: null,
  decided_at: null,
  started_at: null,
  finished_at: null,
  attempts: 0,
  output: null,
};

describe("runbook replies", () => {
  it("turn markdown into Slack's mrkdwn: headings, bold, links, bullets, escaped brackets", () => {
    expect(
      markdownToMrkdwn("## Immediate Checks\n- **Who** holds <connections> & why: [docs](https://pg.example/x)"),
    ).toBe("*Immediate Checks*\n• *Who* holds &lt;connections&gt; &amp; why: <https://pg.example/x|docs>");
  });

  it("link only http(s) URLs from a runbook, with nothing in the URL that could end the link early", () => {
    expect(
      markdownToMrkdwn("[run me](javascript:steal%28%29) [me too](file:///etc/passwd) [relative](/runbooks)"),
    ).toBe("run me me too relative");
    expect(markdownToMrkdwn("[docs](https://pg.example/a|Click&here)")).toBe(
      "<https://pg.example/a%7CClick&amp;here|docs>",
    );
  });

  it("turn a hostile runbook body into mrkdwn in milliseconds", () => {
    // Each of these backtracked for seconds in the old patterns: a long heading, unclosed links, blank lines before a bullet.
    const body = [
      `## x${" ".repeat(5_000)}y`,
      "[a](".repeat(20_000),
      "[".repeat(50_000),
      `${" \n".repeat(20_000)}- item`,
    ].join("\n");
    const started = performance.now();
    const mrkdwn = markdownToMrkdwn(body);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(mrkdwn.startsWith(`*x${" ".repeat(5_000)}y*`)).toBe(true);
    expect(mrkdwn.endsWith("\n• item")).toBe(true);
  });

  it("ask for approval with Approve (confirmed) and Reject buttons carrying the run id", () => {
    const message = approvalRequest(run, "Restart the connection pooler", "INC-7", "https://vigil.example.com");
    expect(message.text).toBe(
      "Approval needed for INC-7: Restart the connection pooler on deployment data/pgbouncer, requested by Bob",
    );
    const actions = message.blocks.find((b) => b.type === "actions");
    expect(actions).toMatchObject({
      block_id: `remediation:${run.id}`,
      elements: [
        {
          action_id: "remediation_approve",
          value: run.id,
          style: "primary",
          confirm: { confirm: { text: "Approve" } },
        },
        { action_id: "remediation_reject", value: run.id, style: "danger" },
      ],
    });
  });

  it("say what a request came to, and what happens next", () => {
    expect(requestedReply(run, "INC-7", "Restart the connection pooler", "https://vigil.example.com")).toMatchObject({
      replace_original: true,
      text: expect.stringMatching(
        /⏳ waiting for approval\. needs approval: .* An admin can approve it in Vigil or with the buttons in the incident's Slack thread\.$/,
      ),
    });
  });
});
