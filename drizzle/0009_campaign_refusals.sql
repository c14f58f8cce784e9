CREATE TABLE "campaign_refusals" (
	"campaign_id" uuid NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "campaign_refusals_campaign_id_key_pk" PRIMARY KEY("campaign_id","key")
);
--> statement-breakpoint
ALTER TABLE "campaign_refusals" ADD CONSTRAINT "campaign_refusals_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;