ALTER TABLE "incidents" ADD COLUMN "auto_resolved" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "runbook_url" text;--> statement-breakpoint
CREATE INDEX "incidents_group_key_idx" ON "incidents" USING btree ("group_key","created_at" DESC NULLS LAST);