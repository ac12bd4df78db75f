CREATE TYPE "public"."escalation_state" AS ENUM('active', 'stopped', 'exhausted');--> statement-breakpoint
CREATE TYPE "public"."page_status" AS ENUM('pending', 'sending', 'sent', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "ack_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"incident_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"page_id" uuid,
	"method" "contact_method_kind" NOT NULL,
	"address" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "ack_links_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"policy_id" uuid,
	"policy_name" text NOT NULL,
	"policy_source" text NOT NULL,
	"urgency" "urgency" NOT NULL,
	"state" "escalation_state" DEFAULT 'active' NOT NULL,
	"step" integer DEFAULT 0 NOT NULL,
	"pass" integer DEFAULT 0 NOT NULL,
	"next_step_at" timestamp with time zone,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_reason" text
);
--> statement-breakpoint
CREATE TABLE "pages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"escalation_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"pass" integer NOT NULL,
	"user_id" uuid,
	"schedule_id" uuid,
	"contact_method_id" uuid,
	"method" "contact_method_kind" NOT NULL,
	"address" text NOT NULL,
	"rule_delay_minutes" integer DEFAULT 0 NOT NULL,
	"status" "page_status" DEFAULT 'pending' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"external_id" text,
	"bundled_into_id" uuid,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pages_once_key" UNIQUE NULLS NOT DISTINCT("escalation_id","step","pass","user_id","method","address","rule_delay_minutes")
);
--> statement-breakpoint
ALTER TABLE "ack_links" ADD CONSTRAINT "ack_links_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ack_links" ADD CONSTRAINT "ack_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ack_links" ADD CONSTRAINT "ack_links_page_id_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."pages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_policy_id_escalation_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."escalation_policies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pages" ADD CONSTRAINT "pages_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pages" ADD CONSTRAINT "pages_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pages" ADD CONSTRAINT "pages_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pages" ADD CONSTRAINT "pages_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pages" ADD CONSTRAINT "pages_contact_method_id_contact_methods_id_fk" FOREIGN KEY ("contact_method_id") REFERENCES "public"."contact_methods"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ack_links_address_idx" ON "ack_links" USING btree ("method","address","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "escalations_one_active_key" ON "escalations" USING btree ("incident_id") WHERE "escalations"."state" = 'active';--> statement-breakpoint
CREATE INDEX "escalations_incident_idx" ON "escalations" USING btree ("incident_id","started_at");--> statement-breakpoint
CREATE INDEX "pages_due_idx" ON "pages" USING btree ("user_id","method","due_at") WHERE "pages"."status" in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "pages_incident_idx" ON "pages" USING btree ("incident_id","created_at");--> statement-breakpoint
CREATE INDEX "pages_sent_idx" ON "pages" USING btree ("sent_at","user_id") WHERE "pages"."status" = 'sent';