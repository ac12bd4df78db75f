CREATE TABLE "dev_inbox_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text,
	"body" text NOT NULL,
	"incident_number" integer,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"raw" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "dev_inbox_messages_channel" CHECK ("dev_inbox_messages"."channel" in ('email', 'sms', 'voice', 'slack'))
);
--> statement-breakpoint
CREATE INDEX "dev_inbox_messages_received_idx" ON "dev_inbox_messages" USING btree ("received_at");