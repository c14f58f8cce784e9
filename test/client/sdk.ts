/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { type GraphQLClient, type RequestOptions } from 'graphql-request';
import { gql } from 'graphql-tag';
type GraphQLClientRequestHeaders = RequestOptions['requestHeaders'];
export type AddSuppressionsInput = {
  channel: Channel;
  /** At most 10,000 per call. */
  entries: Array<SuppressionEntryInput>;
};

export type ApiKeyScope =
  | 'ADMIN'
  | 'READ'
  | 'SEND';

/** PENDING until the receiver answers 2xx (DELIVERED) or the retry window closes (FAILED). */
export type CallbackDeliveryStatus =
  | 'DELIVERED'
  | 'FAILED'
  | 'PENDING';

/** Exactly one member: the campaign channel's. */
export type CampaignContentInput = {
  email?: CampaignEmailContentInput | null | undefined;
  sms?: CampaignSmsContentInput | null | undefined;
  whatsApp?: CampaignWhatsAppContentInput | null | undefined;
};

export type CampaignEmailContentInput = {
  /** Media ids attached to every email (as sendEmail takes them). */
  attachments?: Array<string> | null | undefined;
  from?: string | null | undefined;
  /** With placeholders; the values filled in are HTML-escaped. */
  html?: string | null | undefined;
  /** With placeholders {{1}}..{{n}}. */
  subject: string;
  /** With placeholders. */
  text?: string | null | undefined;
};

export type CampaignRecipientInput = {
  /** Your reference; unique within the campaign. */
  externalRef?: string | null | undefined;
  /** Free JSON kept with the message (at most 16 KB). */
  metadata?: unknown;
  /** Fill the content's placeholders: params[0] is {{1}}. WhatsApp: the template's parameters. */
  params?: Array<string> | null | undefined;
  /** Phone number (E.164 or digits with country code) or email address. */
  to: string;
};

export type CampaignSmsContentInput = {
  dltEntityId?: string | null | undefined;
  /** A registered SMS template: text must be its body (placeholders kept). */
  dltTemplateId?: string | null | undefined;
  flash?: boolean | null | undefined;
  senderId?: string | null | undefined;
  /** With placeholders {{1}}..{{n}}, filled by each recipient's params in order. */
  text: string;
  unicode?: boolean | null | undefined;
};

export type CampaignStatus =
  /** Canceled; messages not yet handed to a provider were canceled. Final. */
  | 'CANCELED'
  /** Every message reached a final status or was handed to a provider. Final. */
  | 'COMPLETED'
  /** Created; recipients can be added. Nothing is sent. */
  | 'DRAFT'
  /** No new message is released until it is resumed. */
  | 'PAUSED'
  /** Its messages are released at its rate. */
  | 'RUNNING'
  /** Started with a sendAt ahead: starts then. */
  | 'SCHEDULED';

export type CampaignWhatsAppContentInput = {
  /** Default en. */
  language?: string | null | undefined;
  /** Header media: an uploaded media id of the kind, or an http(s) URL. */
  mediaId?: string | null | undefined;
  mediaType?: MediaType | null | undefined;
  templateName: string;
};

export type Channel =
  | 'EMAIL'
  | 'SMS'
  | 'WHATSAPP';

export type CreateApiKeyInput = {
  name: string;
  scopes: Array<ApiKeyScope>;
};

export type CreateCampaignInput = {
  /** Every message's status changes are POSTed here. */
  callbackUrl?: string | null | undefined;
  /** Default MARKETING. */
  category?: MessageCategory | null | undefined;
  channel: Channel;
  content: CampaignContentInput;
  /** Creating again with the same key (up to 255 characters) answers the campaign the first call created. */
  idempotencyKey?: string | null | undefined;
  name: string;
  /** At most this many messages per second (1 to 10,000); default: the providers' limits. */
  ratePerSecond?: number | null | undefined;
  /** startCampaign before then schedules it. */
  sendAt?: string | null | undefined;
  /** Every message carries them. */
  tags?: Array<string> | null | undefined;
  /** Messages not sent by then expire. */
  validUntil?: string | null | undefined;
};

export type CreateTemplateInput = {
  /** With placeholders {{1}}..{{n}}, numbered from 1 without gaps. */
  body: string;
  /** WhatsApp buttons as JSON objects, as registered upstream. */
  buttons?: Array<unknown> | null | undefined;
  /** MARKETING, UTILITY, AUTHENTICATION... (free text). */
  category?: string | null | undefined;
  channel: Channel;
  /** SMS: India DLT entity (PE) id. */
  dltEntityId?: string | null | undefined;
  /** SMS: India DLT template id. */
  dltTemplateId?: string | null | undefined;
  /** WhatsApp; default NONE. */
  headerKind?: TemplateHeaderKind | null | undefined;
  /** For a TEXT header (no placeholders). */
  headerText?: string | null | undefined;
  /** Email: may use the placeholders. */
  html?: string | null | undefined;
  /** en, en_US, hi...; default en. */
  language?: string | null | undefined;
  /** Lower-case letters, digits and _; unique per channel and language. */
  name: string;
  /** Default APPROVED. */
  status?: TemplateStatus | null | undefined;
  /** Email: required; may use the placeholders. */
  subject?: string | null | undefined;
};

export type CreateWebhookEndpointInput = {
  /** Statuses to receive; omitted or empty means all. */
  events?: Array<MessageStatus> | null | undefined;
  /** Also receive WhatsApp template status and quality changes (payload type template.status); default false. */
  templateEvents?: boolean | null | undefined;
  /** http or https. */
  url: string;
};

export type CsvColumnMapping = {
  /** A column's name in the CSV's header row. */
  column: string;
  /** What it fills: to, externalRef, params.N ({{N}}, from 1, without gaps) or metadata.<key>. */
  field: string;
};

/** What the bytes are, recognised from the bytes themselves. */
export type MediaKind =
  | 'AUDIO'
  | 'DOCUMENT'
  | 'IMAGE'
  | 'STICKER'
  | 'VIDEO';

export type MediaType =
  | 'DOCUMENT'
  | 'IMAGE'
  | 'NONE'
  | 'VIDEO';

/** Why a message is sent, as Meta and Twilio distinguish. Opt-outs (the suppression list) block MARKETING only. */
export type MessageCategory =
  | 'AUTHENTICATION'
  | 'MARKETING'
  | 'UTILITY';

export type MessageEventFilter = {
  channel?: Channel | null | undefined;
  externalRef?: string | null | undefined;
  status?: MessageStatus | null | undefined;
  tag?: string | null | undefined;
};

export type MessageFilter = {
  /** A campaign's id (global or plain): its messages only. */
  campaign?: string | null | undefined;
  channel?: Channel | null | undefined;
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  externalRef?: string | null | undefined;
  status?: MessageStatus | null | undefined;
  tag?: string | null | undefined;
  /** Phone number (any accepted format) or email address. */
  to?: string | null | undefined;
};

/** What messageStats can group by. DAY, HOUR_OF_DAY and DAY_OF_WEEK read createdAt in the timeZone asked for. */
export type MessageStatsDimension =
  | 'CAMPAIGN'
  | 'CHANNEL'
  | 'DAY'
  | 'DAY_OF_WEEK'
  | 'HOUR_OF_DAY'
  | 'PROVIDER'
  | 'STATUS'
  | 'TEMPLATE';

export type MessageStatsFilter = {
  /** A campaign's id (global or plain). */
  campaign?: string | null | undefined;
  channel?: Channel | null | undefined;
  /** Messages created at or after this instant (1970 or later); default 30 days before `to`. */
  from?: string | null | undefined;
  /** A provider name as messages show it, e.g. twilio. */
  provider?: string | null | undefined;
  tag?: string | null | undefined;
  /** A template name (WhatsApp sends). */
  template?: string | null | undefined;
  /** Messages created before this instant; default now. At most 366 days after `from`. */
  to?: string | null | undefined;
};

/** Final statuses: READ, FAILED, UNDELIVERED, EXPIRED, CANCELED. */
export type MessageStatus =
  /** Canceled by cancelMessage before it was sent. Final. */
  | 'CANCELED'
  /** Delivered to the handset or mailbox. Not final: READ may follow (channels without read reports stay here). */
  | 'DELIVERED'
  /** validUntil passed before it could be sent. Final. */
  | 'EXPIRED'
  /** Failed permanently or out of attempts. Final; only retryMessage (back to QUEUED) or a late DELIVERED/READ report from the provider moves it again. */
  | 'FAILED'
  /** Waiting to be sent (also after a retryable failure, and after retryMessage). */
  | 'QUEUED'
  /** Read by the recipient. Final. */
  | 'READ'
  /** Held until sendAt. */
  | 'SCHEDULED'
  /** Claimed by a worker; the provider is being called. */
  | 'SENDING'
  /** Accepted by the provider. */
  | 'SENT'
  /** The provider could not deliver it. Final; only a late DELIVERED/READ report from the provider moves it again. */
  | 'UNDELIVERED';

export type OptOutKeywordsInput = {
  /** At most 20 words or phrases; an omitted list stays as it is. */
  optIn?: Array<string> | null | undefined;
  /** At most 20 words or phrases; an omitted list stays as it is. */
  optOut?: Array<string> | null | undefined;
};

export type SendEmailInput = {
  /** Media ids of the tenant (uploadMedia, createMediaFromUrl, POST /api/media/upload) to attach as files, at most 10, together at most HERALD_EMAIL_ATTACHMENT_MAX_BYTES (default 10 MiB). */
  attachments?: Array<string> | null | undefined;
  bcc?: Array<string> | null | undefined;
  /** Status changes of this message are POSTed here. */
  callbackUrl?: string | null | undefined;
  /** MARKETING sends to a recipient on the suppression list are refused (RecipientSuppressedError); UTILITY, AUTHENTICATION and uncategorised sends are not. */
  category?: MessageCategory | null | undefined;
  cc?: Array<string> | null | undefined;
  /** Your own reference (invoice number, order id). */
  externalRef?: string | null | undefined;
  from?: string | null | undefined;
  html?: string | null | undefined;
  /** A repeat with the same key returns the original message. */
  idempotencyKey?: string | null | undefined;
  /** Free JSON kept with the message (at most 16 KB). */
  metadata?: unknown;
  /** Hold the message until then (SCHEDULED). */
  sendAt?: string | null | undefined;
  subject: string;
  tags?: Array<string> | null | undefined;
  text?: string | null | undefined;
  to: Array<string>;
  /** Give up (EXPIRED) rather than send after this time. */
  validUntil?: string | null | undefined;
};

export type SendSmsInput = {
  /** Status changes of this message are POSTed here. */
  callbackUrl?: string | null | undefined;
  /** MARKETING sends to a recipient on the suppression list are refused (RecipientSuppressedError); UTILITY, AUTHENTICATION and uncategorised sends are not. */
  category?: MessageCategory | null | undefined;
  /** India DLT principal entity id (PE ID). */
  dltEntityId?: string | null | undefined;
  /** India DLT content template id. */
  dltTemplateId?: string | null | undefined;
  /** Your own reference (invoice number, order id). */
  externalRef?: string | null | undefined;
  flash?: boolean | null | undefined;
  /** A repeat with the same key returns the original message. */
  idempotencyKey?: string | null | undefined;
  /** Free JSON kept with the message (at most 16 KB). */
  metadata?: unknown;
  /** Hold the message until then (SCHEDULED). */
  sendAt?: string | null | undefined;
  /** Alphanumeric sender id (up to 11) or a phone number. */
  senderId?: string | null | undefined;
  tags?: Array<string> | null | undefined;
  text: string;
  /** E.164 (+918800001234) or digits with country code. */
  to: string;
  /** Force UCS-2; otherwise detected from the text. */
  unicode?: boolean | null | undefined;
  /** Give up (EXPIRED) rather than send after this time. */
  validUntil?: string | null | undefined;
};

export type SendWhatsAppInput = {
  /** Status changes of this message are POSTed here. */
  callbackUrl?: string | null | undefined;
  /** MARKETING sends to a recipient on the suppression list are refused (RecipientSuppressedError); UTILITY, AUTHENTICATION and uncategorised sends are not. */
  category?: MessageCategory | null | undefined;
  /** Your own reference (invoice number, order id). */
  externalRef?: string | null | undefined;
  /** A repeat with the same key returns the original message. */
  idempotencyKey?: string | null | undefined;
  /** Template language code, default en. */
  language?: string | null | undefined;
  mediaId?: string | null | undefined;
  mediaType?: MediaType | null | undefined;
  /** Free JSON kept with the message (at most 16 KB). */
  metadata?: unknown;
  /** Body parameters in order ({{1}}, {{2}}, ...). */
  params?: Array<string> | null | undefined;
  /** Hold the message until then (SCHEDULED). */
  sendAt?: string | null | undefined;
  tags?: Array<string> | null | undefined;
  templateName: string;
  to: string;
  /** Give up (EXPIRED) rather than send after this time. */
  validUntil?: string | null | undefined;
};

export type SuppressionEntryInput = {
  /** Why, in words (at most 500 characters); default "added through the API". */
  reason?: string | null | undefined;
  /** A phone number (normalised to E.164 as sends are) or, on EMAIL, an address. */
  recipient: string;
};

export type SuppressionSource =
  /** Added through addSuppressions. */
  | 'API'
  /** The recipient replied with an opt-out keyword (STOP, UNSUBSCRIBE...). */
  | 'INBOUND'
  /** A provider answered that the recipient opted out (Twilio 21610, WhatsApp 131050). */
  | 'PROVIDER';

export type TemplateFilter = {
  channel?: Channel | null | undefined;
  language?: string | null | undefined;
  name?: string | null | undefined;
  status?: TemplateStatus | null | undefined;
};

/** A WhatsApp template header: IMAGE, VIDEO and DOCUMENT headers need a send with that mediaType. */
export type TemplateHeaderKind =
  | 'DOCUMENT'
  | 'IMAGE'
  | 'NONE'
  | 'TEXT'
  | 'VIDEO';

/** Only APPROVED templates can be sent. WhatsApp templates follow Meta's review once submitted (submitTemplate): PENDING, then APPROVED or REJECTED; Meta may later PAUSE (low quality) or DISABLE one. */
export type TemplateStatus =
  | 'APPROVED'
  | 'DISABLED'
  | 'PAUSED'
  | 'PENDING'
  | 'REJECTED';

/** Omitted fields stay; null clears an optional one. The channel cannot change. */
export type UpdateTemplateInput = {
  body?: string | null | undefined;
  buttons?: Array<unknown> | null | undefined;
  category?: string | null | undefined;
  dltEntityId?: string | null | undefined;
  dltTemplateId?: string | null | undefined;
  headerKind?: TemplateHeaderKind | null | undefined;
  headerText?: string | null | undefined;
  html?: string | null | undefined;
  language?: string | null | undefined;
  name?: string | null | undefined;
  status?: TemplateStatus | null | undefined;
  subject?: string | null | undefined;
};

export type UpdateWebhookEndpointInput = {
  /** Disabling gives up the deliveries still pending. */
  enabled?: boolean | null | undefined;
  events?: Array<MessageStatus> | null | undefined;
  templateEvents?: boolean | null | undefined;
  url?: string | null | undefined;
};

export type WebhookEndpointFieldsFragment = { id: string, url: string, events: Array<MessageStatus>, enabled: boolean, createdAt: string, updatedAt: string };

export type CallbackDeliveryFieldsFragment = { id: string, eventId: string, messageId: string | null, eventStatus: MessageStatus | null, payload: unknown, url: string, status: CallbackDeliveryStatus, attemptCount: number, nextAttemptAt: string | null, createdAt: string, deliveredAt: string | null, lastStatusCode: number | null, lastError: string | null, endpoint: { id: string } | null, attempts: Array<{ number: number, url: string, statusCode: number | null, latencyMs: number, error: string | null, at: string }> };

export type CreateWebhookEndpointMutationVariables = Exact<{
  input: CreateWebhookEndpointInput;
}>;


export type CreateWebhookEndpointMutation = { createWebhookEndpoint:
    | { __typename: 'CreatedWebhookEndpoint', secret: string, endpoint: { id: string, url: string, events: Array<MessageStatus>, enabled: boolean, createdAt: string, updatedAt: string } }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type UpdateWebhookEndpointMutationVariables = Exact<{
  id: string;
  input: UpdateWebhookEndpointInput;
}>;


export type UpdateWebhookEndpointMutation = { updateWebhookEndpoint:
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
    | { __typename: 'WebhookEndpoint', id: string, url: string, events: Array<MessageStatus>, enabled: boolean, createdAt: string, updatedAt: string }
   };

export type DeleteWebhookEndpointMutationVariables = Exact<{
  id: string;
}>;


export type DeleteWebhookEndpointMutation = { deleteWebhookEndpoint:
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'WebhookEndpoint', id: string, url: string, events: Array<MessageStatus>, enabled: boolean, createdAt: string, updatedAt: string }
   };

export type RotateCallbackSecretMutationVariables = Exact<{ [key: string]: never; }>;


export type RotateCallbackSecretMutation = { rotateCallbackSecret: { secret: string, createdAt: string } };

export type WebhookEndpointsQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhookEndpointsQuery = { webhookEndpoints: Array<{ id: string, url: string, events: Array<MessageStatus>, enabled: boolean, createdAt: string, updatedAt: string }> };

export type WebhookEndpointDeliveriesQueryVariables = Exact<{
  id: string;
  first?: number | null | undefined;
  status?: CallbackDeliveryStatus | null | undefined;
}>;


export type WebhookEndpointDeliveriesQuery = { node:
    | { __typename: 'ApiKey', id: string }
    | { __typename: 'Campaign', id: string }
    | { __typename: 'Media', id: string }
    | { __typename: 'Message', id: string }
    | { __typename: 'Template', id: string }
    | { __typename: 'WebhookEndpoint', url: string, id: string, deliveries: Array<{ id: string, eventId: string, messageId: string | null, eventStatus: MessageStatus | null, payload: unknown, url: string, status: CallbackDeliveryStatus, attemptCount: number, nextAttemptAt: string | null, createdAt: string, deliveredAt: string | null, lastStatusCode: number | null, lastError: string | null, endpoint: { id: string } | null, attempts: Array<{ number: number, url: string, statusCode: number | null, latencyMs: number, error: string | null, at: string }> }> }
   | null };

export type MessageCallbacksQueryVariables = Exact<{
  id: string;
}>;


export type MessageCallbacksQuery = { message: { messageId: string, status: MessageStatus, callbackUrl: string | null, callbackDeliveries: Array<{ id: string, eventId: string, messageId: string | null, eventStatus: MessageStatus | null, payload: unknown, url: string, status: CallbackDeliveryStatus, attemptCount: number, nextAttemptAt: string | null, createdAt: string, deliveredAt: string | null, lastStatusCode: number | null, lastError: string | null, endpoint: { id: string } | null, attempts: Array<{ number: number, url: string, statusCode: number | null, latencyMs: number, error: string | null, at: string }> }> } | null };

export type CampaignLifecycleFieldsFragment = { id: string, campaignId: string, status: CampaignStatus, sendAt: string | null, startedAt: string | null, completedAt: string | null, canceledAt: string | null };

export type StartCampaignMutationVariables = Exact<{
  id: string;
}>;


export type StartCampaignMutation = { startCampaign:
    | { __typename: 'Campaign', id: string, campaignId: string, status: CampaignStatus, sendAt: string | null, startedAt: string | null, completedAt: string | null, canceledAt: string | null }
    | { __typename: 'CampaignStateError', code: string, message: string, status: CampaignStatus }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type PauseCampaignMutationVariables = Exact<{
  id: string;
}>;


export type PauseCampaignMutation = { pauseCampaign:
    | { __typename: 'Campaign', id: string, campaignId: string, status: CampaignStatus, sendAt: string | null, startedAt: string | null, completedAt: string | null, canceledAt: string | null }
    | { __typename: 'CampaignStateError', code: string, message: string, status: CampaignStatus }
    | { __typename: 'NotFoundError', code: string, message: string }
   };

export type ResumeCampaignMutationVariables = Exact<{
  id: string;
}>;


export type ResumeCampaignMutation = { resumeCampaign:
    | { __typename: 'Campaign', id: string, campaignId: string, status: CampaignStatus, sendAt: string | null, startedAt: string | null, completedAt: string | null, canceledAt: string | null }
    | { __typename: 'CampaignStateError', code: string, message: string, status: CampaignStatus }
    | { __typename: 'NotFoundError', code: string, message: string }
   };

export type CancelCampaignMutationVariables = Exact<{
  id: string;
}>;


export type CancelCampaignMutation = { cancelCampaign:
    | { __typename: 'Campaign', id: string, campaignId: string, status: CampaignStatus, sendAt: string | null, startedAt: string | null, completedAt: string | null, canceledAt: string | null }
    | { __typename: 'CampaignStateError', code: string, message: string, status: CampaignStatus }
    | { __typename: 'NotFoundError', code: string, message: string }
   };

export type CampaignProgressSubscriptionVariables = Exact<{
  id: string;
}>;


export type CampaignProgressSubscription = { campaignProgress: { campaignId: string, status: CampaignStatus, startedAt: string | null, completedAt: string | null, counters: { scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number, total: number, invalid: number, suppressed: number } } };

export type CampaignFieldsFragment = { id: string, campaignId: string, name: string, channel: Channel, category: MessageCategory, status: CampaignStatus, ratePerSecond: number | null, sendAt: string | null, validUntil: string | null, tags: Array<string>, callbackUrl: string | null, createdAt: string, updatedAt: string, startedAt: string | null, completedAt: string | null, canceledAt: string | null, content:
    | { __typename: 'CampaignEmailContent', from: string | null, subject: string, htmlBody: string | null, textBody: string | null, attachments: Array<string> }
    | { __typename: 'CampaignSmsContent', text: string, senderId: string | null, unicode: boolean, flash: boolean, dltEntityId: string | null, dltTemplateId: string | null }
    | { __typename: 'CampaignWhatsAppContent', templateName: string, language: string, mediaType: MediaType, mediaId: string | null }
  , counters: { scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number, total: number, invalid: number, suppressed: number } };

export type CreateCampaignMutationVariables = Exact<{
  input: CreateCampaignInput;
}>;


export type CreateCampaignMutation = { createCampaign:
    | { __typename: 'Campaign', id: string, campaignId: string, name: string, channel: Channel, category: MessageCategory, status: CampaignStatus, ratePerSecond: number | null, sendAt: string | null, validUntil: string | null, tags: Array<string>, callbackUrl: string | null, createdAt: string, updatedAt: string, startedAt: string | null, completedAt: string | null, canceledAt: string | null, content:
        | { __typename: 'CampaignEmailContent', from: string | null, subject: string, htmlBody: string | null, textBody: string | null, attachments: Array<string> }
        | { __typename: 'CampaignSmsContent', text: string, senderId: string | null, unicode: boolean, flash: boolean, dltEntityId: string | null, dltTemplateId: string | null }
        | { __typename: 'CampaignWhatsAppContent', templateName: string, language: string, mediaType: MediaType, mediaId: string | null }
      , counters: { scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number, total: number, invalid: number, suppressed: number } }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type AddCampaignRecipientsMutationVariables = Exact<{
  campaignId: string;
  recipients: Array<CampaignRecipientInput> | CampaignRecipientInput;
}>;


export type AddCampaignRecipientsMutation = { addCampaignRecipients:
    | { __typename: 'CampaignRecipientsAdded', accepted: number, duplicates: number, suppressed: number, invalidCount: number, invalid: Array<{ row: number, field: string, reason: string }>, campaign: { id: string, campaignId: string, name: string, channel: Channel, category: MessageCategory, status: CampaignStatus, ratePerSecond: number | null, sendAt: string | null, validUntil: string | null, tags: Array<string>, callbackUrl: string | null, createdAt: string, updatedAt: string, startedAt: string | null, completedAt: string | null, canceledAt: string | null, content:
          | { __typename: 'CampaignEmailContent', from: string | null, subject: string, htmlBody: string | null, textBody: string | null, attachments: Array<string> }
          | { __typename: 'CampaignSmsContent', text: string, senderId: string | null, unicode: boolean, flash: boolean, dltEntityId: string | null, dltTemplateId: string | null }
          | { __typename: 'CampaignWhatsAppContent', templateName: string, language: string, mediaType: MediaType, mediaId: string | null }
        , counters: { scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number, total: number, invalid: number, suppressed: number } } }
    | { __typename: 'CampaignStateError', code: string, message: string, status: CampaignStatus }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type CampaignQueryVariables = Exact<{
  id: string;
}>;


export type CampaignQuery = { campaign: { id: string, campaignId: string, name: string, channel: Channel, category: MessageCategory, status: CampaignStatus, ratePerSecond: number | null, sendAt: string | null, validUntil: string | null, tags: Array<string>, callbackUrl: string | null, createdAt: string, updatedAt: string, startedAt: string | null, completedAt: string | null, canceledAt: string | null, content:
      | { __typename: 'CampaignEmailContent', from: string | null, subject: string, htmlBody: string | null, textBody: string | null, attachments: Array<string> }
      | { __typename: 'CampaignSmsContent', text: string, senderId: string | null, unicode: boolean, flash: boolean, dltEntityId: string | null, dltTemplateId: string | null }
      | { __typename: 'CampaignWhatsAppContent', templateName: string, language: string, mediaType: MediaType, mediaId: string | null }
    , counters: { scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number, total: number, invalid: number, suppressed: number } } | null };

export type CampaignsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  status?: CampaignStatus | null | undefined;
}>;


export type CampaignsQuery = { campaigns: { edges: Array<{ cursor: string, node: { id: string, campaignId: string, name: string, channel: Channel, category: MessageCategory, status: CampaignStatus, ratePerSecond: number | null, sendAt: string | null, validUntil: string | null, tags: Array<string>, callbackUrl: string | null, createdAt: string, updatedAt: string, startedAt: string | null, completedAt: string | null, canceledAt: string | null, content:
          | { __typename: 'CampaignEmailContent', from: string | null, subject: string, htmlBody: string | null, textBody: string | null, attachments: Array<string> }
          | { __typename: 'CampaignSmsContent', text: string, senderId: string | null, unicode: boolean, flash: boolean, dltEntityId: string | null, dltTemplateId: string | null }
          | { __typename: 'CampaignWhatsAppContent', templateName: string, language: string, mediaType: MediaType, mediaId: string | null }
        , counters: { scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number, total: number, invalid: number, suppressed: number } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CampaignMessagesQueryVariables = Exact<{
  id: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: MessageFilter | null | undefined;
}>;


export type CampaignMessagesQuery = { campaign: { id: string, messages: { edges: Array<{ node: { id: string, messageId: string, channel: Channel, status: MessageStatus, to: string, externalRef: string | null, metadata: unknown, tags: Array<string>, nextAttemptAt: string | null, validUntil: string | null, callbackUrl: string | null, content:
            | { __typename: 'EmailContent', to: Array<string>, subject: string, htmlBody: string | null, textBody: string | null }
            | { __typename: 'SmsContent', text: string, senderId: string | null, segments: number }
            | { __typename: 'WhatsAppContent', templateName: string, language: string, params: Array<string>, mediaType: MediaType, mediaId: string | null }
           } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type ImportCampaignRecipientsMutationVariables = Exact<{
  campaignId: string;
  mediaId: string;
  mapping: Array<CsvColumnMapping> | CsvColumnMapping;
}>;


export type ImportCampaignRecipientsMutation = { importCampaignRecipients:
    | { __typename: 'CampaignRecipientsImported', rows: number, accepted: number, duplicates: number, suppressed: number, invalidCount: number, invalid: Array<{ row: number, field: string, reason: string }>, campaign: { id: string, campaignId: string, name: string, channel: Channel, category: MessageCategory, status: CampaignStatus, ratePerSecond: number | null, sendAt: string | null, validUntil: string | null, tags: Array<string>, callbackUrl: string | null, createdAt: string, updatedAt: string, startedAt: string | null, completedAt: string | null, canceledAt: string | null, content:
          | { __typename: 'CampaignEmailContent', from: string | null, subject: string, htmlBody: string | null, textBody: string | null, attachments: Array<string> }
          | { __typename: 'CampaignSmsContent', text: string, senderId: string | null, unicode: boolean, flash: boolean, dltEntityId: string | null, dltTemplateId: string | null }
          | { __typename: 'CampaignWhatsAppContent', templateName: string, language: string, mediaType: MediaType, mediaId: string | null }
        , counters: { scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number, total: number, invalid: number, suppressed: number } } }
    | { __typename: 'CampaignStateError', code: string, message: string, status: CampaignStatus }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type InboundMessagesQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type InboundMessagesQuery = { inboundMessages: Array<{ id: string, provider: string, from: string, to: string | null, kind: string, text: string | null, payload: string | null, occurredAt: string }> };

export type MessageStatusChangedSubscriptionVariables = Exact<{
  id: string;
}>;


export type MessageStatusChangedSubscription = { messageStatusChanged: { messageId: string, status: MessageStatus, previousStatus: MessageStatus | null, occurredAt: string, errorCode: string | null, errorMessage: string | null } };

export type MessageEventsSubscriptionVariables = Exact<{
  filter?: MessageEventFilter | null | undefined;
}>;


export type MessageEventsSubscription = { messageEvents: { messageId: string, channel: Channel, to: string, status: MessageStatus, previousStatus: MessageStatus | null, occurredAt: string, errorCode: string | null, errorMessage: string | null, externalRef: string | null, tags: Array<string> } };

export type MediaFieldsFragment = { id: string, mediaId: string, kind: MediaKind, mimeType: string, sizeBytes: number, sha256: string, filename: string | null, caption: string | null, sourceUrl: string | null, downloadPath: string, createdAt: string };

export type UploadMediaMutationVariables = Exact<{
  file: unknown;
  caption?: string | null | undefined;
}>;


export type UploadMediaMutation = { uploadMedia:
    | { __typename: 'Media', id: string, mediaId: string, kind: MediaKind, mimeType: string, sizeBytes: number, sha256: string, filename: string | null, caption: string | null, sourceUrl: string | null, downloadPath: string, createdAt: string }
    | { __typename: 'MediaTooLargeError', code: string, field: string, message: string, limitBytes: number }
    | { __typename: 'UnsupportedMediaError', code: string, field: string, message: string, detectedType: string | null }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type CreateMediaFromUrlMutationVariables = Exact<{
  url: string;
  caption?: string | null | undefined;
}>;


export type CreateMediaFromUrlMutation = { createMediaFromUrl:
    | { __typename: 'Media', id: string, mediaId: string, kind: MediaKind, mimeType: string, sizeBytes: number, sha256: string, filename: string | null, caption: string | null, sourceUrl: string | null, downloadPath: string, createdAt: string }
    | { __typename: 'MediaFetchError', code: string, field: string, message: string, httpStatus: number | null }
    | { __typename: 'MediaTooLargeError', code: string, field: string, message: string, limitBytes: number }
    | { __typename: 'MediaUrlRefusedError', code: string, field: string, message: string }
    | { __typename: 'UnsupportedMediaError', code: string, field: string, message: string, detectedType: string | null }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type MediaQueryVariables = Exact<{
  id: string;
}>;


export type MediaQuery = { media: { id: string, mediaId: string, kind: MediaKind, mimeType: string, sizeBytes: number, sha256: string, filename: string | null, caption: string | null, sourceUrl: string | null, downloadPath: string, createdAt: string } | null };

export type MediaListQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MediaListQuery = { mediaList: { edges: Array<{ cursor: string, node: { id: string, mediaId: string, kind: MediaKind, mimeType: string, sizeBytes: number, sha256: string, filename: string | null, caption: string | null, sourceUrl: string | null, downloadPath: string, createdAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type MessageFieldsFragment = { id: string, messageId: string, channel: Channel, status: MessageStatus, statusAt: string, to: string, externalRef: string | null, idempotencyKey: string | null, metadata: unknown, tags: Array<string>, sendAt: string | null, validUntil: string | null, callbackUrl: string | null, category: MessageCategory | null, createdAt: string, attempts: number, nextAttemptAt: string | null, provider: string | null, providerMessageId: string | null, lastError: { code: string, message: string | null, retryable: boolean | null } | null, content:
    | { __typename: 'EmailContent', to: Array<string>, cc: Array<string>, bcc: Array<string>, from: string | null, subject: string, htmlBody: string | null, textBody: string | null, attachments: Array<string> }
    | { __typename: 'SmsContent', text: string, senderId: string | null, encoding: string, segments: number, flash: boolean, dltEntityId: string | null, dltTemplateId: string | null }
    | { __typename: 'WhatsAppContent', templateName: string, language: string, params: Array<string>, mediaType: MediaType, mediaId: string | null }
   };

export type ValidationErrorFieldsFragment = { code: string, field: string, message: string };

export type SendSmsMutationVariables = Exact<{
  input: SendSmsInput;
}>;


export type SendSmsMutation = { sendSms:
    | { __typename: 'Message', id: string, messageId: string, channel: Channel, status: MessageStatus, statusAt: string, to: string, externalRef: string | null, idempotencyKey: string | null, metadata: unknown, tags: Array<string>, sendAt: string | null, validUntil: string | null, callbackUrl: string | null, category: MessageCategory | null, createdAt: string, attempts: number, nextAttemptAt: string | null, provider: string | null, providerMessageId: string | null, lastError: { code: string, message: string | null, retryable: boolean | null } | null, content:
        | { __typename: 'EmailContent', to: Array<string>, cc: Array<string>, bcc: Array<string>, from: string | null, subject: string, htmlBody: string | null, textBody: string | null, attachments: Array<string> }
        | { __typename: 'SmsContent', text: string, senderId: string | null, encoding: string, segments: number, flash: boolean, dltEntityId: string | null, dltTemplateId: string | null }
        | { __typename: 'WhatsAppContent', templateName: string, language: string, params: Array<string>, mediaType: MediaType, mediaId: string | null }
       }
    | { __typename: 'RecipientSuppressedError', code: string, field: string, message: string, channel: Channel, recipient: string }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type SendWhatsAppMutationVariables = Exact<{
  input: SendWhatsAppInput;
}>;


export type SendWhatsAppMutation = { sendWhatsApp:
    | { __typename: 'Message', id: string, messageId: string, channel: Channel, status: MessageStatus, statusAt: string, to: string, externalRef: string | null, idempotencyKey: string | null, metadata: unknown, tags: Array<string>, sendAt: string | null, validUntil: string | null, callbackUrl: string | null, category: MessageCategory | null, createdAt: string, attempts: number, nextAttemptAt: string | null, provider: string | null, providerMessageId: string | null, lastError: { code: string, message: string | null, retryable: boolean | null } | null, content:
        | { __typename: 'EmailContent', to: Array<string>, cc: Array<string>, bcc: Array<string>, from: string | null, subject: string, htmlBody: string | null, textBody: string | null, attachments: Array<string> }
        | { __typename: 'SmsContent', text: string, senderId: string | null, encoding: string, segments: number, flash: boolean, dltEntityId: string | null, dltTemplateId: string | null }
        | { __typename: 'WhatsAppContent', templateName: string, language: string, params: Array<string>, mediaType: MediaType, mediaId: string | null }
       }
    | { __typename: 'RecipientSuppressedError', code: string, field: string, message: string, channel: Channel, recipient: string }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type SendEmailMutationVariables = Exact<{
  input: SendEmailInput;
}>;


export type SendEmailMutation = { sendEmail:
    | { __typename: 'Message', id: string, messageId: string, channel: Channel, status: MessageStatus, statusAt: string, to: string, externalRef: string | null, idempotencyKey: string | null, metadata: unknown, tags: Array<string>, sendAt: string | null, validUntil: string | null, callbackUrl: string | null, category: MessageCategory | null, createdAt: string, attempts: number, nextAttemptAt: string | null, provider: string | null, providerMessageId: string | null, lastError: { code: string, message: string | null, retryable: boolean | null } | null, content:
        | { __typename: 'EmailContent', to: Array<string>, cc: Array<string>, bcc: Array<string>, from: string | null, subject: string, htmlBody: string | null, textBody: string | null, attachments: Array<string> }
        | { __typename: 'SmsContent', text: string, senderId: string | null, encoding: string, segments: number, flash: boolean, dltEntityId: string | null, dltTemplateId: string | null }
        | { __typename: 'WhatsAppContent', templateName: string, language: string, params: Array<string>, mediaType: MediaType, mediaId: string | null }
       }
    | { __typename: 'RecipientSuppressedError', code: string, field: string, message: string, channel: Channel, recipient: string }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type MessageQueryVariables = Exact<{
  id: string;
}>;


export type MessageQuery = { message: { id: string, messageId: string, channel: Channel, status: MessageStatus, statusAt: string, to: string, externalRef: string | null, idempotencyKey: string | null, metadata: unknown, tags: Array<string>, sendAt: string | null, validUntil: string | null, callbackUrl: string | null, category: MessageCategory | null, createdAt: string, attempts: number, nextAttemptAt: string | null, provider: string | null, providerMessageId: string | null, events: Array<{ id: string, kind: string, status: MessageStatus | null, previousStatus: MessageStatus | null, errorCode: string | null, errorMessage: string | null, provider: string | null, occurredAt: string, reportedAt: string | null }>, lastError: { code: string, message: string | null, retryable: boolean | null } | null, content:
      | { __typename: 'EmailContent', to: Array<string>, cc: Array<string>, bcc: Array<string>, from: string | null, subject: string, htmlBody: string | null, textBody: string | null, attachments: Array<string> }
      | { __typename: 'SmsContent', text: string, senderId: string | null, encoding: string, segments: number, flash: boolean, dltEntityId: string | null, dltTemplateId: string | null }
      | { __typename: 'WhatsAppContent', templateName: string, language: string, params: Array<string>, mediaType: MediaType, mediaId: string | null }
     } | null };

export type NodeQueryVariables = Exact<{
  id: string;
}>;


export type NodeQuery = { node:
    | { __typename: 'ApiKey', id: string }
    | { __typename: 'Campaign', id: string }
    | { __typename: 'Media', id: string }
    | { __typename: 'Message', messageId: string, status: MessageStatus, id: string }
    | { __typename: 'Template', id: string }
    | { __typename: 'WebhookEndpoint', id: string }
   | null };

export type MessagesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  filter?: MessageFilter | null | undefined;
}>;


export type MessagesQuery = { messages: { edges: Array<{ cursor: string, node: { id: string, messageId: string, channel: Channel, status: MessageStatus, to: string, createdAt: string } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type MessagesWithEventsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type MessagesWithEventsQuery = { messages: { edges: Array<{ node: { messageId: string, events: Array<{ status: MessageStatus | null }> } }> } };

export type CancelMessageMutationVariables = Exact<{
  id: string;
}>;


export type CancelMessageMutation = { cancelMessage:
    | { __typename: 'InvalidStateError', code: string, status: MessageStatus, message: string }
    | { __typename: 'Message', messageId: string, status: MessageStatus }
    | { __typename: 'NotFoundError', code: string, message: string }
   };

export type RetryMessageMutationVariables = Exact<{
  id: string;
}>;


export type RetryMessageMutation = { retryMessage:
    | { __typename: 'InvalidStateError', code: string, status: MessageStatus, message: string }
    | { __typename: 'Message', messageId: string, status: MessageStatus, attempts: number, nextAttemptAt: string | null }
    | { __typename: 'NotFoundError', code: string, message: string }
   };

export type DeliveryHealthQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type DeliveryHealthQuery = { deliveryHealth: { queued: number, scheduled: number, sending: number, stuckSending: number, stuckSent: number, oldestDueAt: string | null, stuckMessages: Array<{ messageId: string, status: MessageStatus, providerMessageId: string | null }> } };

export type MessageStatsQueryVariables = Exact<{
  filter?: MessageStatsFilter | null | undefined;
  groupBy?: Array<MessageStatsDimension> | MessageStatsDimension | null | undefined;
  timeZone?: string | null | undefined;
}>;


export type MessageStatsQuery = { messageStats:
    | { __typename: 'MessageStats', from: string, to: string, timeZone: string, groupBy: Array<MessageStatsDimension>, groups: Array<{ total: number, sent: number, delivered: number, read: number, deliveredRate: number | null, readRate: number | null, medianSecondsToDelivered: number | null, medianSecondsToRead: number | null, key: { status: MessageStatus | null, channel: Channel | null, template: string | null, provider: string | null, campaignId: string | null, day: string | null, hourOfDay: number | null, dayOfWeek: number | null }, counts: { scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number }, failureCodes: Array<{ code: string, count: number }> }> }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type SuppressionFieldsFragment = { channel: Channel, recipient: string, reason: string, source: SuppressionSource, createdAt: string };

export type SuppressionsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  channel?: Channel | null | undefined;
  recipient?: string | null | undefined;
}>;


export type SuppressionsQuery = { suppressions: { edges: Array<{ cursor: string, node: { channel: Channel, recipient: string, reason: string, source: SuppressionSource, createdAt: string } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type AddSuppressionsMutationVariables = Exact<{
  input: AddSuppressionsInput;
}>;


export type AddSuppressionsMutation = { addSuppressions:
    | { __typename: 'AddedSuppressions', added: number, suppressions: Array<{ channel: Channel, recipient: string, reason: string, source: SuppressionSource, createdAt: string }>, problems: Array<{ index: number, field: string, message: string }> }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type RemoveSuppressionMutationVariables = Exact<{
  channel: Channel;
  recipient: string;
}>;


export type RemoveSuppressionMutation = { removeSuppression:
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'Suppression', channel: Channel, recipient: string, reason: string, source: SuppressionSource, createdAt: string }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type SetOptOutKeywordsMutationVariables = Exact<{
  input: OptOutKeywordsInput;
}>;


export type SetOptOutKeywordsMutation = { setOptOutKeywords:
    | { __typename: 'Tenant', id: string, optOutKeywords: Array<string>, optInKeywords: Array<string> }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type TemplateFieldsFragment = { id: string, templateId: string, channel: Channel, name: string, language: string, category: string | null, body: string, paramCount: number, headerKind: TemplateHeaderKind, headerText: string | null, buttons: Array<unknown>, status: TemplateStatus, dltEntityId: string | null, dltTemplateId: string | null, subject: string | null, html: string | null, createdAt: string, updatedAt: string };

export type CreateTemplateMutationVariables = Exact<{
  input: CreateTemplateInput;
}>;


export type CreateTemplateMutation = { createTemplate:
    | { __typename: 'Template', id: string, templateId: string, channel: Channel, name: string, language: string, category: string | null, body: string, paramCount: number, headerKind: TemplateHeaderKind, headerText: string | null, buttons: Array<unknown>, status: TemplateStatus, dltEntityId: string | null, dltTemplateId: string | null, subject: string | null, html: string | null, createdAt: string, updatedAt: string }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type UpdateTemplateMutationVariables = Exact<{
  id: string;
  input: UpdateTemplateInput;
}>;


export type UpdateTemplateMutation = { updateTemplate:
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'Template', id: string, templateId: string, channel: Channel, name: string, language: string, category: string | null, body: string, paramCount: number, headerKind: TemplateHeaderKind, headerText: string | null, buttons: Array<unknown>, status: TemplateStatus, dltEntityId: string | null, dltTemplateId: string | null, subject: string | null, html: string | null, createdAt: string, updatedAt: string }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type DeleteTemplateMutationVariables = Exact<{
  id: string;
}>;


export type DeleteTemplateMutation = { deleteTemplate:
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'Template', id: string, templateId: string, channel: Channel, name: string, language: string, category: string | null, body: string, paramCount: number, headerKind: TemplateHeaderKind, headerText: string | null, buttons: Array<unknown>, status: TemplateStatus, dltEntityId: string | null, dltTemplateId: string | null, subject: string | null, html: string | null, createdAt: string, updatedAt: string }
   };

export type SetStrictTemplatesMutationVariables = Exact<{
  enabled: boolean;
}>;


export type SetStrictTemplatesMutation = { setStrictTemplates: { id: string, strictTemplates: boolean } };

export type TemplateQueryVariables = Exact<{
  id: string;
}>;


export type TemplateQuery = { template: { id: string, templateId: string, channel: Channel, name: string, language: string, category: string | null, body: string, paramCount: number, headerKind: TemplateHeaderKind, headerText: string | null, buttons: Array<unknown>, status: TemplateStatus, dltEntityId: string | null, dltTemplateId: string | null, subject: string | null, html: string | null, createdAt: string, updatedAt: string } | null };

export type TemplatesQueryVariables = Exact<{
  filter?: TemplateFilter | null | undefined;
}>;


export type TemplatesQuery = { templates: Array<{ id: string, templateId: string, channel: Channel, name: string, language: string, category: string | null, body: string, paramCount: number, headerKind: TemplateHeaderKind, headerText: string | null, buttons: Array<unknown>, status: TemplateStatus, dltEntityId: string | null, dltTemplateId: string | null, subject: string | null, html: string | null, createdAt: string, updatedAt: string }> };

export type PreviewTemplateQueryVariables = Exact<{
  channel: Channel;
  name: string;
  language?: string | null | undefined;
  params?: Array<string> | string | null | undefined;
}>;


export type PreviewTemplateQuery = { previewTemplate:
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'TemplatePreview', text: string, headerText: string | null, subject: string | null, html: string | null, template: { id: string, paramCount: number } }
    | { __typename: 'ValidationError', code: string, field: string, message: string }
   };

export type ViewerTemplatesQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerTemplatesQuery = { viewer: { tenant: { id: string, strictTemplates: boolean } } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { scopes: Array<ApiKeyScope>, tenant: { id: string, name: string, isOperator: boolean } } };

export type ApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysQuery = { apiKeys: Array<{ id: string, name: string, prefix: string, scopes: Array<ApiKeyScope>, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> };

export type CreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateApiKeyMutation = { createApiKey:
    | { __typename: 'IssuedApiKey', key: string, apiKey: { id: string, prefix: string, scopes: Array<ApiKeyScope> } }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string;
}>;


export type RevokeApiKeyMutation = { revokeApiKey:
    | { __typename: 'ApiKey', id: string, revokedAt: string | null }
    | { __typename: 'NotFoundError', message: string }
   };

export type CreateTenantMutationVariables = Exact<{
  name: string;
}>;


export type CreateTenantMutation = { createTenant:
    | { __typename: 'IssuedApiKey', key: string, tenant: { id: string, name: string } }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export const WebhookEndpointFieldsFragmentDoc = gql`
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  events
  enabled
  createdAt
  updatedAt
}
    `;
export const CallbackDeliveryFieldsFragmentDoc = gql`
    fragment CallbackDeliveryFields on CallbackDelivery {
  id
  eventId
  messageId
  eventStatus
  payload
  url
  status
  attemptCount
  nextAttemptAt
  createdAt
  deliveredAt
  lastStatusCode
  lastError
  endpoint {
    id
  }
  attempts {
    number
    url
    statusCode
    latencyMs
    error
    at
  }
}
    `;
export const CampaignLifecycleFieldsFragmentDoc = gql`
    fragment CampaignLifecycleFields on Campaign {
  id
  campaignId
  status
  sendAt
  startedAt
  completedAt
  canceledAt
}
    `;
export const CampaignFieldsFragmentDoc = gql`
    fragment CampaignFields on Campaign {
  id
  campaignId
  name
  channel
  category
  status
  ratePerSecond
  sendAt
  validUntil
  tags
  callbackUrl
  createdAt
  updatedAt
  startedAt
  completedAt
  canceledAt
  content {
    __typename
    ... on CampaignSmsContent {
      text
      senderId
      unicode
      flash
      dltEntityId
      dltTemplateId
    }
    ... on CampaignWhatsAppContent {
      templateName
      language
      mediaType
      mediaId
    }
    ... on CampaignEmailContent {
      from
      subject
      htmlBody
      textBody
      attachments
    }
  }
  counters {
    scheduled
    queued
    sending
    sent
    delivered
    read
    failed
    undelivered
    expired
    canceled
    total
    invalid
    suppressed
  }
}
    `;
export const MediaFieldsFragmentDoc = gql`
    fragment MediaFields on Media {
  id
  mediaId
  kind
  mimeType
  sizeBytes
  sha256
  filename
  caption
  sourceUrl
  downloadPath
  createdAt
}
    `;
export const MessageFieldsFragmentDoc = gql`
    fragment MessageFields on Message {
  id
  messageId
  channel
  status
  statusAt
  to
  externalRef
  idempotencyKey
  metadata
  tags
  sendAt
  validUntil
  callbackUrl
  category
  createdAt
  attempts
  nextAttemptAt
  provider
  providerMessageId
  lastError {
    code
    message
    retryable
  }
  content {
    __typename
    ... on SmsContent {
      text
      senderId
      encoding
      segments
      flash
      dltEntityId
      dltTemplateId
    }
    ... on WhatsAppContent {
      templateName
      language
      params
      mediaType
      mediaId
    }
    ... on EmailContent {
      to
      cc
      bcc
      from
      subject
      htmlBody
      textBody
      attachments
    }
  }
}
    `;
export const ValidationErrorFieldsFragmentDoc = gql`
    fragment ValidationErrorFields on ValidationError {
  code
  field
  message
}
    `;
export const SuppressionFieldsFragmentDoc = gql`
    fragment SuppressionFields on Suppression {
  channel
  recipient
  reason
  source
  createdAt
}
    `;
export const TemplateFieldsFragmentDoc = gql`
    fragment TemplateFields on Template {
  id
  templateId
  channel
  name
  language
  category
  body
  paramCount
  headerKind
  headerText
  buttons
  status
  dltEntityId
  dltTemplateId
  subject
  html
  createdAt
  updatedAt
}
    `;
export const CreateWebhookEndpointDocument = gql`
    mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    __typename
    ... on CreatedWebhookEndpoint {
      secret
      endpoint {
        ...WebhookEndpointFields
      }
    }
    ... on ValidationError {
      code
      field
      message
    }
  }
}
    ${WebhookEndpointFieldsFragmentDoc}`;
export const UpdateWebhookEndpointDocument = gql`
    mutation UpdateWebhookEndpoint($id: ID!, $input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(id: $id, input: $input) {
    __typename
    ...WebhookEndpointFields
    ... on ValidationError {
      code
      field
      message
    }
    ... on NotFoundError {
      code
      message
    }
  }
}
    ${WebhookEndpointFieldsFragmentDoc}`;
export const DeleteWebhookEndpointDocument = gql`
    mutation DeleteWebhookEndpoint($id: ID!) {
  deleteWebhookEndpoint(id: $id) {
    __typename
    ...WebhookEndpointFields
    ... on NotFoundError {
      code
      message
    }
  }
}
    ${WebhookEndpointFieldsFragmentDoc}`;
export const RotateCallbackSecretDocument = gql`
    mutation RotateCallbackSecret {
  rotateCallbackSecret {
    secret
    createdAt
  }
}
    `;
export const WebhookEndpointsDocument = gql`
    query WebhookEndpoints {
  webhookEndpoints {
    ...WebhookEndpointFields
  }
}
    ${WebhookEndpointFieldsFragmentDoc}`;
export const WebhookEndpointDeliveriesDocument = gql`
    query WebhookEndpointDeliveries($id: ID!, $first: Int, $status: CallbackDeliveryStatus) {
  node(id: $id) {
    __typename
    id
    ... on WebhookEndpoint {
      url
      deliveries(first: $first, status: $status) {
        ...CallbackDeliveryFields
      }
    }
  }
}
    ${CallbackDeliveryFieldsFragmentDoc}`;
export const MessageCallbacksDocument = gql`
    query MessageCallbacks($id: ID!) {
  message(id: $id) {
    messageId
    status
    callbackUrl
    callbackDeliveries {
      ...CallbackDeliveryFields
    }
  }
}
    ${CallbackDeliveryFieldsFragmentDoc}`;
export const StartCampaignDocument = gql`
    mutation StartCampaign($id: ID!) {
  startCampaign(id: $id) {
    __typename
    ...CampaignLifecycleFields
    ... on NotFoundError {
      code
      message
    }
    ... on CampaignStateError {
      code
      message
      status
    }
    ... on ValidationError {
      code
      field
      message
    }
  }
}
    ${CampaignLifecycleFieldsFragmentDoc}`;
export const PauseCampaignDocument = gql`
    mutation PauseCampaign($id: ID!) {
  pauseCampaign(id: $id) {
    __typename
    ...CampaignLifecycleFields
    ... on NotFoundError {
      code
      message
    }
    ... on CampaignStateError {
      code
      message
      status
    }
  }
}
    ${CampaignLifecycleFieldsFragmentDoc}`;
export const ResumeCampaignDocument = gql`
    mutation ResumeCampaign($id: ID!) {
  resumeCampaign(id: $id) {
    __typename
    ...CampaignLifecycleFields
    ... on NotFoundError {
      code
      message
    }
    ... on CampaignStateError {
      code
      message
      status
    }
  }
}
    ${CampaignLifecycleFieldsFragmentDoc}`;
export const CancelCampaignDocument = gql`
    mutation CancelCampaign($id: ID!) {
  cancelCampaign(id: $id) {
    __typename
    ...CampaignLifecycleFields
    ... on NotFoundError {
      code
      message
    }
    ... on CampaignStateError {
      code
      message
      status
    }
  }
}
    ${CampaignLifecycleFieldsFragmentDoc}`;
export const CampaignProgressDocument = gql`
    subscription CampaignProgress($id: ID!) {
  campaignProgress(id: $id) {
    campaignId
    status
    startedAt
    completedAt
    counters {
      scheduled
      queued
      sending
      sent
      delivered
      read
      failed
      undelivered
      expired
      canceled
      total
      invalid
      suppressed
    }
  }
}
    `;
export const CreateCampaignDocument = gql`
    mutation CreateCampaign($input: CreateCampaignInput!) {
  createCampaign(input: $input) {
    __typename
    ...CampaignFields
    ... on ValidationError {
      code
      field
      message
    }
  }
}
    ${CampaignFieldsFragmentDoc}`;
export const AddCampaignRecipientsDocument = gql`
    mutation AddCampaignRecipients($campaignId: ID!, $recipients: [CampaignRecipientInput!]!) {
  addCampaignRecipients(campaignId: $campaignId, recipients: $recipients) {
    __typename
    ... on CampaignRecipientsAdded {
      accepted
      duplicates
      suppressed
      invalidCount
      invalid {
        row
        field
        reason
      }
      campaign {
        ...CampaignFields
      }
    }
    ... on ValidationError {
      code
      field
      message
    }
    ... on NotFoundError {
      code
      message
    }
    ... on CampaignStateError {
      code
      message
      status
    }
  }
}
    ${CampaignFieldsFragmentDoc}`;
export const CampaignDocument = gql`
    query Campaign($id: ID!) {
  campaign(id: $id) {
    ...CampaignFields
  }
}
    ${CampaignFieldsFragmentDoc}`;
export const CampaignsDocument = gql`
    query Campaigns($first: Int, $after: String, $status: CampaignStatus) {
  campaigns(first: $first, after: $after, status: $status) {
    edges {
      cursor
      node {
        ...CampaignFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    ${CampaignFieldsFragmentDoc}`;
export const CampaignMessagesDocument = gql`
    query CampaignMessages($id: ID!, $first: Int, $after: String, $filter: MessageFilter) {
  campaign(id: $id) {
    id
    messages(first: $first, after: $after, filter: $filter) {
      edges {
        node {
          id
          messageId
          channel
          status
          to
          externalRef
          metadata
          tags
          nextAttemptAt
          validUntil
          callbackUrl
          content {
            __typename
            ... on SmsContent {
              text
              senderId
              segments
            }
            ... on WhatsAppContent {
              templateName
              language
              params
              mediaType
              mediaId
            }
            ... on EmailContent {
              to
              subject
              htmlBody
              textBody
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `;
export const ImportCampaignRecipientsDocument = gql`
    mutation ImportCampaignRecipients($campaignId: ID!, $mediaId: ID!, $mapping: [CsvColumnMapping!]!) {
  importCampaignRecipients(
    campaignId: $campaignId
    mediaId: $mediaId
    mapping: $mapping
  ) {
    __typename
    ... on CampaignRecipientsImported {
      rows
      accepted
      duplicates
      suppressed
      invalidCount
      invalid {
        row
        field
        reason
      }
      campaign {
        ...CampaignFields
      }
    }
    ... on ValidationError {
      code
      field
      message
    }
    ... on NotFoundError {
      code
      message
    }
    ... on CampaignStateError {
      code
      message
      status
    }
  }
}
    ${CampaignFieldsFragmentDoc}`;
export const InboundMessagesDocument = gql`
    query InboundMessages($first: Int) {
  inboundMessages(first: $first) {
    id
    provider
    from
    to
    kind
    text
    payload
    occurredAt
  }
}
    `;
export const MessageStatusChangedDocument = gql`
    subscription MessageStatusChanged($id: ID!) {
  messageStatusChanged(id: $id) {
    messageId
    status
    previousStatus
    occurredAt
    errorCode
    errorMessage
  }
}
    `;
export const MessageEventsDocument = gql`
    subscription MessageEvents($filter: MessageEventFilter) {
  messageEvents(filter: $filter) {
    messageId
    channel
    to
    status
    previousStatus
    occurredAt
    errorCode
    errorMessage
    externalRef
    tags
  }
}
    `;
export const UploadMediaDocument = gql`
    mutation UploadMedia($file: File!, $caption: String) {
  uploadMedia(file: $file, caption: $caption) {
    __typename
    ...MediaFields
    ... on ValidationError {
      code
      field
      message
    }
    ... on MediaTooLargeError {
      code
      field
      message
      limitBytes
    }
    ... on UnsupportedMediaError {
      code
      field
      message
      detectedType
    }
  }
}
    ${MediaFieldsFragmentDoc}`;
export const CreateMediaFromUrlDocument = gql`
    mutation CreateMediaFromUrl($url: String!, $caption: String) {
  createMediaFromUrl(url: $url, caption: $caption) {
    __typename
    ...MediaFields
    ... on ValidationError {
      code
      field
      message
    }
    ... on MediaTooLargeError {
      code
      field
      message
      limitBytes
    }
    ... on UnsupportedMediaError {
      code
      field
      message
      detectedType
    }
    ... on MediaUrlRefusedError {
      code
      field
      message
    }
    ... on MediaFetchError {
      code
      field
      message
      httpStatus
    }
  }
}
    ${MediaFieldsFragmentDoc}`;
export const MediaDocument = gql`
    query Media($id: ID!) {
  media(id: $id) {
    ...MediaFields
  }
}
    ${MediaFieldsFragmentDoc}`;
export const MediaListDocument = gql`
    query MediaList($first: Int, $after: String) {
  mediaList(first: $first, after: $after) {
    edges {
      cursor
      node {
        ...MediaFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    ${MediaFieldsFragmentDoc}`;
export const SendSmsDocument = gql`
    mutation SendSms($input: SendSmsInput!) {
  sendSms(input: $input) {
    __typename
    ...MessageFields
    ...ValidationErrorFields
    ... on RecipientSuppressedError {
      code
      field
      message
      channel
      recipient
    }
  }
}
    ${MessageFieldsFragmentDoc}
${ValidationErrorFieldsFragmentDoc}`;
export const SendWhatsAppDocument = gql`
    mutation SendWhatsApp($input: SendWhatsAppInput!) {
  sendWhatsApp(input: $input) {
    __typename
    ...MessageFields
    ...ValidationErrorFields
    ... on RecipientSuppressedError {
      code
      field
      message
      channel
      recipient
    }
  }
}
    ${MessageFieldsFragmentDoc}
${ValidationErrorFieldsFragmentDoc}`;
export const SendEmailDocument = gql`
    mutation SendEmail($input: SendEmailInput!) {
  sendEmail(input: $input) {
    __typename
    ...MessageFields
    ...ValidationErrorFields
    ... on RecipientSuppressedError {
      code
      field
      message
      channel
      recipient
    }
  }
}
    ${MessageFieldsFragmentDoc}
${ValidationErrorFieldsFragmentDoc}`;
export const MessageDocument = gql`
    query Message($id: ID!) {
  message(id: $id) {
    ...MessageFields
    events {
      id
      kind
      status
      previousStatus
      errorCode
      errorMessage
      provider
      occurredAt
      reportedAt
    }
  }
}
    ${MessageFieldsFragmentDoc}`;
export const NodeDocument = gql`
    query Node($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Message {
      messageId
      status
    }
  }
}
    `;
export const MessagesDocument = gql`
    query Messages($first: Int, $after: String, $last: Int, $before: String, $filter: MessageFilter) {
  messages(
    first: $first
    after: $after
    last: $last
    before: $before
    filter: $filter
  ) {
    edges {
      cursor
      node {
        id
        messageId
        channel
        status
        to
        createdAt
      }
    }
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
  }
}
    `;
export const MessagesWithEventsDocument = gql`
    query MessagesWithEvents($first: Int) {
  messages(first: $first) {
    edges {
      node {
        messageId
        events {
          status
        }
      }
    }
  }
}
    `;
export const CancelMessageDocument = gql`
    mutation CancelMessage($id: ID!) {
  cancelMessage(id: $id) {
    __typename
    ... on Message {
      messageId
      status
    }
    ... on InvalidStateError {
      code
      status
      message
    }
    ... on NotFoundError {
      code
      message
    }
  }
}
    `;
export const RetryMessageDocument = gql`
    mutation RetryMessage($id: ID!) {
  retryMessage(id: $id) {
    __typename
    ... on Message {
      messageId
      status
      attempts
      nextAttemptAt
    }
    ... on InvalidStateError {
      code
      status
      message
    }
    ... on NotFoundError {
      code
      message
    }
  }
}
    `;
export const DeliveryHealthDocument = gql`
    query DeliveryHealth($first: Int) {
  deliveryHealth {
    queued
    scheduled
    sending
    stuckSending
    stuckSent
    oldestDueAt
    stuckMessages(first: $first) {
      messageId
      status
      providerMessageId
    }
  }
}
    `;
export const MessageStatsDocument = gql`
    query MessageStats($filter: MessageStatsFilter, $groupBy: [MessageStatsDimension!], $timeZone: String) {
  messageStats(filter: $filter, groupBy: $groupBy, timeZone: $timeZone) {
    __typename
    ... on MessageStats {
      from
      to
      timeZone
      groupBy
      groups {
        key {
          status
          channel
          template
          provider
          campaignId
          day
          hourOfDay
          dayOfWeek
        }
        total
        counts {
          scheduled
          queued
          sending
          sent
          delivered
          read
          failed
          undelivered
          expired
          canceled
        }
        sent
        delivered
        read
        deliveredRate
        readRate
        failureCodes {
          code
          count
        }
        medianSecondsToDelivered
        medianSecondsToRead
      }
    }
    ...ValidationErrorFields
  }
}
    ${ValidationErrorFieldsFragmentDoc}`;
export const SuppressionsDocument = gql`
    query Suppressions($first: Int, $after: String, $last: Int, $before: String, $channel: Channel, $recipient: String) {
  suppressions(
    first: $first
    after: $after
    last: $last
    before: $before
    channel: $channel
    recipient: $recipient
  ) {
    edges {
      cursor
      node {
        ...SuppressionFields
      }
    }
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
  }
}
    ${SuppressionFieldsFragmentDoc}`;
export const AddSuppressionsDocument = gql`
    mutation AddSuppressions($input: AddSuppressionsInput!) {
  addSuppressions(input: $input) {
    __typename
    ... on AddedSuppressions {
      added
      suppressions {
        ...SuppressionFields
      }
      problems {
        index
        field
        message
      }
    }
    ... on ValidationError {
      code
      field
      message
    }
  }
}
    ${SuppressionFieldsFragmentDoc}`;
export const RemoveSuppressionDocument = gql`
    mutation RemoveSuppression($channel: Channel!, $recipient: String!) {
  removeSuppression(channel: $channel, recipient: $recipient) {
    __typename
    ... on Suppression {
      ...SuppressionFields
    }
    ... on ValidationError {
      code
      field
      message
    }
    ... on NotFoundError {
      code
      message
    }
  }
}
    ${SuppressionFieldsFragmentDoc}`;
export const SetOptOutKeywordsDocument = gql`
    mutation SetOptOutKeywords($input: OptOutKeywordsInput!) {
  setOptOutKeywords(input: $input) {
    __typename
    ... on Tenant {
      id
      optOutKeywords
      optInKeywords
    }
    ... on ValidationError {
      code
      field
      message
    }
  }
}
    `;
export const CreateTemplateDocument = gql`
    mutation CreateTemplate($input: CreateTemplateInput!) {
  createTemplate(input: $input) {
    __typename
    ...TemplateFields
    ... on ValidationError {
      code
      field
      message
    }
  }
}
    ${TemplateFieldsFragmentDoc}`;
export const UpdateTemplateDocument = gql`
    mutation UpdateTemplate($id: ID!, $input: UpdateTemplateInput!) {
  updateTemplate(id: $id, input: $input) {
    __typename
    ...TemplateFields
    ... on ValidationError {
      code
      field
      message
    }
    ... on NotFoundError {
      code
      message
    }
  }
}
    ${TemplateFieldsFragmentDoc}`;
export const DeleteTemplateDocument = gql`
    mutation DeleteTemplate($id: ID!) {
  deleteTemplate(id: $id) {
    __typename
    ...TemplateFields
    ... on NotFoundError {
      code
      message
    }
  }
}
    ${TemplateFieldsFragmentDoc}`;
export const SetStrictTemplatesDocument = gql`
    mutation SetStrictTemplates($enabled: Boolean!) {
  setStrictTemplates(enabled: $enabled) {
    id
    strictTemplates
  }
}
    `;
export const TemplateDocument = gql`
    query Template($id: ID!) {
  template(id: $id) {
    ...TemplateFields
  }
}
    ${TemplateFieldsFragmentDoc}`;
export const TemplatesDocument = gql`
    query Templates($filter: TemplateFilter) {
  templates(filter: $filter) {
    ...TemplateFields
  }
}
    ${TemplateFieldsFragmentDoc}`;
export const PreviewTemplateDocument = gql`
    query PreviewTemplate($channel: Channel!, $name: String!, $language: String, $params: [String!]) {
  previewTemplate(
    channel: $channel
    name: $name
    language: $language
    params: $params
  ) {
    __typename
    ... on TemplatePreview {
      text
      headerText
      subject
      html
      template {
        id
        paramCount
      }
    }
    ... on ValidationError {
      code
      field
      message
    }
    ... on NotFoundError {
      code
      message
    }
  }
}
    `;
export const ViewerTemplatesDocument = gql`
    query ViewerTemplates {
  viewer {
    tenant {
      id
      strictTemplates
    }
  }
}
    `;
export const ViewerDocument = gql`
    query Viewer {
  viewer {
    tenant {
      id
      name
      isOperator
    }
    scopes
  }
}
    `;
export const ApiKeysDocument = gql`
    query ApiKeys {
  apiKeys {
    id
    name
    prefix
    scopes
    createdAt
    lastUsedAt
    revokedAt
  }
}
    `;
export const CreateApiKeyDocument = gql`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    __typename
    ... on IssuedApiKey {
      key
      apiKey {
        id
        prefix
        scopes
      }
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    `;
export const RevokeApiKeyDocument = gql`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    __typename
    ... on ApiKey {
      id
      revokedAt
    }
    ... on NotFoundError {
      message
    }
  }
}
    `;
export const CreateTenantDocument = gql`
    mutation CreateTenant($name: String!) {
  createTenant(name: $name) {
    __typename
    ... on IssuedApiKey {
      key
      tenant {
        id
        name
      }
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    `;

export type SdkFunctionWrapper = <T>(action: (requestHeaders?:Record<string, string>) => Promise<T>, operationName: string, operationType?: string, variables?: any) => Promise<T>;


const defaultWrapper: SdkFunctionWrapper = (action, _operationName, _operationType, _variables) => action();

export function getSdk(client: GraphQLClient, withWrapper: SdkFunctionWrapper = defaultWrapper) {
  return {
    CreateWebhookEndpoint(variables: CreateWebhookEndpointMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CreateWebhookEndpointMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CreateWebhookEndpointMutation>({ document: CreateWebhookEndpointDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CreateWebhookEndpoint', 'mutation', variables);
    },
    UpdateWebhookEndpoint(variables: UpdateWebhookEndpointMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<UpdateWebhookEndpointMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<UpdateWebhookEndpointMutation>({ document: UpdateWebhookEndpointDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'UpdateWebhookEndpoint', 'mutation', variables);
    },
    DeleteWebhookEndpoint(variables: DeleteWebhookEndpointMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<DeleteWebhookEndpointMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<DeleteWebhookEndpointMutation>({ document: DeleteWebhookEndpointDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'DeleteWebhookEndpoint', 'mutation', variables);
    },
    RotateCallbackSecret(variables?: RotateCallbackSecretMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<RotateCallbackSecretMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<RotateCallbackSecretMutation>({ document: RotateCallbackSecretDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'RotateCallbackSecret', 'mutation', variables);
    },
    WebhookEndpoints(variables?: WebhookEndpointsQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<WebhookEndpointsQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<WebhookEndpointsQuery>({ document: WebhookEndpointsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'WebhookEndpoints', 'query', variables);
    },
    WebhookEndpointDeliveries(variables: WebhookEndpointDeliveriesQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<WebhookEndpointDeliveriesQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<WebhookEndpointDeliveriesQuery>({ document: WebhookEndpointDeliveriesDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'WebhookEndpointDeliveries', 'query', variables);
    },
    MessageCallbacks(variables: MessageCallbacksQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<MessageCallbacksQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<MessageCallbacksQuery>({ document: MessageCallbacksDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'MessageCallbacks', 'query', variables);
    },
    StartCampaign(variables: StartCampaignMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<StartCampaignMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<StartCampaignMutation>({ document: StartCampaignDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'StartCampaign', 'mutation', variables);
    },
    PauseCampaign(variables: PauseCampaignMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<PauseCampaignMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<PauseCampaignMutation>({ document: PauseCampaignDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'PauseCampaign', 'mutation', variables);
    },
    ResumeCampaign(variables: ResumeCampaignMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<ResumeCampaignMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<ResumeCampaignMutation>({ document: ResumeCampaignDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'ResumeCampaign', 'mutation', variables);
    },
    CancelCampaign(variables: CancelCampaignMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CancelCampaignMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CancelCampaignMutation>({ document: CancelCampaignDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CancelCampaign', 'mutation', variables);
    },
    CampaignProgress(variables: CampaignProgressSubscriptionVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CampaignProgressSubscription> {
      return withWrapper((wrappedRequestHeaders) => client.request<CampaignProgressSubscription>({ document: CampaignProgressDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CampaignProgress', 'subscription', variables);
    },
    CreateCampaign(variables: CreateCampaignMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CreateCampaignMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CreateCampaignMutation>({ document: CreateCampaignDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CreateCampaign', 'mutation', variables);
    },
    AddCampaignRecipients(variables: AddCampaignRecipientsMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<AddCampaignRecipientsMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<AddCampaignRecipientsMutation>({ document: AddCampaignRecipientsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'AddCampaignRecipients', 'mutation', variables);
    },
    Campaign(variables: CampaignQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CampaignQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<CampaignQuery>({ document: CampaignDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'Campaign', 'query', variables);
    },
    Campaigns(variables?: CampaignsQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CampaignsQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<CampaignsQuery>({ document: CampaignsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'Campaigns', 'query', variables);
    },
    CampaignMessages(variables: CampaignMessagesQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CampaignMessagesQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<CampaignMessagesQuery>({ document: CampaignMessagesDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CampaignMessages', 'query', variables);
    },
    ImportCampaignRecipients(variables: ImportCampaignRecipientsMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<ImportCampaignRecipientsMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<ImportCampaignRecipientsMutation>({ document: ImportCampaignRecipientsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'ImportCampaignRecipients', 'mutation', variables);
    },
    InboundMessages(variables?: InboundMessagesQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<InboundMessagesQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<InboundMessagesQuery>({ document: InboundMessagesDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'InboundMessages', 'query', variables);
    },
    MessageStatusChanged(variables: MessageStatusChangedSubscriptionVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<MessageStatusChangedSubscription> {
      return withWrapper((wrappedRequestHeaders) => client.request<MessageStatusChangedSubscription>({ document: MessageStatusChangedDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'MessageStatusChanged', 'subscription', variables);
    },
    MessageEvents(variables?: MessageEventsSubscriptionVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<MessageEventsSubscription> {
      return withWrapper((wrappedRequestHeaders) => client.request<MessageEventsSubscription>({ document: MessageEventsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'MessageEvents', 'subscription', variables);
    },
    UploadMedia(variables: UploadMediaMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<UploadMediaMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<UploadMediaMutation>({ document: UploadMediaDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'UploadMedia', 'mutation', variables);
    },
    CreateMediaFromUrl(variables: CreateMediaFromUrlMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CreateMediaFromUrlMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CreateMediaFromUrlMutation>({ document: CreateMediaFromUrlDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CreateMediaFromUrl', 'mutation', variables);
    },
    Media(variables: MediaQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<MediaQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<MediaQuery>({ document: MediaDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'Media', 'query', variables);
    },
    MediaList(variables?: MediaListQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<MediaListQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<MediaListQuery>({ document: MediaListDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'MediaList', 'query', variables);
    },
    SendSms(variables: SendSmsMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<SendSmsMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<SendSmsMutation>({ document: SendSmsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'SendSms', 'mutation', variables);
    },
    SendWhatsApp(variables: SendWhatsAppMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<SendWhatsAppMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<SendWhatsAppMutation>({ document: SendWhatsAppDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'SendWhatsApp', 'mutation', variables);
    },
    SendEmail(variables: SendEmailMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<SendEmailMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<SendEmailMutation>({ document: SendEmailDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'SendEmail', 'mutation', variables);
    },
    Message(variables: MessageQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<MessageQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<MessageQuery>({ document: MessageDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'Message', 'query', variables);
    },
    Node(variables: NodeQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<NodeQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<NodeQuery>({ document: NodeDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'Node', 'query', variables);
    },
    Messages(variables?: MessagesQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<MessagesQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<MessagesQuery>({ document: MessagesDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'Messages', 'query', variables);
    },
    MessagesWithEvents(variables?: MessagesWithEventsQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<MessagesWithEventsQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<MessagesWithEventsQuery>({ document: MessagesWithEventsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'MessagesWithEvents', 'query', variables);
    },
    CancelMessage(variables: CancelMessageMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CancelMessageMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CancelMessageMutation>({ document: CancelMessageDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CancelMessage', 'mutation', variables);
    },
    RetryMessage(variables: RetryMessageMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<RetryMessageMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<RetryMessageMutation>({ document: RetryMessageDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'RetryMessage', 'mutation', variables);
    },
    DeliveryHealth(variables?: DeliveryHealthQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<DeliveryHealthQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<DeliveryHealthQuery>({ document: DeliveryHealthDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'DeliveryHealth', 'query', variables);
    },
    MessageStats(variables?: MessageStatsQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<MessageStatsQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<MessageStatsQuery>({ document: MessageStatsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'MessageStats', 'query', variables);
    },
    Suppressions(variables?: SuppressionsQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<SuppressionsQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<SuppressionsQuery>({ document: SuppressionsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'Suppressions', 'query', variables);
    },
    AddSuppressions(variables: AddSuppressionsMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<AddSuppressionsMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<AddSuppressionsMutation>({ document: AddSuppressionsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'AddSuppressions', 'mutation', variables);
    },
    RemoveSuppression(variables: RemoveSuppressionMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<RemoveSuppressionMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<RemoveSuppressionMutation>({ document: RemoveSuppressionDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'RemoveSuppression', 'mutation', variables);
    },
    SetOptOutKeywords(variables: SetOptOutKeywordsMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<SetOptOutKeywordsMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<SetOptOutKeywordsMutation>({ document: SetOptOutKeywordsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'SetOptOutKeywords', 'mutation', variables);
    },
    CreateTemplate(variables: CreateTemplateMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CreateTemplateMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CreateTemplateMutation>({ document: CreateTemplateDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CreateTemplate', 'mutation', variables);
    },
    UpdateTemplate(variables: UpdateTemplateMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<UpdateTemplateMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<UpdateTemplateMutation>({ document: UpdateTemplateDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'UpdateTemplate', 'mutation', variables);
    },
    DeleteTemplate(variables: DeleteTemplateMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<DeleteTemplateMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<DeleteTemplateMutation>({ document: DeleteTemplateDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'DeleteTemplate', 'mutation', variables);
    },
    SetStrictTemplates(variables: SetStrictTemplatesMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<SetStrictTemplatesMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<SetStrictTemplatesMutation>({ document: SetStrictTemplatesDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'SetStrictTemplates', 'mutation', variables);
    },
    Template(variables: TemplateQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<TemplateQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<TemplateQuery>({ document: TemplateDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'Template', 'query', variables);
    },
    Templates(variables?: TemplatesQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<TemplatesQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<TemplatesQuery>({ document: TemplatesDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'Templates', 'query', variables);
    },
    PreviewTemplate(variables: PreviewTemplateQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<PreviewTemplateQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<PreviewTemplateQuery>({ document: PreviewTemplateDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'PreviewTemplate', 'query', variables);
    },
    ViewerTemplates(variables?: ViewerTemplatesQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<ViewerTemplatesQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<ViewerTemplatesQuery>({ document: ViewerTemplatesDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'ViewerTemplates', 'query', variables);
    },
    Viewer(variables?: ViewerQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<ViewerQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<ViewerQuery>({ document: ViewerDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'Viewer', 'query', variables);
    },
    ApiKeys(variables?: ApiKeysQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<ApiKeysQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<ApiKeysQuery>({ document: ApiKeysDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'ApiKeys', 'query', variables);
    },
    CreateApiKey(variables: CreateApiKeyMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CreateApiKeyMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CreateApiKeyMutation>({ document: CreateApiKeyDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CreateApiKey', 'mutation', variables);
    },
    RevokeApiKey(variables: RevokeApiKeyMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<RevokeApiKeyMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<RevokeApiKeyMutation>({ document: RevokeApiKeyDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'RevokeApiKey', 'mutation', variables);
    },
    CreateTenant(variables: CreateTenantMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CreateTenantMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CreateTenantMutation>({ document: CreateTenantDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CreateTenant', 'mutation', variables);
    }
  };
}
export type Sdk = ReturnType<typeof getSdk>;