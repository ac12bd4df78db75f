// Analytics statements run with their own settings — memory for the percentile sorts, no JIT, a plan made
// for the call's own range — and those settings end with the statement's transaction.
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { runAnalyticsQuery } from "../run-analytics-query";

const t = useTestDatabase();
const settingsNow = sql`select current_setting('work_mem') as work_mem, current_setting('jit') as jit, current_setting('plan_cache_mode') as plan_cache_mode`;

it("sets work_mem, jit and plan_cache_mode for the analytics statement only", async () => {
  expect(await runAnalyticsQuery(t.db, settingsNow)).toEqual([
    { work_mem: "32MB", jit: "off", plan_cache_mode: "force_custom_plan" },
  ]);
  const inCallersTransaction = await t.db.transaction((tx) => runAnalyticsQuery(tx, settingsNow));
  expect(inCallersTransaction).toEqual([{ work_mem: "32MB", jit: "off", plan_cache_mode: "force_custom_plan" }]);
  const [after] = await t.db.execute<{ plan_cache_mode: string; work_mem: string }>(settingsNow);
  expect(after).toMatchObject({ plan_cache_mode: "auto", work_mem: "4MB" });
});
