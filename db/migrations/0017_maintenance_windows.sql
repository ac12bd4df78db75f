-- Issue 21 item 7: maintenance windows and snoozes, and the incidents each held back (for its end job).
CREATE TABLE "maintenance_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"reason" text NOT NULL,
	"service" text,
	"team" text,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"group_key" text,
	"incident_id" uuid,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by_name" text NOT NULL,
	"created_by_user_id" uuid,
	"ended_early_at" timestamp with time zone,
	"ended_early_by" text,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "maintenance_windows_ends_after_start" CHECK ("maintenance_windows"."ends_at" >= "maintenance_windows"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "muted_incidents" (
	"window_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"muted_at" timestamp with time zone NOT NULL,
	"released_at" timestamp with time zone,
	CONSTRAINT "muted_incidents_window_id_incident_id_pk" PRIMARY KEY("window_id","incident_id")
);
--> statement-breakpoint
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "muted_incidents" ADD CONSTRAINT "muted_incidents_window_id_maintenance_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."maintenance_windows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "muted_incidents" ADD CONSTRAINT "muted_incidents_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "maintenance_windows_active_idx" ON "maintenance_windows" USING btree ("ends_at") WHERE "maintenance_windows"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "muted_incidents_incident_idx" ON "muted_incidents" USING btree ("incident_id");