ALTER TABLE "callback_deliveries" ADD COLUMN "trace_parent" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "request_id" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "trace_parent" text;