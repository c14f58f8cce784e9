DROP INDEX "message_events_message_idx";--> statement-breakpoint
ALTER TABLE "message_events" ADD COLUMN "seq" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "message_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "message_events" ADD COLUMN "reported_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "pending_provider_events_received_idx" ON "pending_provider_events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "message_events_message_idx" ON "message_events" USING btree ("message_id","seq");