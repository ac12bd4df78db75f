// POST /api/v1/integrations/opsgenie/v2/alerts/{identifier}/close – Opsgenie's close by alias
import { opsgenieRoute } from "@/lib/http/opsgenie-route";

export const POST = opsgenieRoute<{ identifier: string }>(
  "POST /api/v1/integrations/opsgenie/v2/alerts/{identifier}/close",
  ({ identifier }) => ({ kind: "close", identifier }),
);
