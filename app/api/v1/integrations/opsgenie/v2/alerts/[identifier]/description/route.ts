// PUT /api/v1/integrations/opsgenie/v2/alerts/{identifier}/description – Opsgenie's update description by alias
// (Alertmanager's opsgenie_configs send it with update_alerts: true)
import { opsgenieRoute } from "@/lib/http/opsgenie-route";

export const PUT = opsgenieRoute<{ identifier: string }>(
  "PUT /api/v1/integrations/opsgenie/v2/alerts/{identifier}/description",
  ({ identifier }) => ({ kind: "description", identifier }),
);
