-- Group keys and fingerprints longer than 2000 bytes are stored shortened: their first 200 characters,
-- then a hash of the whole (lib/alerts/alertmanager-payload.ts, `indexable`), so they fit PostgreSQL's
-- index entries. Rewrite any stored before that rule the same way, so that the next delivery of their
-- group or alert finds them.
UPDATE "incidents" SET "group_key" = left("group_key", 200) || '…sha256:' || encode(sha256(convert_to("group_key", 'UTF8')), 'hex') WHERE octet_length("group_key") > 2000;--> statement-breakpoint
UPDATE "alerts" SET "fingerprint" = left("fingerprint", 200) || '…sha256:' || encode(sha256(convert_to("fingerprint", 'UTF8')), 'hex') WHERE octet_length("fingerprint") > 2000;
