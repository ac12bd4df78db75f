CREATE TYPE "public"."runbook_source" AS ENUM('file', 'app');--> statement-breakpoint
CREATE TYPE "public"."remediation_status" AS ENUM('pending_approval', 'approved', 'running', 'succeeded', 'failed', 'rejected', 'rate_limited', 'denied');--> statement-breakpoint
CREATE TYPE "public"."action_item_status" AS ENUM('open', 'in_progress', 'done');--> statement-breakpoint
CREATE TYPE "public"."postmortem_status" AS ENUM('draft', 'in_review', 'published');--> statement-breakpoint
CREATE TABLE "runbook_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"runbook_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"markdown" text NOT NULL,
	"front_matter" jsonb NOT NULL,
	"source" "runbook_source" NOT NULL,
	"author_type" text NOT NULL,
	"author_id" text,
	"author_name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runbooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"current_version" integer NOT NULL,
	"file_path" text,
	"file_hash" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "runbooks_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "remediation_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid,
	"runbook_id" uuid,
	"runbook_version" integer,
	"action_id" text NOT NULL,
	"action_type" text NOT NULL,
	"target" text NOT NULL,
	"rate_key" text NOT NULL,
	"params" jsonb NOT NULL,
	"status" "remediation_status" NOT NULL,
	"reason" text,
	"dry_run" boolean DEFAULT false NOT NULL,
	"automatic" boolean DEFAULT false NOT NULL,
	"requested_by_type" text NOT NULL,
	"requested_by_id" text,
	"requested_by_name" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by_type" text,
	"decided_by_id" text,
	"decided_by_name" text,
	"decided_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"output" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "action_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"postmortem_id" uuid NOT NULL,
	"title" text NOT NULL,
	"owner_id" uuid,
	"due_date" date,
	"status" "action_item_status" DEFAULT 'open' NOT NULL,
	"tracker" text,
	"external_key" text,
	"external_url" text,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "postmortem_revisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"postmortem_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"markdown" text NOT NULL,
	"author_type" text NOT NULL,
	"author_id" text,
	"author_name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "postmortems" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"status" "postmortem_status" DEFAULT 'draft' NOT NULL,
	"markdown" text NOT NULL,
	"generated_markdown" text NOT NULL,
	"generated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by_name" text,
	"published_at" timestamp with time zone,
	CONSTRAINT "postmortems_incidentId_unique" UNIQUE("incident_id")
);
--> statement-breakpoint
ALTER TABLE "runbook_versions" ADD CONSTRAINT "runbook_versions_runbook_id_runbooks_id_fk" FOREIGN KEY ("runbook_id") REFERENCES "public"."runbooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remediation_runs" ADD CONSTRAINT "remediation_runs_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remediation_runs" ADD CONSTRAINT "remediation_runs_runbook_id_runbooks_id_fk" FOREIGN KEY ("runbook_id") REFERENCES "public"."runbooks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_postmortem_id_postmortems_id_fk" FOREIGN KEY ("postmortem_id") REFERENCES "public"."postmortems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postmortem_revisions" ADD CONSTRAINT "postmortem_revisions_postmortem_id_postmortems_id_fk" FOREIGN KEY ("postmortem_id") REFERENCES "public"."postmortems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postmortems" ADD CONSTRAINT "postmortems_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "runbook_versions_runbook_version_key" ON "runbook_versions" USING btree ("runbook_id","version");--> statement-breakpoint
CREATE INDEX "remediation_runs_rate_idx" ON "remediation_runs" USING btree ("rate_key","requested_at");--> statement-breakpoint
CREATE INDEX "remediation_runs_incident_idx" ON "remediation_runs" USING btree ("incident_id","requested_at");--> statement-breakpoint
CREATE INDEX "remediation_runs_status_idx" ON "remediation_runs" USING btree ("status","requested_at");--> statement-breakpoint
CREATE INDEX "action_items_postmortem_idx" ON "action_items" USING btree ("postmortem_id");--> statement-breakpoint
CREATE INDEX "action_items_due_idx" ON "action_items" USING btree ("status","due_date");--> statement-breakpoint
CREATE UNIQUE INDEX "postmortem_revisions_version_key" ON "postmortem_revisions" USING btree ("postmortem_id","version");