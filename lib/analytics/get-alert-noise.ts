// Alert noise over the incidents of a range: the false-positive share (a flag responders set, with a
// reason), alerts per incident, the alertnames behind the most incidents (with the rule's Prometheus
// link and their latest incidents), and flapping groups — alert groups that keep opening or reopening
// incidents.
import { sql } from "drizzle-orm";
import { incidentAlertnames, incidents } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import { formatIncidentRef } from "../incidents/ref";
import { countedIncidents } from "./counted-incidents";
import { statsOfFrequencies } from "./duration-stats";
import { runAnalyticsQuery } from "./run-analytics-query";
import { NoiseQuery, type AlertNoise } from "./schemas";
import { shareOf } from "./share";
import { resolveTimeRange } from "./time-range";

const REFS_PER_ALERTNAME = 5;

export async function getAlertNoise({ ctx, input }: VerbArgs<NoiseQuery>): Promise<AlertNoise> {
  authorize(ctx.actor, "analytics.read");
  const query = parseInput(NoiseQuery, input, "query");
  const range = resolveTimeRange(query, ctx.now);
  const counted = countedIncidents(range);

  // Alerts are read through incident_alertnames (one row per incident and alertname, kept by a trigger):
  // a quarter's alerts and their labels would take seconds. Flags are joined at read time, responders
  // change them: the drills and the false positives are small sets, each read from its partial index.
  const rollupInRange = sql`${incidentAlertnames.incidentCreatedAt} >= ${range.from.toISOString()}::timestamptz
    and ${incidentAlertnames.incidentCreatedAt} < ${range.to.toISOString()}::timestamptz
    and ${incidentAlertnames.incidentId} not in (select ${incidents.id} from ${incidents} where ${incidents.excludeFromMetrics})`;
  const [totals, alertnames, perIncident, flapping] = await Promise.all([
    runAnalyticsQuery<{ incidents: number; false_positives: number }>(
      ctx.db,
      sql`
      select count(*)::int as incidents, count(*) filter (where ${incidents.falsePositive})::int as false_positives
      from ${incidents} where ${counted}`,
    ),
    runAnalyticsQuery<{
      alertname: string;
      alerts: number;
      incidents: number;
      false_positives: number;
      generator_url: string | null;
      numbers: number[] | null;
    }>(
      ctx.db,
      sql`
      select noisiest.*,
             (select ${incidentAlertnames.generatorUrl} from ${incidentAlertnames}
              where ${incidentAlertnames.alertname} = noisiest.alertname and ${rollupInRange} and ${incidentAlertnames.generatorUrl} is not null
              order by ${incidentAlertnames.incidentCreatedAt} desc limit 1) as generator_url,
             (select array_agg(${incidents.number} order by ${incidents.number} desc) from ${incidents}
              where ${incidents.id} in (select ${incidentAlertnames.incidentId} from ${incidentAlertnames}
                                        where ${incidentAlertnames.alertname} = noisiest.alertname and ${rollupInRange}
                                        order by ${incidentAlertnames.incidentCreatedAt} desc limit ${REFS_PER_ALERTNAME})) as numbers
      from (select ${incidentAlertnames.alertname} as alertname, sum(${incidentAlertnames.alerts})::int as alerts, count(*)::int as incidents,
                   count(*) filter (where ${incidentAlertnames.incidentId} in (
                     select ${incidents.id} from ${incidents} where ${incidents.falsePositive} and not ${incidents.excludeFromMetrics}))::int as false_positives
            from ${incidentAlertnames} where ${rollupInRange}
            group by 1 order by 3 desc, 2 desc, 1 limit ${query.limit}) noisiest`,
    ),
    // How many incidents had how many alerts: a frequency table, from which the stats follow exactly.
    runAnalyticsQuery<{ alerts: number; incidents: number }>(
      ctx.db,
      sql`
      select alerts, count(*)::int as incidents
      from (select sum(${incidentAlertnames.alerts})::int as alerts from ${incidentAlertnames} where ${rollupInRange}
            group by ${incidentAlertnames.incidentCreatedAt}, ${incidentAlertnames.incidentId}) per_incident
      group by 1`,
    ),
    runAnalyticsQuery<{
      group_key: string;
      incidents: number;
      reopens: number;
      latest: number;
      service: string | null;
      title: string;
    }>(
      ctx.db,
      sql`
      select g.*, latest.service, latest.title
      from (select ${incidents.groupKey} as group_key, count(*)::int as incidents, sum(${incidents.reopenedCount})::int as reopens,
                   max(${incidents.number}) as latest
            from ${incidents} where ${counted} and ${incidents.groupKey} is not null
            group by 1 having count(*) + sum(${incidents.reopenedCount}) >= ${query.min_cycles}
            order by count(*) + sum(${incidents.reopenedCount}) desc, 1 limit ${query.limit}) g
      join ${incidents} latest on latest.number = g.latest
      order by g.incidents + g.reopens desc, g.group_key`,
    ),
  ]);

  const total = totals[0] ?? { incidents: 0, false_positives: 0 };
  const frequencies = perIncident.map((r) => ({ value: r.alerts, count: r.incidents }));
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    incidents: total.incidents,
    false_positives: total.false_positives,
    false_positive_share: shareOf(total.false_positives, total.incidents),
    alerts: frequencies.reduce((sum, f) => sum + f.value * f.count, 0),
    incidents_with_alerts: frequencies.reduce((sum, f) => sum + f.count, 0),
    alerts_per_incident: statsOfFrequencies(frequencies),
    noisiest_alertnames: alertnames.map((r) => ({
      alertname: r.alertname === "" ? null : r.alertname,
      alerts: r.alerts,
      incidents: r.incidents,
      false_positives: r.false_positives,
      generator_url: r.generator_url,
      incident_refs: (r.numbers ?? []).map(formatIncidentRef),
    })),
    flapping_groups: flapping.map((g) => ({
      group_key: g.group_key,
      service: g.service,
      incidents: g.incidents,
      reopens: g.reopens,
      cycles: g.incidents + g.reopens,
      latest_incident_ref: formatIncidentRef(g.latest),
      latest_title: g.title,
    })),
  };
}
