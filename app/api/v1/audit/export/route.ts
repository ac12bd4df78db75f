// GET /api/v1/audit/export – the filtered audit log as CSV (admin); same filters as /api/v1/audit
import { auditCsvHeader, auditCsvRow } from "@/lib/audit/audit-csv";
import { listAuditLog } from "@/lib/audit/list-audit-log";
import { untrusted } from "@/lib/context";
import { apiRoute } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";

const MAX_ROWS = 100_000;

export const GET = apiRoute("GET /api/v1/audit/export", async ({ req, ctx }) => {
  const filters = { ...readQuery(req), limit: "1000" };
  const lines = [auditCsvHeader.join(",")];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listAuditLog>> = await listAuditLog({
      ctx,
      input: untrusted({ ...filters, ...(cursor ? { cursor } : {}) }),
    });
    lines.push(...page.data.map(auditCsvRow));
    cursor = page.next_cursor;
  } while (cursor && lines.length <= MAX_ROWS);
  const stamp = ctx.now.toISOString().slice(0, 19).replaceAll(":", "");
  return new Response(`${lines.join("\r\n")}\r\n`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="vigil-audit-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
});
