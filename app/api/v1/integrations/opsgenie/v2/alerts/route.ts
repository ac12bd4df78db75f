// POST /api/v1/integrations/opsgenie/v2/alerts – Opsgenie's create alert (Authorization: GenieKey <secret>)
import { opsgenieRoute } from "@/lib/http/opsgenie-route";

export const POST = opsgenieRoute("POST /api/v1/integrations/opsgenie/v2/alerts", () => ({ kind: "create" }));
