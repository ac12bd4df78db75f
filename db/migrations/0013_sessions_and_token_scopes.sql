-- Issue 17: an admin may disable a person and end their sessions (users.disabled_at,
-- users.sessions_revoked_at); API tokens get a scope (existing tokens keep everything their role allows:
-- full) and an optional expiry.
CREATE TYPE "public"."api_token_scope" AS ENUM('full', 'alerts:write');--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "sessions_revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "scope" "api_token_scope" DEFAULT 'full' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp with time zone;