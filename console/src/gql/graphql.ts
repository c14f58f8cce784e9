/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export const ApiKeyScope = {
  Admin: 'ADMIN',
  Read: 'READ',
  Send: 'SEND'
} as const;

export type ApiKeyScope = typeof ApiKeyScope[keyof typeof ApiKeyScope];
/** PENDING until the receiver answers 2xx (DELIVERED) or the retry window closes (FAILED). */
export const CallbackDeliveryStatus = {
  Delivered: 'DELIVERED',
  Failed: 'FAILED',
  Pending: 'PENDING'
} as const;

export type CallbackDeliveryStatus = typeof CallbackDeliveryStatus[keyof typeof CallbackDeliveryStatus];
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

export const CampaignStatus = {
  /** Canceled; messages not yet handed to a provider were canceled. Final. */
  Canceled: 'CANCELED',
  /** Every message reached a final status or was handed to a provider. Final. */
  Completed: 'COMPLETED',
  /** Created; recipients can be added. Nothing is sent. */
  Draft: 'DRAFT',
  /** No new message is released until it is resumed. */
  Paused: 'PAUSED',
  /** Its messages are released at its rate. */
  Running: 'RUNNING',
  /** Started with a sendAt ahead: starts then. */
  Scheduled: 'SCHEDULED'
} as const;

export type CampaignStatus = typeof CampaignStatus[keyof typeof CampaignStatus];
export type CampaignWhatsAppContentInput = {
  /** Default en. */
  language?: string | null | undefined;
  /** Header media: an uploaded media id of the kind, or an http(s) URL. */
  mediaId?: string | null | undefined;
  mediaType?: MediaType | null | undefined;
  templateName: string;
};

export const Channel = {
  Email: 'EMAIL',
  Sms: 'SMS',
  Whatsapp: 'WHATSAPP'
} as const;

export type Channel = typeof Channel[keyof typeof Channel];
export type ConfigureProviderInput = {
  /** One of: sandbox, twilio, whatsapp-cloud, smsmedia, smtp. */
  kind: string;
  /** Your name for it, used in routes. */
  name: string;
  /** Tokens and passwords; omitted on an update, the stored ones stay. */
  secrets?: unknown;
  /** Non-secret settings (account SID, sender, base URL...). */
  settings: unknown;
};

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

export const CredentialCheckResult = {
  /** The provider refused them, or the account or number they name (message: its own words). */
  BadCredentials: 'BAD_CREDENTIALS',
  /** This kind has no harmless call to check with: the first send tells. */
  NotCheckable: 'NOT_CHECKABLE',
  /** The provider accepted the credentials. */
  Ok: 'OK',
  /** The provider could not be reached or did not answer in time. */
  Unreachable: 'UNREACHABLE'
} as const;

export type CredentialCheckResult = typeof CredentialCheckResult[keyof typeof CredentialCheckResult];
export type CsvColumnMapping = {
  /** A column's name in the CSV's header row. */
  column: string;
  /** What it fills: to, externalRef, params.N ({{N}}, from 1, without gaps) or metadata.<key>. */
  field: string;
};

/** What the bytes are, recognised from the bytes themselves. */
export const MediaKind = {
  Audio: 'AUDIO',
  Document: 'DOCUMENT',
  Image: 'IMAGE',
  Sticker: 'STICKER',
  Video: 'VIDEO'
} as const;

export type MediaKind = typeof MediaKind[keyof typeof MediaKind];
export const MediaType = {
  Document: 'DOCUMENT',
  Image: 'IMAGE',
  None: 'NONE',
  Video: 'VIDEO'
} as const;

export type MediaType = typeof MediaType[keyof typeof MediaType];
/** Why a message is sent, as Meta and Twilio distinguish. Opt-outs (the suppression list) block MARKETING only. */
export const MessageCategory = {
  Authentication: 'AUTHENTICATION',
  Marketing: 'MARKETING',
  Utility: 'UTILITY'
} as const;

export type MessageCategory = typeof MessageCategory[keyof typeof MessageCategory];
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
export const MessageStatus = {
  /** Canceled by cancelMessage before it was sent. Final. */
  Canceled: 'CANCELED',
  /** Delivered to the handset or mailbox. Not final: READ may follow (channels without read reports stay here). */
  Delivered: 'DELIVERED',
  /** validUntil passed before it could be sent. Final. */
  Expired: 'EXPIRED',
  /** Failed permanently or out of attempts. Final; only retryMessage (back to QUEUED) or a late DELIVERED/READ report from the provider moves it again. */
  Failed: 'FAILED',
  /** Waiting to be sent (also after a retryable failure, and after retryMessage). */
  Queued: 'QUEUED',
  /** Read by the recipient. Final. */
  Read: 'READ',
  /** Held until sendAt. */
  Scheduled: 'SCHEDULED',
  /** Claimed by a worker; the provider is being called. */
  Sending: 'SENDING',
  /** Accepted by the provider. */
  Sent: 'SENT',
  /** The provider could not deliver it. Final; only a late DELIVERED/READ report from the provider moves it again. */
  Undelivered: 'UNDELIVERED'
} as const;

export type MessageStatus = typeof MessageStatus[keyof typeof MessageStatus];
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

export type SetRouteInput = {
  channel: Channel;
  fallbackChannel?: Channel | null | undefined;
  fallbackProvider?: string | null | undefined;
  provider: string;
};

/** A WhatsApp template header: IMAGE, VIDEO and DOCUMENT headers need a send with that mediaType. */
export const TemplateHeaderKind = {
  Document: 'DOCUMENT',
  Image: 'IMAGE',
  None: 'NONE',
  Text: 'TEXT',
  Video: 'VIDEO'
} as const;

export type TemplateHeaderKind = typeof TemplateHeaderKind[keyof typeof TemplateHeaderKind];
/** Only APPROVED templates can be sent. WhatsApp templates follow Meta's review once submitted (submitTemplate): PENDING, then APPROVED or REJECTED; Meta may later PAUSE (low quality) or DISABLE one. */
export const TemplateStatus = {
  Approved: 'APPROVED',
  Disabled: 'DISABLED',
  Paused: 'PAUSED',
  Pending: 'PENDING',
  Rejected: 'REJECTED'
} as const;

export type TemplateStatus = typeof TemplateStatus[keyof typeof TemplateStatus];
export type StatsFiguresFragment = { total: number, sent: number, delivered: number, read: number, deliveredRate: number | null, readRate: number | null };

type StatsAnswer_MessageStats_Fragment = { __typename: 'MessageStats', groups: Array<{ total: number, sent: number, delivered: number, read: number, deliveredRate: number | null, readRate: number | null, key: { day: string | null, hourOfDay: number | null, template: string | null, channel: Channel | null, provider: string | null } }> };

type StatsAnswer_ValidationError_Fragment = { __typename: 'ValidationError', field: string, message: string };

export type StatsAnswerFragment =
  | StatsAnswer_MessageStats_Fragment
  | StatsAnswer_ValidationError_Fragment
;

export type ConsoleAnalyticsQueryVariables = Exact<{
  filter?: MessageStatsFilter | null | undefined;
  timeZone?: string | null | undefined;
}>;


export type ConsoleAnalyticsQuery = { byDay:
    | { __typename: 'MessageStats', groups: Array<{ total: number, sent: number, delivered: number, read: number, deliveredRate: number | null, readRate: number | null, key: { day: string | null, hourOfDay: number | null, template: string | null, channel: Channel | null, provider: string | null } }> }
    | { __typename: 'ValidationError', field: string, message: string }
  , byHour:
    | { __typename: 'MessageStats', groups: Array<{ total: number, sent: number, delivered: number, read: number, deliveredRate: number | null, readRate: number | null, key: { day: string | null, hourOfDay: number | null, template: string | null, channel: Channel | null, provider: string | null } }> }
    | { __typename: 'ValidationError', field: string, message: string }
  , byTemplate:
    | { __typename: 'MessageStats', groups: Array<{ total: number, sent: number, delivered: number, read: number, deliveredRate: number | null, readRate: number | null, key: { day: string | null, hourOfDay: number | null, template: string | null, channel: Channel | null, provider: string | null } }> }
    | { __typename: 'ValidationError', field: string, message: string }
  , byRoute:
    | { __typename: 'MessageStats', groups: Array<{ total: number, sent: number, delivered: number, read: number, deliveredRate: number | null, readRate: number | null, key: { day: string | null, hourOfDay: number | null, template: string | null, channel: Channel | null, provider: string | null } }> }
    | { __typename: 'ValidationError', field: string, message: string }
  , overall:
    | { __typename: 'MessageStats', from: string, to: string, timeZone: string, groups: Array<{ total: number, sent: number, delivered: number, read: number, deliveredRate: number | null, readRate: number | null, failureCodes: Array<{ code: string, count: number }> }> }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type CampaignCountsFragment = { total: number, scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number, invalid: number, suppressed: number };

export type ConsoleCampaignsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ConsoleCampaignsQuery = { campaigns: { edges: Array<{ node: { id: string, campaignId: string, name: string, channel: Channel, status: CampaignStatus, createdAt: string, startedAt: string | null, completedAt: string | null, counters: { total: number, scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number, invalid: number, suppressed: number } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ConsoleCampaignProgressSubscriptionVariables = Exact<{
  id: string;
}>;


export type ConsoleCampaignProgressSubscription = { campaignProgress: { campaignId: string, status: CampaignStatus, startedAt: string | null, completedAt: string | null, counters: { total: number, scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number, invalid: number, suppressed: number } } };

export type ConsolePauseCampaignMutationVariables = Exact<{
  id: string;
}>;


export type ConsolePauseCampaignMutation = { pauseCampaign:
    | { __typename: 'Campaign', status: CampaignStatus }
    | { __typename: 'CampaignStateError', message: string }
    | { __typename: 'NotFoundError', message: string }
   };

export type ConsoleResumeCampaignMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleResumeCampaignMutation = { resumeCampaign:
    | { __typename: 'Campaign', status: CampaignStatus }
    | { __typename: 'CampaignStateError', message: string }
    | { __typename: 'NotFoundError', message: string }
   };

export type ConsoleCancelCampaignMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleCancelCampaignMutation = { cancelCampaign:
    | { __typename: 'Campaign', status: CampaignStatus }
    | { __typename: 'CampaignStateError', message: string }
    | { __typename: 'NotFoundError', message: string }
   };

export type ConsoleCreateCampaignMutationVariables = Exact<{
  input: CreateCampaignInput;
}>;


export type ConsoleCreateCampaignMutation = { createCampaign:
    | { __typename: 'Campaign', id: string, campaignId: string }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type ConsoleUploadCsvMutationVariables = Exact<{
  file: File;
}>;


export type ConsoleUploadCsvMutation = { uploadMedia:
    | { __typename: 'Media', mediaId: string }
    | { __typename: 'MediaTooLargeError', message: string }
    | { __typename: 'UnsupportedMediaError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type ConsoleImportCampaignRecipientsMutationVariables = Exact<{
  campaignId: string;
  mediaId: string;
  mapping: Array<CsvColumnMapping> | CsvColumnMapping;
}>;


export type ConsoleImportCampaignRecipientsMutation = { importCampaignRecipients:
    | { __typename: 'CampaignRecipientsImported', rows: number, accepted: number, duplicates: number, suppressed: number, invalidCount: number, invalid: Array<{ row: number, field: string, reason: string }> }
    | { __typename: 'CampaignStateError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type ConsoleStartCampaignMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleStartCampaignMutation = { startCampaign:
    | { __typename: 'Campaign', status: CampaignStatus }
    | { __typename: 'CampaignStateError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type ConsoleCampaignChoicesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleCampaignChoicesQuery = { campaigns: { edges: Array<{ node: { id: string, name: string } }> } };

export type MessageRowFragment = { id: string, messageId: string, channel: Channel, to: string, status: MessageStatus, statusAt: string, createdAt: string, externalRef: string | null, tags: Array<string>, provider: string | null };

export type ConsoleMessagesQueryVariables = Exact<{
  filter?: MessageFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ConsoleMessagesQuery = { messages: { edges: Array<{ node: { id: string, messageId: string, channel: Channel, to: string, status: MessageStatus, statusAt: string, createdAt: string, externalRef: string | null, tags: Array<string>, provider: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ConsoleMessageEventsSubscriptionVariables = Exact<{
  filter?: MessageEventFilter | null | undefined;
}>;


export type ConsoleMessageEventsSubscription = { messageEvents: { messageId: string, channel: Channel, to: string, status: MessageStatus, previousStatus: MessageStatus | null, occurredAt: string, externalRef: string | null, tags: Array<string>, errorCode: string | null } };

export type ConsoleMessageQueryVariables = Exact<{
  id: string;
}>;


export type ConsoleMessageQuery = { message: { attempts: number, category: MessageCategory | null, providerMessageId: string | null, sendAt: string | null, validUntil: string | null, nextAttemptAt: string | null, updatedAt: string, idempotencyKey: string | null, callbackUrl: string | null, metadata: unknown, id: string, messageId: string, channel: Channel, to: string, status: MessageStatus, statusAt: string, createdAt: string, externalRef: string | null, tags: Array<string>, provider: string | null, lastError: { code: string, message: string | null, retryable: boolean | null } | null, content:
      | { __typename: 'EmailContent', from: string | null, cc: Array<string>, bcc: Array<string>, subject: string, textBody: string | null, htmlBody: string | null, attachments: Array<string>, emailTo: Array<string> }
      | { __typename: 'SmsContent', text: string, senderId: string | null, encoding: string, segments: number, flash: boolean, dltTemplateId: string | null, dltEntityId: string | null }
      | { __typename: 'WhatsAppContent', templateName: string, language: string, params: Array<string>, mediaId: string | null, mediaType: MediaType }
    , events: Array<{ id: string, kind: string, status: MessageStatus | null, previousStatus: MessageStatus | null, provider: string | null, occurredAt: string, reportedAt: string | null, errorCode: string | null, errorMessage: string | null, payload: unknown }>, callbackDeliveries: Array<{ id: string, url: string, eventStatus: MessageStatus | null, status: CallbackDeliveryStatus, attemptCount: number, lastStatusCode: number | null, lastError: string | null, createdAt: string, deliveredAt: string | null, nextAttemptAt: string | null, payload: unknown, attempts: Array<{ number: number, at: string, url: string, statusCode: number | null, latencyMs: number, error: string | null }> }> } | null };

export type ConsoleMessageStatusSubscriptionVariables = Exact<{
  id: string;
}>;


export type ConsoleMessageStatusSubscription = { messageStatusChanged: { status: MessageStatus, occurredAt: string } };

export type ConsoleSendSmsMutationVariables = Exact<{
  input: SendSmsInput;
}>;


export type ConsoleSendSmsMutation = { sendSms:
    | { __typename: 'Message', messageId: string }
    | { __typename: 'RecipientSuppressedError', message: string, field: string }
    | { __typename: 'ValidationError', message: string, field: string }
   };

export type ConsoleSendEmailMutationVariables = Exact<{
  input: SendEmailInput;
}>;


export type ConsoleSendEmailMutation = { sendEmail:
    | { __typename: 'Message', messageId: string }
    | { __typename: 'RecipientSuppressedError', message: string, field: string }
    | { __typename: 'ValidationError', message: string, field: string }
   };

export type ConsoleViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleViewerQuery = { viewer: { scopes: Array<ApiKeyScope>, tenant: { id: string, name: string } } };

export type ConsoleApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleApiKeysQuery = { apiKeys: Array<{ id: string, name: string, prefix: string, scopes: Array<ApiKeyScope>, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> };

export type ConsoleCreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type ConsoleCreateApiKeyMutation = { createApiKey:
    | { __typename: 'IssuedApiKey', key: string, apiKey: { id: string } }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type ConsoleRevokeApiKeyMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleRevokeApiKeyMutation = { revokeApiKey:
    | { __typename: 'ApiKey', revokedAt: string | null }
    | { __typename: 'NotFoundError', message: string }
   };

export type ConsoleTemplatesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleTemplatesQuery = { templates: Array<{ id: string, name: string, language: string, channel: Channel, status: TemplateStatus, headerKind: TemplateHeaderKind, paramCount: number, body: string, subject: string | null }> };

export type ConsoleCreateTemplateMutationVariables = Exact<{
  input: CreateTemplateInput;
}>;


export type ConsoleCreateTemplateMutation = { createTemplate:
    | { __typename: 'Template', id: string }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type ConsoleTemplatePreviewQueryVariables = Exact<{
  channel: Channel;
  name: string;
  language?: string | null | undefined;
  params?: Array<string> | string | null | undefined;
}>;


export type ConsoleTemplatePreviewQuery = { previewTemplate:
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'TemplatePreview', headerText: string | null, subject: string | null, text: string }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type ConsoleWebhookEndpointsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleWebhookEndpointsQuery = { webhookEndpoints: Array<{ id: string, url: string, events: Array<MessageStatus>, enabled: boolean, createdAt: string, deliveries: Array<{ id: string, messageId: string | null, eventStatus: MessageStatus | null, status: CallbackDeliveryStatus, attemptCount: number, lastStatusCode: number | null, lastError: string | null, createdAt: string }> }> };

export type ConsoleCreateWebhookEndpointMutationVariables = Exact<{
  input: CreateWebhookEndpointInput;
}>;


export type ConsoleCreateWebhookEndpointMutation = { createWebhookEndpoint:
    | { __typename: 'CreatedWebhookEndpoint', secret: string, endpoint: { id: string } }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type ConsoleDeleteWebhookEndpointMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleDeleteWebhookEndpointMutation = { deleteWebhookEndpoint:
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'WebhookEndpoint' }
   };

export type ConsoleProvidersAndRoutesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleProvidersAndRoutesQuery = { providers: Array<{ name: string, kind: string, instance: string, enabled: boolean, hasSecrets: boolean, settings: unknown, webhookPath: string, updatedAt: string }>, routes: Array<{ channel: Channel, provider: string, fallbackChannel: Channel | null, fallbackProvider: string | null, updatedAt: string }> };

export type ConsoleConfigureProviderMutationVariables = Exact<{
  input: ConfigureProviderInput;
}>;


export type ConsoleConfigureProviderMutation = { configureProvider:
    | { __typename: 'ProviderConfig', name: string, credentialCheck: { result: CredentialCheckResult, message: string } | null }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type ConsoleTestProviderMutationVariables = Exact<{
  name: string;
}>;


export type ConsoleTestProviderMutation = { testProvider:
    | { __typename: 'CredentialCheck', result: CredentialCheckResult, message: string }
    | { __typename: 'NotFoundError', message: string }
   };

export type ConsoleSetRouteMutationVariables = Exact<{
  input: SetRouteInput;
}>;


export type ConsoleSetRouteMutation = { setRoute:
    | { __typename: 'Route', channel: Channel }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type ConsoleMediaLibraryQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ConsoleMediaLibraryQuery = { mediaList: { edges: Array<{ node: { id: string, mediaId: string, kind: MediaKind, filename: string | null, caption: string | null, mimeType: string, sizeBytes: number, downloadPath: string, createdAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ConsoleDeliveryHealthQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleDeliveryHealthQuery = { deliveryHealth: { queued: number, scheduled: number, sending: number, stuckSending: number, stuckSent: number, oldestDueAt: string | null, stuckMessages: Array<{ messageId: string, channel: Channel, to: string, status: MessageStatus, statusAt: string }> } };

export type ConsoleWhatsAppTemplatesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleWhatsAppTemplatesQuery = { templates: Array<{ id: string, name: string, language: string, paramCount: number, headerKind: TemplateHeaderKind, headerText: string | null, body: string, status: TemplateStatus }> };

export type ConsolePreviewTemplateQueryVariables = Exact<{
  name: string;
  language?: string | null | undefined;
  params?: Array<string> | string | null | undefined;
}>;


export type ConsolePreviewTemplateQuery = { previewTemplate:
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'TemplatePreview', headerText: string | null, text: string }
    | { __typename: 'ValidationError', message: string, field: string }
   };

export type ConsoleMediaListQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type ConsoleMediaListQuery = { mediaList: { edges: Array<{ node: { mediaId: string, kind: MediaKind, filename: string | null, mimeType: string, sizeBytes: number, downloadPath: string } }> } };

export type ConsoleUploadMediaMutationVariables = Exact<{
  file: File;
  caption?: string | null | undefined;
}>;


export type ConsoleUploadMediaMutation = { uploadMedia:
    | { __typename: 'Media', mediaId: string, kind: MediaKind, filename: string | null }
    | { __typename: 'MediaTooLargeError', message: string }
    | { __typename: 'UnsupportedMediaError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type ConsoleSendWhatsAppMutationVariables = Exact<{
  input: SendWhatsAppInput;
}>;


export type ConsoleSendWhatsAppMutation = { sendWhatsApp:
    | { __typename: 'Message', messageId: string }
    | { __typename: 'RecipientSuppressedError', message: string, field: string }
    | { __typename: 'ValidationError', message: string, field: string }
   };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const StatsFiguresFragmentDoc = new TypedDocumentString(`
    fragment StatsFigures on MessageStatsGroup {
  total
  sent
  delivered
  read
  deliveredRate
  readRate
}
    `, {"fragmentName":"StatsFigures"}) as unknown as TypedDocumentString<StatsFiguresFragment, unknown>;
export const StatsAnswerFragmentDoc = new TypedDocumentString(`
    fragment StatsAnswer on MessageStatsResult {
  __typename
  ... on MessageStats {
    groups {
      key {
        day
        hourOfDay
        template
        channel
        provider
      }
      ...StatsFigures
    }
  }
  ... on ValidationError {
    field
    message
  }
}
    fragment StatsFigures on MessageStatsGroup {
  total
  sent
  delivered
  read
  deliveredRate
  readRate
}`, {"fragmentName":"StatsAnswer"}) as unknown as TypedDocumentString<StatsAnswerFragment, unknown>;
export const CampaignCountsFragmentDoc = new TypedDocumentString(`
    fragment CampaignCounts on CampaignCounters {
  total
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
  invalid
  suppressed
}
    `, {"fragmentName":"CampaignCounts"}) as unknown as TypedDocumentString<CampaignCountsFragment, unknown>;
export const MessageRowFragmentDoc = new TypedDocumentString(`
    fragment MessageRow on Message {
  id
  messageId
  channel
  to
  status
  statusAt
  createdAt
  externalRef
  tags
  provider
}
    `, {"fragmentName":"MessageRow"}) as unknown as TypedDocumentString<MessageRowFragment, unknown>;
export const ConsoleAnalyticsDocument = new TypedDocumentString(`
    query ConsoleAnalytics($filter: MessageStatsFilter, $timeZone: String) {
  byDay: messageStats(filter: $filter, groupBy: [DAY], timeZone: $timeZone) {
    ...StatsAnswer
  }
  byHour: messageStats(
    filter: $filter
    groupBy: [HOUR_OF_DAY]
    timeZone: $timeZone
  ) {
    ...StatsAnswer
  }
  byTemplate: messageStats(
    filter: $filter
    groupBy: [TEMPLATE]
    timeZone: $timeZone
  ) {
    ...StatsAnswer
  }
  byRoute: messageStats(
    filter: $filter
    groupBy: [CHANNEL, PROVIDER]
    timeZone: $timeZone
  ) {
    ...StatsAnswer
  }
  overall: messageStats(filter: $filter, timeZone: $timeZone) {
    __typename
    ... on MessageStats {
      from
      to
      timeZone
      groups {
        ...StatsFigures
        failureCodes {
          code
          count
        }
      }
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    fragment StatsFigures on MessageStatsGroup {
  total
  sent
  delivered
  read
  deliveredRate
  readRate
}
fragment StatsAnswer on MessageStatsResult {
  __typename
  ... on MessageStats {
    groups {
      key {
        day
        hourOfDay
        template
        channel
        provider
      }
      ...StatsFigures
    }
  }
  ... on ValidationError {
    field
    message
  }
}`) as unknown as TypedDocumentString<ConsoleAnalyticsQuery, ConsoleAnalyticsQueryVariables>;
export const ConsoleCampaignsDocument = new TypedDocumentString(`
    query ConsoleCampaigns($first: Int, $after: String) {
  campaigns(first: $first, after: $after) {
    edges {
      node {
        id
        campaignId
        name
        channel
        status
        createdAt
        startedAt
        completedAt
        counters {
          ...CampaignCounts
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment CampaignCounts on CampaignCounters {
  total
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
  invalid
  suppressed
}`) as unknown as TypedDocumentString<ConsoleCampaignsQuery, ConsoleCampaignsQueryVariables>;
export const ConsoleCampaignProgressDocument = new TypedDocumentString(`
    subscription ConsoleCampaignProgress($id: ID!) {
  campaignProgress(id: $id) {
    campaignId
    status
    startedAt
    completedAt
    counters {
      ...CampaignCounts
    }
  }
}
    fragment CampaignCounts on CampaignCounters {
  total
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
  invalid
  suppressed
}`) as unknown as TypedDocumentString<ConsoleCampaignProgressSubscription, ConsoleCampaignProgressSubscriptionVariables>;
export const ConsolePauseCampaignDocument = new TypedDocumentString(`
    mutation ConsolePauseCampaign($id: ID!) {
  pauseCampaign(id: $id) {
    __typename
    ... on Campaign {
      status
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsolePauseCampaignMutation, ConsolePauseCampaignMutationVariables>;
export const ConsoleResumeCampaignDocument = new TypedDocumentString(`
    mutation ConsoleResumeCampaign($id: ID!) {
  resumeCampaign(id: $id) {
    __typename
    ... on Campaign {
      status
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleResumeCampaignMutation, ConsoleResumeCampaignMutationVariables>;
export const ConsoleCancelCampaignDocument = new TypedDocumentString(`
    mutation ConsoleCancelCampaign($id: ID!) {
  cancelCampaign(id: $id) {
    __typename
    ... on Campaign {
      status
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCancelCampaignMutation, ConsoleCancelCampaignMutationVariables>;
export const ConsoleCreateCampaignDocument = new TypedDocumentString(`
    mutation ConsoleCreateCampaign($input: CreateCampaignInput!) {
  createCampaign(input: $input) {
    __typename
    ... on Campaign {
      id
      campaignId
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCreateCampaignMutation, ConsoleCreateCampaignMutationVariables>;
export const ConsoleUploadCsvDocument = new TypedDocumentString(`
    mutation ConsoleUploadCsv($file: File!) {
  uploadMedia(file: $file) {
    __typename
    ... on Media {
      mediaId
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleUploadCsvMutation, ConsoleUploadCsvMutationVariables>;
export const ConsoleImportCampaignRecipientsDocument = new TypedDocumentString(`
    mutation ConsoleImportCampaignRecipients($campaignId: ID!, $mediaId: ID!, $mapping: [CsvColumnMapping!]!) {
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
    }
    ... on ValidationError {
      field
      message
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleImportCampaignRecipientsMutation, ConsoleImportCampaignRecipientsMutationVariables>;
export const ConsoleStartCampaignDocument = new TypedDocumentString(`
    mutation ConsoleStartCampaign($id: ID!) {
  startCampaign(id: $id) {
    __typename
    ... on Campaign {
      status
    }
    ... on ValidationError {
      field
      message
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleStartCampaignMutation, ConsoleStartCampaignMutationVariables>;
export const ConsoleCampaignChoicesDocument = new TypedDocumentString(`
    query ConsoleCampaignChoices {
  campaigns(first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCampaignChoicesQuery, ConsoleCampaignChoicesQueryVariables>;
export const ConsoleMessagesDocument = new TypedDocumentString(`
    query ConsoleMessages($filter: MessageFilter, $first: Int, $after: String) {
  messages(filter: $filter, first: $first, after: $after) {
    edges {
      node {
        ...MessageRow
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment MessageRow on Message {
  id
  messageId
  channel
  to
  status
  statusAt
  createdAt
  externalRef
  tags
  provider
}`) as unknown as TypedDocumentString<ConsoleMessagesQuery, ConsoleMessagesQueryVariables>;
export const ConsoleMessageEventsDocument = new TypedDocumentString(`
    subscription ConsoleMessageEvents($filter: MessageEventFilter) {
  messageEvents(filter: $filter) {
    messageId
    channel
    to
    status
    previousStatus
    occurredAt
    externalRef
    tags
    errorCode
  }
}
    `) as unknown as TypedDocumentString<ConsoleMessageEventsSubscription, ConsoleMessageEventsSubscriptionVariables>;
export const ConsoleMessageDocument = new TypedDocumentString(`
    query ConsoleMessage($id: ID!) {
  message(id: $id) {
    ...MessageRow
    attempts
    category
    providerMessageId
    sendAt
    validUntil
    nextAttemptAt
    updatedAt
    idempotencyKey
    callbackUrl
    metadata
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
        dltTemplateId
        dltEntityId
      }
      ... on WhatsAppContent {
        templateName
        language
        params
        mediaId
        mediaType
      }
      ... on EmailContent {
        from
        emailTo: to
        cc
        bcc
        subject
        textBody
        htmlBody
        attachments
      }
    }
    events {
      id
      kind
      status
      previousStatus
      provider
      occurredAt
      reportedAt
      errorCode
      errorMessage
      payload
    }
    callbackDeliveries {
      id
      url
      eventStatus
      status
      attemptCount
      lastStatusCode
      lastError
      createdAt
      deliveredAt
      nextAttemptAt
      payload
      attempts {
        number
        at
        url
        statusCode
        latencyMs
        error
      }
    }
  }
}
    fragment MessageRow on Message {
  id
  messageId
  channel
  to
  status
  statusAt
  createdAt
  externalRef
  tags
  provider
}`) as unknown as TypedDocumentString<ConsoleMessageQuery, ConsoleMessageQueryVariables>;
export const ConsoleMessageStatusDocument = new TypedDocumentString(`
    subscription ConsoleMessageStatus($id: ID!) {
  messageStatusChanged(id: $id) {
    status
    occurredAt
  }
}
    `) as unknown as TypedDocumentString<ConsoleMessageStatusSubscription, ConsoleMessageStatusSubscriptionVariables>;
export const ConsoleSendSmsDocument = new TypedDocumentString(`
    mutation ConsoleSendSms($input: SendSmsInput!) {
  sendSms(input: $input) {
    __typename
    ... on Message {
      messageId
    }
    ... on ValidationError {
      message
      field
    }
    ... on RecipientSuppressedError {
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleSendSmsMutation, ConsoleSendSmsMutationVariables>;
export const ConsoleSendEmailDocument = new TypedDocumentString(`
    mutation ConsoleSendEmail($input: SendEmailInput!) {
  sendEmail(input: $input) {
    __typename
    ... on Message {
      messageId
    }
    ... on ValidationError {
      message
      field
    }
    ... on RecipientSuppressedError {
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleSendEmailMutation, ConsoleSendEmailMutationVariables>;
export const ConsoleViewerDocument = new TypedDocumentString(`
    query ConsoleViewer {
  viewer {
    scopes
    tenant {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleViewerQuery, ConsoleViewerQueryVariables>;
export const ConsoleApiKeysDocument = new TypedDocumentString(`
    query ConsoleApiKeys {
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
    `) as unknown as TypedDocumentString<ConsoleApiKeysQuery, ConsoleApiKeysQueryVariables>;
export const ConsoleCreateApiKeyDocument = new TypedDocumentString(`
    mutation ConsoleCreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    __typename
    ... on IssuedApiKey {
      key
      apiKey {
        id
      }
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCreateApiKeyMutation, ConsoleCreateApiKeyMutationVariables>;
export const ConsoleRevokeApiKeyDocument = new TypedDocumentString(`
    mutation ConsoleRevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    __typename
    ... on ApiKey {
      revokedAt
    }
    ... on NotFoundError {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleRevokeApiKeyMutation, ConsoleRevokeApiKeyMutationVariables>;
export const ConsoleTemplatesDocument = new TypedDocumentString(`
    query ConsoleTemplates {
  templates {
    id
    name
    language
    channel
    status
    headerKind
    paramCount
    body
    subject
  }
}
    `) as unknown as TypedDocumentString<ConsoleTemplatesQuery, ConsoleTemplatesQueryVariables>;
export const ConsoleCreateTemplateDocument = new TypedDocumentString(`
    mutation ConsoleCreateTemplate($input: CreateTemplateInput!) {
  createTemplate(input: $input) {
    __typename
    ... on Template {
      id
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCreateTemplateMutation, ConsoleCreateTemplateMutationVariables>;
export const ConsoleTemplatePreviewDocument = new TypedDocumentString(`
    query ConsoleTemplatePreview($channel: Channel!, $name: String!, $language: String, $params: [String!]) {
  previewTemplate(
    channel: $channel
    name: $name
    language: $language
    params: $params
  ) {
    __typename
    ... on TemplatePreview {
      headerText
      subject
      text
    }
    ... on ValidationError {
      field
      message
    }
    ... on NotFoundError {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleTemplatePreviewQuery, ConsoleTemplatePreviewQueryVariables>;
export const ConsoleWebhookEndpointsDocument = new TypedDocumentString(`
    query ConsoleWebhookEndpoints {
  webhookEndpoints {
    id
    url
    events
    enabled
    createdAt
    deliveries(first: 10) {
      id
      messageId
      eventStatus
      status
      attemptCount
      lastStatusCode
      lastError
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleWebhookEndpointsQuery, ConsoleWebhookEndpointsQueryVariables>;
export const ConsoleCreateWebhookEndpointDocument = new TypedDocumentString(`
    mutation ConsoleCreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    __typename
    ... on CreatedWebhookEndpoint {
      secret
      endpoint {
        id
      }
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCreateWebhookEndpointMutation, ConsoleCreateWebhookEndpointMutationVariables>;
export const ConsoleDeleteWebhookEndpointDocument = new TypedDocumentString(`
    mutation ConsoleDeleteWebhookEndpoint($id: ID!) {
  deleteWebhookEndpoint(id: $id) {
    __typename
    ... on NotFoundError {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleDeleteWebhookEndpointMutation, ConsoleDeleteWebhookEndpointMutationVariables>;
export const ConsoleProvidersAndRoutesDocument = new TypedDocumentString(`
    query ConsoleProvidersAndRoutes {
  providers {
    name
    kind
    instance
    enabled
    hasSecrets
    settings
    webhookPath
    updatedAt
  }
  routes {
    channel
    provider
    fallbackChannel
    fallbackProvider
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<ConsoleProvidersAndRoutesQuery, ConsoleProvidersAndRoutesQueryVariables>;
export const ConsoleConfigureProviderDocument = new TypedDocumentString(`
    mutation ConsoleConfigureProvider($input: ConfigureProviderInput!) {
  configureProvider(input: $input) {
    __typename
    ... on ProviderConfig {
      name
      credentialCheck {
        result
        message
      }
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleConfigureProviderMutation, ConsoleConfigureProviderMutationVariables>;
export const ConsoleTestProviderDocument = new TypedDocumentString(`
    mutation ConsoleTestProvider($name: String!) {
  testProvider(name: $name) {
    __typename
    ... on CredentialCheck {
      result
      message
    }
    ... on NotFoundError {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleTestProviderMutation, ConsoleTestProviderMutationVariables>;
export const ConsoleSetRouteDocument = new TypedDocumentString(`
    mutation ConsoleSetRoute($input: SetRouteInput!) {
  setRoute(input: $input) {
    __typename
    ... on Route {
      channel
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleSetRouteMutation, ConsoleSetRouteMutationVariables>;
export const ConsoleMediaLibraryDocument = new TypedDocumentString(`
    query ConsoleMediaLibrary($first: Int, $after: String) {
  mediaList(first: $first, after: $after) {
    edges {
      node {
        id
        mediaId
        kind
        filename
        caption
        mimeType
        sizeBytes
        downloadPath
        createdAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleMediaLibraryQuery, ConsoleMediaLibraryQueryVariables>;
export const ConsoleDeliveryHealthDocument = new TypedDocumentString(`
    query ConsoleDeliveryHealth {
  deliveryHealth {
    queued
    scheduled
    sending
    stuckSending
    stuckSent
    oldestDueAt
    stuckMessages(first: 20) {
      messageId
      channel
      to
      status
      statusAt
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleDeliveryHealthQuery, ConsoleDeliveryHealthQueryVariables>;
export const ConsoleWhatsAppTemplatesDocument = new TypedDocumentString(`
    query ConsoleWhatsAppTemplates {
  templates(filter: {channel: WHATSAPP}) {
    id
    name
    language
    paramCount
    headerKind
    headerText
    body
    status
  }
}
    `) as unknown as TypedDocumentString<ConsoleWhatsAppTemplatesQuery, ConsoleWhatsAppTemplatesQueryVariables>;
export const ConsolePreviewTemplateDocument = new TypedDocumentString(`
    query ConsolePreviewTemplate($name: String!, $language: String, $params: [String!]) {
  previewTemplate(
    channel: WHATSAPP
    name: $name
    language: $language
    params: $params
  ) {
    __typename
    ... on TemplatePreview {
      headerText
      text
    }
    ... on ValidationError {
      message
      field
    }
    ... on NotFoundError {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsolePreviewTemplateQuery, ConsolePreviewTemplateQueryVariables>;
export const ConsoleMediaListDocument = new TypedDocumentString(`
    query ConsoleMediaList($first: Int) {
  mediaList(first: $first) {
    edges {
      node {
        mediaId
        kind
        filename
        mimeType
        sizeBytes
        downloadPath
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleMediaListQuery, ConsoleMediaListQueryVariables>;
export const ConsoleUploadMediaDocument = new TypedDocumentString(`
    mutation ConsoleUploadMedia($file: File!, $caption: String) {
  uploadMedia(file: $file, caption: $caption) {
    __typename
    ... on Media {
      mediaId
      kind
      filename
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleUploadMediaMutation, ConsoleUploadMediaMutationVariables>;
export const ConsoleSendWhatsAppDocument = new TypedDocumentString(`
    mutation ConsoleSendWhatsApp($input: SendWhatsAppInput!) {
  sendWhatsApp(input: $input) {
    __typename
    ... on Message {
      messageId
    }
    ... on ValidationError {
      message
      field
    }
    ... on RecipientSuppressedError {
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleSendWhatsAppMutation, ConsoleSendWhatsAppMutationVariables>;