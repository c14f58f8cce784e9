CREATE TABLE "pending_provider_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"provider_message_id" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"event" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "pending_provider_events_lookup_idx" ON "pending_provider_events" USING btree ("provider","provider_message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pending_provider_events_dedupe_idx" ON "pending_provider_events" USING btree ("dedupe_key");