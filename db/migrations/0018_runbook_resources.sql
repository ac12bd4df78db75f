ALTER TYPE "public"."runbook_source" ADD VALUE 'kubernetes';--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "resource_ref" text;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "resource_hash" text;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "resource_problem" text;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "actions_approved_digest" text;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "actions_approved_version" integer;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "actions_approved_by" text;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "actions_approved_at" timestamp with time zone;