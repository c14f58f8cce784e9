ALTER TABLE "callback_deliveries" ALTER COLUMN "message_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "meta_template_id" text;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "rejection_reason" text;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "quality_rating" text;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "template_events" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "templates_tenant_meta_id_idx" ON "templates" USING btree ("tenant_id","meta_template_id");