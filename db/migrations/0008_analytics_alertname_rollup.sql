-- Alert noise reads incident_alertnames (db/schema/analytics.ts) instead of every alert and its labels.
-- This trigger keeps it: each new alert row is counted under its incident and alertname, in the same
-- transaction. A re-delivered alert (ON CONFLICT ... DO UPDATE on alerts) is not a new row and is not
-- counted again; alerts are never deleted on their own (only with their incident, which cascades here).
-- The alertname is cut to 200 characters so no label value can push a key past btree's row size limit.
CREATE FUNCTION vigil_count_alertname() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incident_alertnames (incident_id, alertname, incident_created_at, alerts, generator_url)
  SELECT NEW.incident_id, left(coalesce(NEW.labels ->> 'alertname', ''), 200), i.created_at, 1, NEW.generator_url
  FROM incidents i WHERE i.id = NEW.incident_id
  ON CONFLICT (incident_id, alertname) DO UPDATE
    SET alerts = incident_alertnames.alerts + 1,
        generator_url = coalesce(excluded.generator_url, incident_alertnames.generator_url);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER alerts_count_alertname AFTER INSERT ON alerts
  FOR EACH ROW EXECUTE FUNCTION vigil_count_alertname();
--> statement-breakpoint
-- The alerts recorded before this migration.
INSERT INTO incident_alertnames (incident_id, alertname, incident_created_at, alerts, generator_url)
SELECT a.incident_id, left(coalesce(a.labels ->> 'alertname', ''), 200), i.created_at, count(*)::int,
       (array_agg(a.generator_url ORDER BY a.first_received_at DESC) FILTER (WHERE a.generator_url IS NOT NULL))[1]
FROM alerts a JOIN incidents i ON i.id = a.incident_id
GROUP BY 1, 2, 3;
