// The incidents the list benchmarks seed: N realistic rows in one statement (bench/README.md describes the mix).
import { services, sqlArray } from "./support";

const titleTemplates = [
  "High error rate on %s",
  "Elevated p95 latency on %s",
  "%s pods crash looping",
  "Disk usage above 85%% on %s hosts",
  "Synthetic check failing for %s",
  "Queue backlog growing in %s",
  "TLS certificate for %s expires in 14 days",
  "Deploy of %s rolled back",
];

/**
 * One statement, all in PostgreSQL. Per row: severity P0 1% / P1 4% / P2 10% / P3 35% / P4 50%; status
 * resolved 95% / open 2% / acknowledged 1.5% / investigating 1.5%; a service picked with weight falling
 * off along the list (index = floor(40·r²): the first one gets ~16%) and its team; created_at rising with
 * the row (so with the identity `number`) across the last 365 days; detected_at 0–10 min earlier;
 * acknowledged_at/resolved_at as the status implies. The random() columns sit behind OFFSET 0 so each is
 * drawn once per row and the derived columns agree with each other.
 */
export const seedIncidentsSql = `
insert into incidents (title, description, severity, status, service, team, labels, detected_at, created_at, updated_at,
                       acknowledged_at, resolved_at, resolution_note, false_positive)
select format((${sqlArray(titleTemplates)})[1 + floor(r_title * ${titleTemplates.length})::int], svc),
       case when r_desc < 0.3 then 'Raised by alert rule; see the runbook for ' || svc || '.' end,
       sev::incident_severity,
       st::incident_status,
       svc,
       (${sqlArray(services.map(([, team]) => team))})[svc_i],
       '{}'::jsonb,
       created - r_detect * interval '10 minutes',
       created,
       coalesce(resolved, acked, created),
       acked,
       resolved,
       case when resolved is not null then 'Mitigated; follow-up tracked in the postmortem.' end,
       resolved is not null and r_fp < 0.03
from (
  select *, (${sqlArray(services.map(([service]) => service))})[svc_i] as svc,
         case when st = 'open' or (st = 'resolved' and r_ack < 0.1) then null
              else created + (30 + r_ack * 1800) * interval '1 second' end as acked,
         case when st = 'resolved' then created + (300 + r_res * 28800) * interval '1 second' end as resolved
  from (
    select *,
           case when r_sev < 0.01 then 'P0' when r_sev < 0.05 then 'P1' when r_sev < 0.15 then 'P2'
                when r_sev < 0.50 then 'P3' else 'P4' end as sev,
           case when r_st < 0.02 then 'open' when r_st < 0.035 then 'acknowledged'
                when r_st < 0.05 then 'investigating' else 'resolved' end as st,
           1 + least(floor(${services.length} * r_svc * r_svc)::int, ${services.length - 1}) as svc_i,
           now() - interval '365 days' * ((n - g + r_created) / n) as created
    from (
      select g, $1::int::float8 as n, random() as r_sev, random() as r_st, random() as r_svc, random() as r_title,
             random() as r_desc, random() as r_detect, random() as r_ack, random() as r_res, random() as r_fp,
             random() as r_created
      from generate_series(1, $1::int) as g
      offset 0
    ) raw
  ) picked
) derived
order by g`;
