import path from "node:path";
import { RuleTester } from "eslint";
import tseslint from "typescript-eslint";
import { describe, it } from "vitest";
import { oneWriter } from "./one-writer.mjs";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const options = [
  {
    incidents: { methods: ["update"], writers: ["lib/incidents/record-incident-change.ts"], why: "one write path" },
    notifications: { methods: ["insert"], writers: ["lib/notifications/plan-notifications.ts"] },
  },
];
const at = (file: string) => path.join(process.cwd(), file);

describe("one-writer", () => {
  tester.run("one-writer", oneWriter, {
    valid: [
      {
        code: "await tx.update(incidents).set({ title }).where(w);",
        filename: at("lib/incidents/record-incident-change.ts"),
        options,
      },
      // Other tables, other methods on a guarded one, reads.
      { code: "await tx.update(alerts).set({ status });", filename: at("lib/alerts/x.ts"), options },
      { code: "await db.insert(incidents).values(v);", filename: at("lib/alerts/x.ts"), options },
      { code: "await db.select().from(incidents);", filename: at("lib/alerts/x.ts"), options },
      // Prose is not a write, nor is a string that reads like one.
      {
        code: "// update(incidents) here would bypass the timeline\nconst s = 'update(incidents)';",
        filename: at("lib/x.ts"),
        options,
      },
      {
        code: "await db.insert(notifications).values(v);",
        filename: at("lib/notifications/plan-notifications.ts"),
        options,
      },
    ],
    invalid: [
      {
        code: "await tx.update(incidents).set({ runbookUrl }).where(w);",
        filename: at("lib/alerts/ingest.ts"),
        options,
        errors: [
          {
            messageId: "outsideWriter",
            data: {
              method: "update",
              table: "incidents",
              writers: "lib/incidents/record-incident-change.ts",
              why: "one write path",
            },
          },
        ],
      },
      {
        code: "await this.ctx.db.update(incidents).set(patch);",
        filename: at("lib/slack-bot/job.ts"),
        options,
        errors: [{ messageId: "outsideWriter" }],
      },
      {
        code: "const card = tx.insert(notifications).values(v).returning();",
        filename: at("lib/slack-bot/incident-channel-job.ts"),
        options,
        errors: [{ messageId: "outsideWriter" }],
      },
    ],
  });
});
