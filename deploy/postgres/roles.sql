-- Vigil's two database roles (docs/operations.md, "Database roles"). Run it as a superuser (or your
-- provider's admin user, a member of both roles), connected to Vigil's database, before or after the
-- migrations; running it again changes nothing. Passwords are set apart, never kept in this file:
--   ALTER ROLE vigil PASSWORD '…';  ALTER ROLE vigil_app PASSWORD '…';
--
--   vigil      owns the database and everything in it: the migrations run as this role (the migrate Job)
--   vigil_app  the web server and the worker: reads and writes rows, creates nothing, and may only add
--              to the audit log and the timeline (SELECT and INSERT), never change or empty them
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vigil') THEN
    CREATE ROLE vigil LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vigil_app') THEN
    CREATE ROLE vigil_app LOGIN;
  END IF;
  EXECUTE format('ALTER DATABASE %I OWNER TO vigil', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO vigil_app', current_database());
END $$;

-- Only the owner creates anything (PostgreSQL 15's default; older versions let every role create in public).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO vigil;
GRANT USAGE ON SCHEMA public TO vigil_app;

-- What later migrations create (tables, sequences, the job queue's schema graphile_worker and its
-- functions), the app may use: default privileges for objects the owner creates, in any schema.
ALTER DEFAULT PRIVILEGES FOR ROLE vigil GRANT USAGE ON SCHEMAS TO vigil_app;
ALTER DEFAULT PRIVILEGES FOR ROLE vigil GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO vigil_app;
ALTER DEFAULT PRIVILEGES FOR ROLE vigil GRANT USAGE, SELECT ON SEQUENCES TO vigil_app;
ALTER DEFAULT PRIVILEGES FOR ROLE vigil GRANT EXECUTE ON FUNCTIONS TO vigil_app;

-- What earlier migrations created, on an installation that ran them before this file.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO vigil_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO vigil_app;
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'graphile_worker') THEN
    GRANT USAGE ON SCHEMA graphile_worker TO vigil_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA graphile_worker TO vigil_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA graphile_worker TO vigil_app;
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA graphile_worker TO vigil_app;
  END IF;
  -- The audit log and the timeline only grow (migration 0012 does the same for tables made after this).
  IF to_regclass('public.audit_log') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, timeline_events FROM vigil_app;
  END IF;
END $$;
