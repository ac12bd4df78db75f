// GET /api/v1/audit – the audit log, newest first: filters actor, action, resource_type, resource_id, from, to (admin)
import { untrusted } from "@/lib/context";
import { apiRoute, json } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/request";
import { listAuditLog } from "@/lib/audit/list-audit-log";

export const GET = apiRoute("GET /api/v1/audit", async ({ req, ctx }) =>
  json(await listAuditLog({ ctx, input: untrusted(readQuery(req)) })),
);
