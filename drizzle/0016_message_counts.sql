CREATE TABLE "message_count_changes" (
	"tenant_id" uuid NOT NULL,
	"quarter" timestamp with time zone NOT NULL,
	"channel" "channel" NOT NULL,
	"template_name" text,
	"provider" text,
	"campaign_id" uuid,
	"tags" text[] NOT NULL,
	"status" "message_status" NOT NULL,
	"failure_code" text,
	"messages" integer NOT NULL,
	"sent" integer NOT NULL,
	"delivered" integer NOT NULL,
	"read" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_counts" (
	"tenant_id" uuid NOT NULL,
	"quarter" timestamp with time zone NOT NULL,
	"channel" "channel" NOT NULL,
	"template_name" text,
	"provider" text,
	"campaign_id" uuid,
	"tags" text[] NOT NULL,
	"status" "message_status" NOT NULL,
	"failure_code" text,
	"messages" integer NOT NULL,
	"sent" integer NOT NULL,
	"delivered" integer NOT NULL,
	"read" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "message_count_changes_tenant_quarter_idx" ON "message_count_changes" USING btree ("tenant_id","quarter");--> statement-breakpoint
CREATE INDEX "message_counts_tenant_quarter_idx" ON "message_counts" USING btree ("tenant_id","quarter");--> statement-breakpoint
-- Delivery analytics' counts (src/messaging/stats.ts): every statement that inserts, updates or
-- deletes messages appends, in its own transaction, one row per combination of what it changed
-- (-1 for a message as it was, +1 as it is now; a statement that changed nothing counted appends
-- nothing). The key is written the same way in each branch.
CREATE FUNCTION herald_message_count_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO message_count_changes (tenant_id, quarter, channel, template_name, provider, campaign_id, tags,
      status, failure_code, messages, sent, delivered, read)
    SELECT tenant_id, date_bin('15 minutes', created_at, '2000-01-01T00:00:00Z'::timestamptz), channel,
      template_name, provider, campaign_id, tags, status,
      CASE WHEN status IN ('FAILED', 'UNDELIVERED', 'EXPIRED') THEN last_error_code END,
      sum(sign), sum(sign * (sent_at IS NOT NULL)::int), sum(sign * (delivered_at IS NOT NULL)::int),
      sum(sign * (read_at IS NOT NULL)::int)
    FROM (SELECT 1 AS sign, * FROM new_rows) changed
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO message_count_changes (tenant_id, quarter, channel, template_name, provider, campaign_id, tags,
      status, failure_code, messages, sent, delivered, read)
    SELECT tenant_id, date_bin('15 minutes', created_at, '2000-01-01T00:00:00Z'::timestamptz), channel,
      template_name, provider, campaign_id, tags, status,
      CASE WHEN status IN ('FAILED', 'UNDELIVERED', 'EXPIRED') THEN last_error_code END,
      sum(sign), sum(sign * (sent_at IS NOT NULL)::int), sum(sign * (delivered_at IS NOT NULL)::int),
      sum(sign * (read_at IS NOT NULL)::int)
    FROM (SELECT -1 AS sign, * FROM old_rows UNION ALL SELECT 1, * FROM new_rows) changed
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    HAVING sum(sign) <> 0 OR sum(sign * (sent_at IS NOT NULL)::int) <> 0
      OR sum(sign * (delivered_at IS NOT NULL)::int) <> 0 OR sum(sign * (read_at IS NOT NULL)::int) <> 0;
  ELSE
    INSERT INTO message_count_changes (tenant_id, quarter, channel, template_name, provider, campaign_id, tags,
      status, failure_code, messages, sent, delivered, read)
    SELECT tenant_id, date_bin('15 minutes', created_at, '2000-01-01T00:00:00Z'::timestamptz), channel,
      template_name, provider, campaign_id, tags, status,
      CASE WHEN status IN ('FAILED', 'UNDELIVERED', 'EXPIRED') THEN last_error_code END,
      sum(sign), sum(sign * (sent_at IS NOT NULL)::int), sum(sign * (delivered_at IS NOT NULL)::int),
      sum(sign * (read_at IS NOT NULL)::int)
    FROM (SELECT -1 AS sign, * FROM old_rows) changed
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION herald_message_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE message_counts, message_count_changes;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER messages_count_insert AFTER INSERT ON messages
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_message_count_changes();--> statement-breakpoint
CREATE TRIGGER messages_count_update AFTER UPDATE ON messages
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_message_count_changes();--> statement-breakpoint
CREATE TRIGGER messages_count_delete AFTER DELETE ON messages
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_message_count_changes();--> statement-breakpoint
CREATE TRIGGER messages_count_truncate AFTER TRUNCATE ON messages
  FOR EACH STATEMENT EXECUTE FUNCTION herald_message_counts_truncate();--> statement-breakpoint
-- The messages already stored, counted once the triggers hold writers back (CREATE TRIGGER
-- locks out writers until this migration commits, so none is missed or counted twice).
INSERT INTO message_counts (tenant_id, quarter, channel, template_name, provider, campaign_id, tags, status,
  failure_code, messages, sent, delivered, read)
SELECT tenant_id, date_bin('15 minutes', created_at, '2000-01-01T00:00:00Z'::timestamptz), channel,
  template_name, provider, campaign_id, tags, status,
  CASE WHEN status IN ('FAILED', 'UNDELIVERED', 'EXPIRED') THEN last_error_code END,
  count(*), count(sent_at), count(delivered_at), count(read_at)
FROM messages GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;--> statement-breakpoint
-- The counting pass no longer groups messages (migration 0013's statistics were for that).
DROP STATISTICS "messages_stats_groups";--> statement-breakpoint
-- The medians' pass (src/messaging/stats.ts, medianStatement) reads delivered messages from
-- here, not from the table (once vacuumed): by tenant, UTC day, read or not, and sample key (two
-- random bytes of the id), so that a large group's sample is a range of keys on each day, two
-- lookups a day.
-- It holds every column the pass reads but tags (up to 20 of 64 characters would take much of
-- an index entry's 2.7 kB; a tag filter reads its rows' tags from the table). Read or not is a
-- number: a boolean would be rewritten in the statement (`(x is not null) = false` becomes
-- `x is null`) and no longer match the index.
CREATE INDEX "messages_delay_sample_idx" ON "messages" (
  "tenant_id",
  (date_bin('1 day', "created_at", '2000-01-01T00:00:00Z'::timestamptz)),
  (("read_at" IS NOT NULL)::int),
  ((get_byte(uuid_send("id"), 14) << 8) | get_byte(uuid_send("id"), 15))
) INCLUDE ("id", "created_at", "status", "channel", "template_name", "provider", "campaign_id", "sent_at",
  "delivered_at", "read_at")
WHERE "delivered_at" IS NOT NULL;
