CREATE TYPE "public"."integration_kind" AS ENUM('alertmanager', 'pagerduty', 'grafana', 'opsgenie', 'webhook', 'heartbeat');--> statement-breakpoint
CREATE TABLE "integration_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"integration_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"status" integer NOT NULL,
	"outcome" text NOT NULL,
	"incidents_opened" integer DEFAULT 0 NOT NULL,
	"payload" jsonb
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "integration_kind" NOT NULL,
	"name" text NOT NULL,
	"default_service" text,
	"default_team" text,
	"default_severity" "incident_severity",
	"escalation_policy" text,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"token_id" uuid NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"last_ping_at" timestamp with time zone,
	CONSTRAINT "integrations_tokenId_unique" UNIQUE("token_id")
);
--> statement-breakpoint
ALTER TABLE "integration_events" ADD CONSTRAINT "integration_events_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_token_id_api_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."api_tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "integration_events_recent_idx" ON "integration_events" USING btree ("integration_id","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "integrations_kind_idx" ON "integrations" USING btree ("kind");