/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type ApiKeyScope =
  | 'ADMIN'
  | 'READ'
  | 'SEND';

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

export type DiagnosticStatus =
  /** Broken: the detail says what to do. */
  | 'FAIL'
  /** Works. */
  | 'OK'
  /** Works, with a caveat the detail names. */
  | 'WARN';

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

export type CliCountersFragment = { scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number, total: number, invalid: number, suppressed: number };

export type CliInvalidFragment = { row: number, field: string, reason: string };

export type CliCreateCampaignMutationVariables = Exact<{
  input: CreateCampaignInput;
}>;


export type CliCreateCampaignMutation = { createCampaign:
    | { __typename: 'Campaign', id: string, status: CampaignStatus }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type CliAddRecipientsMutationVariables = Exact<{
  campaignId: string;
  recipients: Array<CampaignRecipientInput> | CampaignRecipientInput;
}>;


export type CliAddRecipientsMutation = { addCampaignRecipients:
    | { __typename: 'CampaignRecipientsAdded', accepted: number, duplicates: number, suppressed: number, invalidCount: number, invalid: Array<{ row: number, field: string, reason: string }> }
    | { __typename: 'CampaignStateError', status: CampaignStatus, message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type CliStartCampaignMutationVariables = Exact<{
  id: string;
}>;


export type CliStartCampaignMutation = { startCampaign:
    | { __typename: 'Campaign', id: string, status: CampaignStatus }
    | { __typename: 'CampaignStateError', status: CampaignStatus, message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type CliCampaignQueryVariables = Exact<{
  id: string;
}>;


export type CliCampaignQuery = { node:
    | { id: string, name: string, status: CampaignStatus, counters: { scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number, total: number, invalid: number, suppressed: number } }
    | Record<PropertyKey, never>
   | null };

export type CliCampaignProgressSubscriptionVariables = Exact<{
  id: string;
}>;


export type CliCampaignProgressSubscription = { campaignProgress: { status: CampaignStatus, counters: { scheduled: number, queued: number, sending: number, sent: number, delivered: number, read: number, failed: number, undelivered: number, expired: number, canceled: number, total: number, invalid: number, suppressed: number } } };

export type CliApiKeyFragment = { id: string, name: string, prefix: string, scopes: Array<ApiKeyScope>, createdAt: string, lastUsedAt: string | null, revokedAt: string | null };

export type CliTenantFragment = { id: string, name: string, isOperator: boolean, createdAt: string };

export type CliApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type CliApiKeysQuery = { apiKeys: Array<{ id: string, name: string, prefix: string, scopes: Array<ApiKeyScope>, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> };

export type CliCreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CliCreateApiKeyMutation = { createApiKey:
    | { __typename: 'IssuedApiKey', key: string, apiKey: { id: string, name: string, prefix: string, scopes: Array<ApiKeyScope>, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type CliRevokeApiKeyMutationVariables = Exact<{
  id: string;
}>;


export type CliRevokeApiKeyMutation = { revokeApiKey:
    | { __typename: 'ApiKey', id: string, name: string, prefix: string, scopes: Array<ApiKeyScope>, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }
    | { __typename: 'NotFoundError', message: string }
   };

export type CliTenantsQueryVariables = Exact<{ [key: string]: never; }>;


export type CliTenantsQuery = { tenants: Array<{ id: string, name: string, isOperator: boolean, createdAt: string }> };

export type CliCreateTenantMutationVariables = Exact<{
  name: string;
}>;


export type CliCreateTenantMutation = { createTenant:
    | { __typename: 'IssuedApiKey', key: string, tenant: { id: string, name: string, isOperator: boolean, createdAt: string }, apiKey: { id: string, name: string, prefix: string, scopes: Array<ApiKeyScope>, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type CliMessageFragment = { id: string, channel: Channel, to: string, status: MessageStatus, statusAt: string, provider: string | null, externalRef: string | null, lastError: { code: string, message: string | null } | null };

type CliRefusal_CampaignStateError_Fragment = { __typename: 'CampaignStateError', message: string };

type CliRefusal_InvalidStateError_Fragment = { __typename: 'InvalidStateError', message: string };

type CliRefusal_MediaFetchError_Fragment = { __typename: 'MediaFetchError', message: string };

type CliRefusal_MediaTooLargeError_Fragment = { __typename: 'MediaTooLargeError', message: string };

type CliRefusal_MediaUrlRefusedError_Fragment = { __typename: 'MediaUrlRefusedError', message: string };

type CliRefusal_NotFoundError_Fragment = { __typename: 'NotFoundError', message: string };

type CliRefusal_RecipientSuppressedError_Fragment = { __typename: 'RecipientSuppressedError', field: string, message: string };

type CliRefusal_UnsupportedMediaError_Fragment = { __typename: 'UnsupportedMediaError', message: string };

type CliRefusal_UpstreamError_Fragment = { __typename: 'UpstreamError', message: string };

type CliRefusal_ValidationError_Fragment = { __typename: 'ValidationError', field: string, message: string };

export type CliRefusalFragment =
  | CliRefusal_CampaignStateError_Fragment
  | CliRefusal_InvalidStateError_Fragment
  | CliRefusal_MediaFetchError_Fragment
  | CliRefusal_MediaTooLargeError_Fragment
  | CliRefusal_MediaUrlRefusedError_Fragment
  | CliRefusal_NotFoundError_Fragment
  | CliRefusal_RecipientSuppressedError_Fragment
  | CliRefusal_UnsupportedMediaError_Fragment
  | CliRefusal_UpstreamError_Fragment
  | CliRefusal_ValidationError_Fragment
;

export type CliSendSmsMutationVariables = Exact<{
  input: SendSmsInput;
}>;


export type CliSendSmsMutation = { sendSms:
    | { __typename: 'Message', id: string, channel: Channel, to: string, status: MessageStatus, statusAt: string, provider: string | null, externalRef: string | null, lastError: { code: string, message: string | null } | null }
    | { __typename: 'RecipientSuppressedError', field: string, message: string }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type CliSendWhatsAppMutationVariables = Exact<{
  input: SendWhatsAppInput;
}>;


export type CliSendWhatsAppMutation = { sendWhatsApp:
    | { __typename: 'Message', id: string, channel: Channel, to: string, status: MessageStatus, statusAt: string, provider: string | null, externalRef: string | null, lastError: { code: string, message: string | null } | null }
    | { __typename: 'RecipientSuppressedError', field: string, message: string }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type CliSendEmailMutationVariables = Exact<{
  input: SendEmailInput;
}>;


export type CliSendEmailMutation = { sendEmail:
    | { __typename: 'Message', id: string, channel: Channel, to: string, status: MessageStatus, statusAt: string, provider: string | null, externalRef: string | null, lastError: { code: string, message: string | null } | null }
    | { __typename: 'RecipientSuppressedError', field: string, message: string }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type CliMessageQueryVariables = Exact<{
  id: string;
}>;


export type CliMessageQuery = { message: { id: string, channel: Channel, to: string, status: MessageStatus, statusAt: string, provider: string | null, externalRef: string | null, lastError: { code: string, message: string | null } | null } | null };

export type CliMessageStatusSubscriptionVariables = Exact<{
  id: string;
}>;


export type CliMessageStatusSubscription = { messageStatusChanged: { status: MessageStatus, previousStatus: MessageStatus | null, occurredAt: string, errorCode: string | null, errorMessage: string | null } };

export type CliDiagnosticsQueryVariables = Exact<{ [key: string]: never; }>;


export type CliDiagnosticsQuery = { diagnostics: Array<{ name: string, status: DiagnosticStatus, detail: string }> };

export const CliCountersFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliCounters"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CampaignCounters"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"scheduled"}},{"kind":"Field","name":{"kind":"Name","value":"queued"}},{"kind":"Field","name":{"kind":"Name","value":"sending"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"read"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"expired"}},{"kind":"Field","name":{"kind":"Name","value":"canceled"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"invalid"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}}]} as unknown as DocumentNode<CliCountersFragment, unknown>;
export const CliInvalidFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliInvalid"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidRecipient"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"row"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]} as unknown as DocumentNode<CliInvalidFragment, unknown>;
export const CliApiKeyFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliApiKey"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ApiKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]} as unknown as DocumentNode<CliApiKeyFragment, unknown>;
export const CliTenantFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliTenant"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Tenant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"isOperator"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<CliTenantFragment, unknown>;
export const CliMessageFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliMessage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusAt"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"externalRef"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<CliMessageFragment, unknown>;
export const CliRefusalFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliRefusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecipientSuppressedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<CliRefusalFragment, unknown>;
export const CliCreateCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CliCreateCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateCampaignInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createCampaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Campaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CliCreateCampaignMutation, CliCreateCampaignMutationVariables>;
export const CliAddRecipientsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CliAddRecipients"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"recipients"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CampaignRecipientInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addCampaignRecipients"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"campaignId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}}},{"kind":"Argument","name":{"kind":"Name","value":"recipients"},"value":{"kind":"Variable","name":{"kind":"Name","value":"recipients"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CampaignRecipientsAdded"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accepted"}},{"kind":"Field","name":{"kind":"Name","value":"duplicates"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"invalidCount"}},{"kind":"Field","name":{"kind":"Name","value":"invalid"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliInvalid"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CampaignStateError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NotFoundError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliInvalid"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidRecipient"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"row"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]} as unknown as DocumentNode<CliAddRecipientsMutation, CliAddRecipientsMutationVariables>;
export const CliStartCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CliStartCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startCampaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Campaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CampaignStateError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NotFoundError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CliStartCampaignMutation, CliStartCampaignMutationVariables>;
export const CliCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CliCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Campaign"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"counters"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliCounters"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliCounters"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CampaignCounters"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"scheduled"}},{"kind":"Field","name":{"kind":"Name","value":"queued"}},{"kind":"Field","name":{"kind":"Name","value":"sending"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"read"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"expired"}},{"kind":"Field","name":{"kind":"Name","value":"canceled"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"invalid"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}}]} as unknown as DocumentNode<CliCampaignQuery, CliCampaignQueryVariables>;
export const CliCampaignProgressDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CliCampaignProgress"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaignProgress"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"counters"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliCounters"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliCounters"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CampaignCounters"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"scheduled"}},{"kind":"Field","name":{"kind":"Name","value":"queued"}},{"kind":"Field","name":{"kind":"Name","value":"sending"}},{"kind":"Field","name":{"kind":"Name","value":"sent"}},{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"read"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"undelivered"}},{"kind":"Field","name":{"kind":"Name","value":"expired"}},{"kind":"Field","name":{"kind":"Name","value":"canceled"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"invalid"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}}]} as unknown as DocumentNode<CliCampaignProgressSubscription, CliCampaignProgressSubscriptionVariables>;
export const CliApiKeysDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CliApiKeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apiKeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliApiKey"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliApiKey"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ApiKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]} as unknown as DocumentNode<CliApiKeysQuery, CliApiKeysQueryVariables>;
export const CliCreateApiKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CliCreateApiKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateApiKeyInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createApiKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"IssuedApiKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"apiKey"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliApiKey"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliApiKey"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ApiKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]} as unknown as DocumentNode<CliCreateApiKeyMutation, CliCreateApiKeyMutationVariables>;
export const CliRevokeApiKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CliRevokeApiKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeApiKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ApiKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliApiKey"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NotFoundError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliApiKey"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ApiKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]} as unknown as DocumentNode<CliRevokeApiKeyMutation, CliRevokeApiKeyMutationVariables>;
export const CliTenantsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CliTenants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tenants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliTenant"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliTenant"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Tenant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"isOperator"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<CliTenantsQuery, CliTenantsQueryVariables>;
export const CliCreateTenantDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CliCreateTenant"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createTenant"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"IssuedApiKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"tenant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliTenant"}}]}},{"kind":"Field","name":{"kind":"Name","value":"apiKey"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliApiKey"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliTenant"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Tenant"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"isOperator"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliApiKey"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ApiKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]} as unknown as DocumentNode<CliCreateTenantMutation, CliCreateTenantMutationVariables>;
export const CliSendSmsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CliSendSms"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SendSmsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendSms"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliMessage"}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliRefusal"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliMessage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusAt"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"externalRef"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliRefusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecipientSuppressedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<CliSendSmsMutation, CliSendSmsMutationVariables>;
export const CliSendWhatsAppDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CliSendWhatsApp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SendWhatsAppInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendWhatsApp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliMessage"}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliRefusal"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliMessage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusAt"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"externalRef"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliRefusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecipientSuppressedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<CliSendWhatsAppMutation, CliSendWhatsAppMutationVariables>;
export const CliSendEmailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CliSendEmail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SendEmailInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendEmail"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliMessage"}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliRefusal"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliMessage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusAt"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"externalRef"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliRefusal"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecipientSuppressedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]} as unknown as DocumentNode<CliSendEmailMutation, CliSendEmailMutationVariables>;
export const CliMessageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CliMessage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CliMessage"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CliMessage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusAt"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"externalRef"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<CliMessageQuery, CliMessageQueryVariables>;
export const CliMessageStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CliMessageStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messageStatusChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"previousStatus"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"errorMessage"}}]}}]}}]} as unknown as DocumentNode<CliMessageStatusSubscription, CliMessageStatusSubscriptionVariables>;
export const CliDiagnosticsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CliDiagnostics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"diagnostics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}}]}}]} as unknown as DocumentNode<CliDiagnosticsQuery, CliDiagnosticsQueryVariables>;