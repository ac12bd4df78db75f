-- Every delivery of a day for one service and team added to the same alert_receipts row, so concurrent
-- deliveries queued on that row's lock until each committed: at 32 connections a third of them waited.
-- Each connection now adds to its own shard of the count (pg_backend_pid() % 16); readers sum the shards.
ALTER TABLE "alert_receipts" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_receipts" DROP CONSTRAINT "alert_receipts_day_service_team_pk";--> statement-breakpoint
ALTER TABLE "alert_receipts" ADD CONSTRAINT "alert_receipts_day_service_team_shard_pk" PRIMARY KEY("day","service","team","shard");
