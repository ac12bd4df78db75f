// Where each kind of integration sends, for the admin pages and the docs.
import type { IntegrationKind } from "./integration-options";

const endpoints: Record<IntegrationKind, string> = {
  alertmanager: "POST /api/v1/webhooks/alertmanager (Bearer secret)",
  pagerduty: "POST /api/v1/integrations/pagerduty/v2/enqueue (routing_key = secret)",
  grafana: "POST /api/v1/integrations/grafana (Basic or Authorization: <scheme> secret)",
  opsgenie: "/api/v1/integrations/opsgenie/ as api_url (Authorization: GenieKey secret)",
  webhook: "POST /api/v1/integrations/webhook (Bearer secret)",
  heartbeat: "POST /api/v1/integrations/heartbeat (Bearer secret)",
};

export const integrationEndpoint = (kind: IntegrationKind) => endpoints[kind];
