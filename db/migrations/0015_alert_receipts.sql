CREATE TABLE "alert_receipts" (
	"day" date NOT NULL,
	"service" text NOT NULL,
	"team" text NOT NULL,
	"received" bigint NOT NULL,
	CONSTRAINT "alert_receipts_day_service_team_pk" PRIMARY KEY("day","service","team")
);
