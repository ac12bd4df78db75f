ALTER TABLE "incidents" ADD COLUMN "false_positive_reason" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "exclude_from_metrics" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "slack_channel_id" text;