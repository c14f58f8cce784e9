CREATE TYPE "public"."campaign_status" AS ENUM('DRAFT', 'SCHEDULED', 'RUNNING', 'PAUSED', 'COMPLETED', 'CANCELED');--> statement-breakpoint
CREATE TYPE "public"."message_category" AS ENUM('MARKETING', 'UTILITY', 'AUTHENTICATION');--> statement-breakpoint
CREATE TABLE "campaign_counts" (
	"campaign_id" uuid NOT NULL,
	"status" "message_status" NOT NULL,
	"delta" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"channel" "channel" NOT NULL,
	"category" "message_category" NOT NULL,
	"status" "campaign_status" NOT NULL,
	"content" jsonb NOT NULL,
	"rate_per_second" integer,
	"send_at" timestamp with time zone,
	"valid_until" timestamp with time zone,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"callback_url" text,
	"invalid" integer DEFAULT 0 NOT NULL,
	"suppressed" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"canceled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "suppressions" (
	"tenant_id" uuid NOT NULL,
	"channel" "channel" NOT NULL,
	"recipient" text NOT NULL,
	"reason" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "suppressions_tenant_id_channel_recipient_pk" PRIMARY KEY("tenant_id","channel","recipient")
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "category" "message_category";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "campaign_id" uuid;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "read_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "opt_out_keywords" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "opt_in_keywords" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_counts_campaign_idx" ON "campaign_counts" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "campaigns_tenant_created_idx" ON "campaigns" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "suppressions_tenant_created_idx" ON "suppressions" USING btree ("tenant_id","created_at" DESC NULLS LAST,"recipient");--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "messages_campaign_recipient_idx" ON "messages" USING btree ("campaign_id","recipient") WHERE "messages"."campaign_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "messages_campaign_external_ref_idx" ON "messages" USING btree ("campaign_id","external_ref") WHERE "messages"."campaign_id" is not null and "messages"."external_ref" is not null;--> statement-breakpoint
CREATE INDEX "messages_campaign_created_idx" ON "messages" USING btree ("campaign_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "messages"."campaign_id" is not null;--> statement-breakpoint
CREATE INDEX "messages_campaign_held_idx" ON "messages" USING btree ("campaign_id","id") WHERE "messages"."status" = 'SCHEDULED' and "messages"."next_attempt_at" is null;--> statement-breakpoint
-- Campaign counters: every statement that inserts or updates campaign messages appends, in its
-- own transaction, one delta row per (campaign, status) it changed. Appending takes no lock that
-- another writer holds, so concurrent dispatchers never wait on (or deadlock over) a counter row.
CREATE FUNCTION herald_campaign_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO campaign_counts (campaign_id, status, delta)
  SELECT campaign_id, status, count(*) FROM inserted WHERE campaign_id IS NOT NULL GROUP BY 1, 2;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION herald_campaign_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO campaign_counts (campaign_id, status, delta)
  SELECT campaign_id, status, sum(delta) FROM (
    SELECT campaign_id, status, -1 AS delta FROM before_rows WHERE campaign_id IS NOT NULL
    UNION ALL
    SELECT campaign_id, status, 1 AS delta FROM after_rows WHERE campaign_id IS NOT NULL
  ) changes
  GROUP BY 1, 2
  HAVING sum(delta) <> 0;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER messages_campaign_counts_insert AFTER INSERT ON messages
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION herald_campaign_counts_after_insert();--> statement-breakpoint
CREATE TRIGGER messages_campaign_counts_update AFTER UPDATE ON messages
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_campaign_counts_after_update();--> statement-breakpoint
CREATE FUNCTION herald_campaign_counts_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM campaign_counts WHERE campaign_id = OLD.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER campaigns_forget_counts AFTER DELETE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION herald_campaign_counts_forget();--> statement-breakpoint
-- Milestones for delivery analytics, set the same way whichever writer moves the status. A later
-- status implies the earlier ones (a READ report may come without a DELIVERED one).
CREATE FUNCTION herald_message_milestones() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.sent_at := coalesce(NEW.sent_at, NEW.status_at);
  IF NEW.status IN ('DELIVERED', 'READ') THEN
    NEW.delivered_at := coalesce(NEW.delivered_at, NEW.status_at);
  END IF;
  IF NEW.status = 'READ' THEN
    NEW.read_at := coalesce(NEW.read_at, NEW.status_at);
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER messages_milestones BEFORE UPDATE OF status ON messages
  FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('SENT', 'DELIVERED', 'READ'))
  EXECUTE FUNCTION herald_message_milestones();
