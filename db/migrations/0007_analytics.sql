CREATE TABLE "incident_alertnames" (
	"incident_id" uuid NOT NULL,
	"alertname" text NOT NULL,
	"incident_created_at" timestamp with time zone NOT NULL,
	"alerts" integer NOT NULL,
	"generator_url" text,
	CONSTRAINT "incident_alertnames_incident_id_alertname_pk" PRIMARY KEY("incident_id","alertname")
);
--> statement-breakpoint
ALTER TABLE "incident_alertnames" ADD CONSTRAINT "incident_alertnames_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_alertnames_range_idx" ON "incident_alertnames" USING btree ("incident_created_at","incident_id","alertname","alerts");--> statement-breakpoint
CREATE INDEX "incident_alertnames_alertname_idx" ON "incident_alertnames" USING btree ("alertname","incident_created_at");--> statement-breakpoint
CREATE INDEX "incidents_analytics_idx" ON "incidents" USING btree ("created_at","severity","service","team","detected_at","acknowledged_at","resolved_at","false_positive") WHERE not "incidents"."exclude_from_metrics";--> statement-breakpoint
CREATE INDEX "incidents_flapping_idx" ON "incidents" USING btree ("created_at","group_key","reopened_count","number") WHERE not "incidents"."exclude_from_metrics" and "incidents"."group_key" is not null;--> statement-breakpoint
CREATE INDEX "incidents_excluded_idx" ON "incidents" USING btree ("id") WHERE "incidents"."exclude_from_metrics";--> statement-breakpoint
CREATE INDEX "incidents_false_positive_idx" ON "incidents" USING btree ("severity","service","id") WHERE "incidents"."false_positive" and not "incidents"."exclude_from_metrics";--> statement-breakpoint
CREATE INDEX "notifications_created_at_idx" ON "notifications" USING btree ("created_at","channel","status","is_fallback","attempts","incident_id");