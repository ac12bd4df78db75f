-- The alertname rollup of 0008, kept per statement instead of per row: an alert storm's delivery inserts
-- twenty alerts in one statement, and the row trigger ran twenty times, each an upsert of the same
-- incident_alertnames row (twenty row versions). Now the statement's new rows are counted once per
-- incident and alertname from its transition table. As before, a re-delivered alert (ON CONFLICT ... DO
-- UPDATE on alerts) is not a new row, is not in the transition table, and is not counted again; of the
-- new rows' generator URLs one that is set replaces the kept one.
CREATE FUNCTION vigil_count_alertnames() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incident_alertnames (incident_id, alertname, incident_created_at, alerts, generator_url)
  SELECT n.incident_id, left(coalesce(n.labels ->> 'alertname', ''), 200), i.created_at, count(*)::int,
         max(n.generator_url)
  FROM new_alerts n JOIN incidents i ON i.id = n.incident_id
  GROUP BY 1, 2, 3
  ON CONFLICT (incident_id, alertname) DO UPDATE
    SET alerts = incident_alertnames.alerts + excluded.alerts,
        generator_url = coalesce(excluded.generator_url, incident_alertnames.generator_url);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER alerts_count_alertnames AFTER INSERT ON alerts REFERENCING NEW TABLE AS new_alerts
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_count_alertnames();
--> statement-breakpoint
DROP TRIGGER alerts_count_alertname ON alerts;
--> statement-breakpoint
DROP FUNCTION vigil_count_alertname();
