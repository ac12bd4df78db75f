CREATE TABLE "analytics_answers" (
	"key" text PRIMARY KEY NOT NULL,
	"verb" text NOT NULL,
	"input" jsonb NOT NULL,
	"answer" jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"requested_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "analytics_answers_requested_at_idx" ON "analytics_answers" USING btree ("requested_at");