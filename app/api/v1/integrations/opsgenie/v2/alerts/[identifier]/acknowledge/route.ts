// POST /api/v1/integrations/opsgenie/v2/alerts/{identifier}/acknowledge – Opsgenie's acknowledge by alias
import { opsgenieRoute } from "@/lib/http/opsgenie-route";

export const POST = opsgenieRoute<{ identifier: string }>(
  "POST /api/v1/integrations/opsgenie/v2/alerts/{identifier}/acknowledge",
  ({ identifier }) => ({ kind: "acknowledge", identifier }),
);
