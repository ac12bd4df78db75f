ALTER TABLE "incidents" ALTER COLUMN "detected_at" DROP NOT NULL;--> statement-breakpoint
-- Declared incidents used to store "detected when declared" for an unknown detection time, which MTTD
-- then averaged in as 0. A declared incident (no alerts) whose detection is its creation instant was one.
UPDATE "incidents" i SET "detected_at" = NULL
 WHERE i."detected_at" = i."created_at"
   AND NOT EXISTS (SELECT 1 FROM "alerts" a WHERE a."incident_id" = i."id");
