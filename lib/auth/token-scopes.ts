// What an API token may be used for, within what its role allows. `full`: everything the role allows (every
// token made before scopes). `alerts:write`: only sending alerts to the ingestion doors (Alertmanager's
// webhook, and the alert sources that follow): the token a monitoring system holds can then resolve no
// incident, edit no runbook and request no remediation. Which actions each scope allows is in the one
// permission table, lib/auth/permissions.ts.
export const tokenScopes = ["full", "alerts:write"] as const;
export type TokenScope = (typeof tokenScopes)[number];
