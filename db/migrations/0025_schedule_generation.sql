-- A count of the committed changes to on-call schedules, so that a process can keep the schedules it read
-- (lib/oncall/schedule-cache.ts) and know with one tiny read whether they are still current. Statement
-- triggers bump it in the writing transaction, so no writer (cascades and truncates included) can forget
-- to, and a rolled-back change never counts: each committed count names one state of the schedules.
CREATE TABLE "schedule_generation" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"generation" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "schedule_generation_one_row" CHECK ("schedule_generation"."id")
);
--> statement-breakpoint
INSERT INTO "schedule_generation" ("id", "generation") VALUES (true, 0);
--> statement-breakpoint
CREATE FUNCTION vigil_bump_schedule_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE schedule_generation SET generation = generation + 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER schedules_bump_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON schedules
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_bump_schedule_generation();
--> statement-breakpoint
CREATE TRIGGER schedule_layers_bump_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON schedule_layers
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_bump_schedule_generation();
--> statement-breakpoint
CREATE TRIGGER schedule_overrides_bump_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON schedule_overrides
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_bump_schedule_generation();
