ALTER TABLE "campaigns" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_idempotency_idx" ON "campaigns" USING btree ("tenant_id","idempotency_key");