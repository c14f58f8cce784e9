import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { CAMPAIGN_STATUSES, CHANNELS, MESSAGE_CATEGORIES, MESSAGE_STATUSES } from '../vocabulary.js';

// Timestamps are written by Herald (millisecond precision) so that keyset cursors built from
// JavaScript Dates compare exactly with the stored values.
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const channelEnum = pgEnum('channel', CHANNELS);
export const messageStatusEnum = pgEnum('message_status', MESSAGE_STATUSES);
export const messageCategoryEnum = pgEnum('message_category', MESSAGE_CATEGORIES);
export const campaignStatusEnum = pgEnum('campaign_status', CAMPAIGN_STATUSES);

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /** The bootstrap tenant runs the installation and may create other tenants. */
  isOperator: boolean('is_operator').notNull().default(false),
  /** When on, sends must name a template registered for the tenant. */
  strictTemplates: boolean('strict_templates').notNull().default(false),
  /** The tenant's own opt-out and opt-in words, beside the standard STOP/START set (upper case). */
  optOutKeywords: text('opt_out_keywords').array().notNull().default(sql`'{}'::text[]`),
  optInKeywords: text('opt_in_keywords').array().notNull().default(sql`'{}'::text[]`),
  createdAt: ts('created_at').notNull(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Public part of the key, used to find the row; the secret is only stored hashed. */
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: ts('created_at').notNull(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_prefix_idx').on(t.prefix), index('api_keys_tenant_idx').on(t.tenantId, t.createdAt)],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    channel: channelEnum('channel').notNull(),
    status: messageStatusEnum('status').notNull(),
    statusAt: ts('status_at').notNull(),
    /** E.164 phone number, or the first To address of an email. */
    recipient: text('recipient').notNull(),
    sender: text('sender'),
    templateName: text('template_name'),
    templateLanguage: text('template_language'),
    templateParams: jsonb('template_params').$type<string[]>(),
    body: text('body'),
    subject: text('subject'),
    mediaType: text('media_type'),
    mediaId: text('media_id'),
    /** Channel-specific details that do not need their own column (SMS flags, DLT ids, email lists). */
    channelOptions: jsonb('channel_options').$type<Record<string, unknown>>().notNull(),
    // Delivery: provider, queue position, lease and outcome.
    provider: text('provider'),
    providerMessageId: text('provider_message_id'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at'),
    lockedUntil: ts('locked_until'),
    lockedBy: text('locked_by'),
    lastErrorCode: text('last_error_code'),
    lastErrorMessage: text('last_error_message'),
    lastErrorRetryable: boolean('last_error_retryable'),
    // Caller-supplied references.
    idempotencyKey: text('idempotency_key'),
    externalRef: text('external_ref'),
    metadata: jsonb('metadata').$type<unknown>(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** MARKETING, UTILITY or AUTHENTICATION when the sender said (campaigns always do). */
    category: messageCategoryEnum('category'),
    /**
     * The campaign this message is one recipient of. Added recipients are stored as messages at
     * once and held (SCHEDULED with no next_attempt_at, so never due) until the campaign releases
     * them at its pace.
     */
    campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'cascade' }),
    /** How many fallback rules have re-routed this message (0 = as sent). */
    fallbackStep: integer('fallback_step').notNull().default(0),
    sendAt: ts('send_at'),
    validUntil: ts('valid_until'),
    callbackUrl: text('callback_url'),
    /**
     * The request that accepted the message (X-Request-Id) and its trace context (W3C
     * traceparent, when tracing is on): dispatch, maybe in another process, carries them on.
     */
    requestId: text('request_id'),
    traceParent: text('trace_parent'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    // First time the message reached each of these, set by a trigger (migration 0006) so that
    // every status writer records them the same way; delivery analytics read them.
    sentAt: ts('sent_at'),
    deliveredAt: ts('delivered_at'),
    readAt: ts('read_at'),
  },
  (t) => [
    // Dispatcher claim: due messages still waiting to be sent, single sends apart from campaign
    // messages so that a claim takes the singles first (claim-messages.ts); held campaign
    // recipients (no next_attempt_at) are in neither.
    index('messages_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('QUEUED', 'SCHEDULED') and ${t.campaignId} is null`),
    index('messages_campaign_due_idx')
      .on(t.nextAttemptAt)
      .where(
        sql`${t.status} in ('QUEUED', 'SCHEDULED') and ${t.campaignId} is not null and ${t.nextAttemptAt} is not null`,
      ),
    // Lease recovery: sends whose worker vanished.
    index('messages_lease_idx').on(t.lockedUntil).where(sql`${t.status} = 'SENDING'`),
    // Tenant listing, newest first, keyset on (created_at, id).
    index('messages_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('messages_tenant_recipient_idx').on(t.tenantId, t.recipient),
    index('messages_tenant_external_ref_idx').on(t.tenantId, t.externalRef),
    index('messages_tags_idx').using('gin', t.tags),
    // Webhook lookup.
    index('messages_provider_message_idx').on(t.provider, t.providerMessageId),
    // Idempotency: one message per key and tenant (NULL keys never collide).
    uniqueIndex('messages_idempotency_idx').on(t.tenantId, t.idempotencyKey),
    // Campaigns: a recipient is added once per campaign, by address and by external ref...
    uniqueIndex('messages_campaign_recipient_idx')
      .on(t.campaignId, t.recipient)
      .where(sql`${t.campaignId} is not null`),
    uniqueIndex('messages_campaign_external_ref_idx')
      .on(t.campaignId, t.externalRef)
      .where(sql`${t.campaignId} is not null and ${t.externalRef} is not null`),
    // ...its messages are listed newest first...
    index('messages_campaign_created_idx')
      .on(t.campaignId, t.createdAt.desc(), t.id.desc())
      .where(sql`${t.campaignId} is not null`),
    // ...and its held recipients are released in the order they were added.
    index('messages_campaign_held_idx')
      .on(t.campaignId, t.id)
      .where(sql`${t.status} = 'SCHEDULED' and ${t.nextAttemptAt} is null`),
    // Released recipients not yet claimed and retries waiting, per campaign: what the release
    // loop paces against, and what pause holds back and cancel stops (at most about a second's worth).
    index('messages_campaign_pending_idx')
      .on(t.campaignId, t.nextAttemptAt)
      .where(
        sql`${t.campaignId} is not null and ${t.status} in ('SCHEDULED', 'QUEUED') and ${t.nextAttemptAt} is not null`,
      ),
  ],
);

/**
 * A send to many recipients, each of them a message (messages.campaign_id). Recipients refused
 * on their own when added (invalid, or on the suppression list for a MARKETING campaign) are not
 * messages; they are counted here.
 */
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    channel: channelEnum('channel').notNull(),
    category: messageCategoryEnum('category').notNull(),
    status: campaignStatusEnum('status').notNull(),
    /** What each message sends, as a single send takes it without `to`; recipients' params fill its placeholders. */
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    /** Most messages released per second (the providers' own limits apply as well). */
    ratePerSecond: integer('rate_per_second'),
    sendAt: ts('send_at'),
    validUntil: ts('valid_until'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    callbackUrl: text('callback_url'),
    /** The caller's key: creating again with it answers this campaign (a re-run import finds its campaign). */
    idempotencyKey: text('idempotency_key'),
    invalid: integer('invalid').notNull().default(0),
    suppressed: integer('suppressed').notNull().default(0),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    startedAt: ts('started_at'),
    completedAt: ts('completed_at'),
    canceledAt: ts('canceled_at'),
  },
  (t) => [
    index('campaigns_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    uniqueIndex('campaigns_idempotency_idx').on(t.tenantId, t.idempotencyKey),
  ],
);

/**
 * How many of a campaign's messages are in each status: the sum of `delta` per (campaign,
 * status). Statement triggers on `messages` (migration 0006) append one row per campaign and
 * status a statement changed, in the same transaction, so the sums always equal a count of the
 * messages whatever crashes; appending never waits on a lock that another writer holds.
 * `compactCampaignCounts` folds a campaign's rows into one per status. No foreign key: the
 * triggers also run while a tenant's rows are deleted.
 */
export const campaignCounts = pgTable(
  'campaign_counts',
  {
    campaignId: uuid('campaign_id').notNull(),
    status: messageStatusEnum('status').notNull(),
    delta: bigint('delta', { mode: 'number' }).notNull(),
  },
  (t) => [index('campaign_counts_campaign_idx').on(t.campaignId)],
);

/**
 * Delivery analytics' counts (src/messaging/stats.ts): how many of a tenant's messages created in
 * each quarter hour (UTC-aligned: every time zone's hours start on one) have each combination of
 * what messageStats groups and filters by, and how many of them reached SENT, DELIVERED and READ.
 * Statement triggers on `messages` (migration 0016) append each statement's changes to
 * `message_count_changes` in its own transaction, so counts plus changes always equal a count
 * of the messages; `foldMessageCounts` moves the changes into `message_counts` now and then.
 * Appending never waits on a row another writer holds. No foreign keys, as for campaign_counts.
 */
const messageCountColumns = () => ({
  tenantId: uuid('tenant_id').notNull(),
  quarter: ts('quarter').notNull(),
  channel: channelEnum('channel').notNull(),
  templateName: text('template_name'),
  provider: text('provider'),
  campaignId: uuid('campaign_id'),
  tags: text('tags').array().notNull(),
  status: messageStatusEnum('status').notNull(),
  /** The last error code of a message that failed (FAILED, UNDELIVERED, EXPIRED), else null. */
  failureCode: text('failure_code'),
  messages: integer('messages').notNull(),
  sent: integer('sent').notNull(),
  delivered: integer('delivered').notNull(),
  read: integer('read').notNull(),
});

export const messageCounts = pgTable('message_counts', messageCountColumns(), (t) => [
  index('message_counts_tenant_quarter_idx').on(t.tenantId, t.quarter),
]);

export const messageCountChanges = pgTable('message_count_changes', messageCountColumns(), (t) => [
  index('message_count_changes_tenant_quarter_idx').on(t.tenantId, t.quarter),
]);

/**
 * Recipients a campaign refused when they were added (invalid, or suppressed), once each: the
 * same refused row added again (a re-run import, a retried call) finds its key here and is not
 * counted twice in `campaigns.invalid` / `campaigns.suppressed`. The key is the normalised
 * address of a suppressed recipient, a digest of the row as given for an invalid one.
 */
export const campaignRefusals = pgTable(
  'campaign_refusals',
  {
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** INVALID or SUPPRESSED. */
    kind: text('kind').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.key] })],
);

/** Recipients a tenant must not send MARKETING messages to on a channel: opt-outs. */
export const suppressions = pgTable(
  'suppressions',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    channel: channelEnum('channel').notNull(),
    /** E.164 phone number or lower-case email address, as messages store it. */
    recipient: text('recipient').notNull(),
    /** Why, in words: "STOP reply", "Twilio 21610", or what the API caller gave. */
    reason: text('reason').notNull(),
    /** API, INBOUND (a keyword reply) or PROVIDER (an answer that means the user opted out). */
    source: text('source').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.channel, t.recipient] }),
    index('suppressions_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.recipient),
  ],
);

export const messageEvents = pgTable(
  'message_events',
  {
    id: uuid('id').primaryKey(),
    /**
     * The history's order. Every writer of a message's events holds that message's row lock,
     * so per message this follows the order in which its status changed, whatever the clocks say.
     */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id').notNull(),
    /** 'status' for a status change, 'attempt' for a provider call, 'provider' for a raw report. */
    kind: text('kind').notNull(),
    status: messageStatusEnum('status'),
    previousStatus: messageStatusEnum('previous_status'),
    provider: text('provider'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** Raw provider payload, kept for audits and replays. */
    payload: jsonb('payload').$type<unknown>(),
    /** Set for provider reports so that redelivered webhooks are recorded once. */
    dedupeKey: text('dedupe_key'),
    /** When Herald recorded it; for status events never earlier than the message's previous one. */
    occurredAt: ts('occurred_at').notNull(),
    /** The provider's own timestamp of a report (its clock, possibly behind Herald's); null otherwise. */
    reportedAt: ts('reported_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('message_events_message_idx').on(t.messageId, t.seq),
    uniqueIndex('message_events_dedupe_idx').on(t.dedupeKey),
  ],
);

/**
 * Provider reports that arrived before Herald stored the provider's message id (a fast webhook
 * racing the send's own bookkeeping). Applied, then deleted, when the id is recorded.
 */
export const pendingProviderEvents = pgTable(
  'pending_provider_events',
  {
    id: uuid('id').primaryKey(),
    provider: text('provider').notNull(),
    providerMessageId: text('provider_message_id').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    event: jsonb('event').$type<Record<string, unknown>>().notNull(),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [
    index('pending_provider_events_lookup_idx').on(t.provider, t.providerMessageId),
    // Expiry drops the oldest first.
    index('pending_provider_events_received_idx').on(t.receivedAt),
    uniqueIndex('pending_provider_events_dedupe_idx').on(t.dedupeKey),
  ],
);

// --- customer callbacks ---------------------------------------------------------------------

/** A tenant's callback receiver: every status change it subscribes to is POSTed there, signed. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /** Statuses this endpoint receives; empty means every status. */
    events: messageStatusEnum('events').array().notNull().default(sql`'{}'::message_status[]`),
    /** HMAC-SHA256 key of the Herald-Signature header, sealed (SecretBox); shown once, at creation. */
    secret: text('secret').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** Also receives template status and quality changes (payload type template.status). */
    templateEvents: boolean('template_events').notNull().default(false),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('webhook_endpoints_tenant_idx').on(t.tenantId, t.createdAt)],
);

/** The key that signs callbacks sent to a message's own callbackUrl (one per tenant). */
export const callbackSecrets = pgTable('callback_secrets', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  /** Sealed (SecretBox), like provider secrets. */
  secret: text('secret').notNull(),
  createdAt: ts('created_at').notNull(),
});

export const CALLBACK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export const callbackDeliveryStatusEnum = pgEnum('callback_delivery_status', CALLBACK_DELIVERY_STATUSES);

/**
 * The callback queue: one row per status event and destination (an endpoint, or the message's
 * callbackUrl when endpoint_id is null). The identity id is the order of events per message.
 */
export const callbackDeliveries = pgTable(
  'callback_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid('tenant_id').notNull(),
    endpointId: uuid('endpoint_id').references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /** Null for a template event (payload type template.status). */
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    /** The message_events row of the status change (a fresh id for a template event); sent as Herald-Event-Id. */
    eventId: uuid('event_id').notNull(),
    /** The JSON body every attempt POSTs (its keys are documented in the README). */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: callbackDeliveryStatusEnum('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at'),
    lockedUntil: ts('locked_until'),
    lockedBy: text('locked_by'),
    createdAt: ts('created_at').notNull(),
    deliveredAt: ts('delivered_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    /** The trace context of the status change that queued it (W3C traceparent, tracing on). */
    traceParent: text('trace_parent'),
  },
  (t) => [
    // Claim: pending deliveries in the claim's own order, so it reads them in order and stops
    // at its batch instead of sorting every due row.
    index('callback_deliveries_due_idx').on(t.nextAttemptAt, t.id).where(sql`${t.status} = 'pending'`),
    // Per message: listing.
    index('callback_deliveries_message_idx').on(t.messageId, t.id),
    // Per message: "is an earlier event still pending", the claim's ordering check, one probe per
    // candidate. Without it the planner may intersect the message index with every pending row
    // (seen: 5 s per claim with 11,000 pending).
    index('callback_deliveries_pending_message_idx').on(t.messageId, t.id).where(sql`${t.status} = 'pending'`),
    // Per endpoint listing, newest first.
    index('callback_deliveries_endpoint_idx').on(t.endpointId, t.id),
  ],
);

/** Every POST made for a delivery: what the receiver answered, or why it could not. */
export const callbackAttempts = pgTable(
  'callback_attempts',
  {
    deliveryId: bigint('delivery_id', { mode: 'number' })
      .notNull()
      .references(() => callbackDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    url: text('url').notNull(),
    /** HTTP status answered; null when no answer came (refused, reset, timeout). */
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    error: text('error'),
    at: ts('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);

/** Uploaded media, stored once per tenant and content (sha256), referenced by id in sends. */
export const media = pgTable(
  'media',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    /** IMAGE, VIDEO, AUDIO, DOCUMENT or STICKER, from the detected content type. */
    kind: text('kind').notNull(),
    mimeType: text('mime_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    filename: text('filename'),
    caption: text('caption'),
    /** Where the bytes live in the media store (local directory or object store key). */
    storageKey: text('storage_key').notNull(),
    sourceUrl: text('source_url'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('media_tenant_sha_idx').on(t.tenantId, t.sha256),
    index('media_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
  ],
);

/** A provider's own id for a media item (WhatsApp media ids), reused until it expires. */
export const mediaProviderUploads = pgTable(
  'media_provider_uploads',
  {
    mediaId: uuid('media_id')
      .notNull()
      .references(() => media.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    providerMediaId: text('provider_media_id').notNull(),
    uploadedAt: ts('uploaded_at').notNull(),
    expiresAt: ts('expires_at'),
  },
  (t) => [uniqueIndex('media_provider_uploads_idx').on(t.mediaId, t.provider)],
);

/** Per-tenant message templates: WhatsApp (approved upstream), SMS (India DLT) and email. */
export const templates = pgTable(
  'templates',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    channel: channelEnum('channel').notNull(),
    name: text('name').notNull(),
    language: text('language').notNull(),
    category: text('category'),
    /** Body with numbered placeholders {{1}}, {{2}}, ... */
    body: text('body').notNull(),
    paramCount: integer('param_count').notNull(),
    /** NONE, TEXT, IMAGE, VIDEO or DOCUMENT. */
    headerKind: text('header_kind').notNull().default('NONE'),
    headerText: text('header_text'),
    buttons: jsonb('buttons').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    /** APPROVED, PENDING, REJECTED, PAUSED or DISABLED (WhatsApp: Meta's review, synced). */
    status: text('status').notNull().default('APPROVED'),
    /** WhatsApp: Meta's id of the template once submitted (or found by a sync). */
    metaTemplateId: text('meta_template_id'),
    /** WhatsApp: why Meta rejected (or paused, disabled) it, as Meta says. */
    rejectionReason: text('rejection_reason'),
    /** WhatsApp: Meta's quality rating (GREEN, YELLOW, RED, UNKNOWN). */
    qualityRating: text('quality_rating'),
    /** When Meta last told Herald about it (submit, sync or webhook). */
    syncedAt: ts('synced_at'),
    dltEntityId: text('dlt_entity_id'),
    dltTemplateId: text('dlt_template_id'),
    subject: text('subject'),
    html: text('html'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('templates_tenant_name_idx').on(t.tenantId, t.channel, t.name, t.language),
    // Meta's webhooks name a template by its id.
    index('templates_tenant_meta_id_idx').on(t.tenantId, t.metaTemplateId),
  ],
);

/** Providers configured by a tenant through the API; secrets are encrypted at rest. */
export const providerConfigs = pgTable(
  'provider_configs',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The tenant's name for it (routes refer to it), e.g. "twilio" or "twilio-eu". */
    name: text('name').notNull(),
    /** Adapter: twilio, whatsapp-cloud, smsmedia, smtp, sandbox. */
    kind: text('kind').notNull(),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
    /** AES-256-GCM of the JSON secrets, keyed from HERALD_ENCRYPTION_KEY. */
    secretsEncrypted: text('secrets_encrypted'),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('provider_configs_tenant_name_idx').on(t.tenantId, t.name)],
);

/** A tenant's route for a channel, and what to do when it fails permanently. */
export const routingRules = pgTable(
  'routing_rules',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    channel: channelEnum('channel').notNull(),
    provider: text('provider').notNull(),
    /** On a permanent failure: try this provider on the same channel... */
    fallbackProvider: text('fallback_provider'),
    /** ...or re-send on this channel (WhatsApp -> SMS with the template rendered as text). */
    fallbackChannel: channelEnum('fallback_channel'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('routing_rules_tenant_channel_idx').on(t.tenantId, t.channel)],
);

/**
 * Messages users sent to Herald's numbers (replies, "STOP", button taps), as providers reported
 * them: the raw material for opt-outs. Attributed to the tenant whose message was answered, or
 * that last wrote to the sender through that provider.
 */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    providerMessageId: text('provider_message_id').notNull(),
    sender: text('sender').notNull(),
    recipient: text('recipient'),
    kind: text('kind').notNull(),
    text: text('text'),
    payload: text('payload'),
    /** Herald's message this one answered, when the provider said so. */
    inReplyToMessageId: uuid('in_reply_to_message_id'),
    dedupeKey: text('dedupe_key').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [
    uniqueIndex('inbound_messages_dedupe_idx').on(t.dedupeKey),
    index('inbound_messages_tenant_idx').on(t.tenantId, t.receivedAt.desc()),
  ],
);

export type TenantRow = typeof tenants.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type NewMessageRow = typeof messages.$inferInsert;
export type MessageEventRow = typeof messageEvents.$inferSelect;
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type CallbackDeliveryRow = typeof callbackDeliveries.$inferSelect;
export type CallbackAttemptRow = typeof callbackAttempts.$inferSelect;
export type MediaRow = typeof media.$inferSelect;
export type InboundMessageRow = typeof inboundMessages.$inferSelect;
export type TemplateRow = typeof templates.$inferSelect;
export type ProviderConfigRow = typeof providerConfigs.$inferSelect;
export type RoutingRuleRow = typeof routingRules.$inferSelect;
export type CampaignRow = typeof campaigns.$inferSelect;
export type SuppressionRow = typeof suppressions.$inferSelect;
