-- The row triggers of 0001 do not see TRUNCATE, which empties a table without touching a row: refuse it
-- too, for every role, the owner's and a superuser's included.
CREATE TRIGGER timeline_events_no_truncate BEFORE TRUNCATE ON timeline_events
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_refuse_change();
--> statement-breakpoint
-- Only the owner (the migrations' role) keeps UPDATE, DELETE and TRUNCATE on the two records: the default
-- privileges of deploy/postgres/roles.sql give the app's role every row privilege on new tables, and these
-- two were created before that file's own revoke could see them.
DO $$
DECLARE
  grantee text;
BEGIN
  FOR grantee IN
    SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END
    FROM pg_class c, aclexplode(c.relacl) a
    WHERE c.oid IN ('audit_log'::regclass, 'timeline_events'::regclass)
      AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
      AND a.grantee <> c.relowner
  LOOP
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, timeline_events FROM %s', grantee);
  END LOOP;
END $$;
