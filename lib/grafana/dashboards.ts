// The Grafana dashboards shipped in deploy/grafana/dashboards/, as the UI addresses them: stable uids, slugs
// and panel ids (deploy/grafana/dashboards.test.ts checks the JSON agrees). Change an id here and in the
// JSON together: links and embedded panels saved elsewhere depend on them. panel-urls.ts builds the URLs.

export const grafanaDashboards = {
  /** Vigil KPIs: open incidents, time to acknowledge / resolve, noise, notifications, deduplication. */
  kpi: {
    uid: "vigil-kpi",
    slug: "vigil-kpis",
    panels: {
      openBySeverity: 1,
      openByStatus: 2,
      incidentsCreated: 3,
      timeToAcknowledge: 4,
      timeToResolve: 5,
      meanTimeToAcknowledge: 6,
      meanTimeToResolve: 7,
      falsePositivesByService: 8,
      notificationsByChannel: 9,
      notificationLatency: 10,
      jobQueueDepth: 11,
      deduplicationCut: 12,
      alertsAgainstNotifications: 13,
    },
  },
  /** One service (`var-service`): what the incident page embeds next to an incident of that service. */
  service: {
    uid: "vigil-service-overview",
    slug: "vigil-service-overview",
    panels: {
      openIncidents: 1,
      incidentsCreated: 2,
      timeToAcknowledge: 3,
      timeToResolve: 4,
      falsePositives: 5,
      openBySeverity: 6,
    },
  },
} as const;
