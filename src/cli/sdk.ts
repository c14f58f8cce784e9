/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { type GraphQLClient, type RequestOptions } from 'graphql-request';
import { gql } from 'graphql-tag';
type GraphQLClientRequestHeaders = RequestOptions['requestHeaders'];
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

export const CliCountersFragmentDoc = gql`
    fragment CliCounters on CampaignCounters {
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
    `;
export const CliInvalidFragmentDoc = gql`
    fragment CliInvalid on InvalidRecipient {
  row
  field
  reason
}
    `;
export const CliApiKeyFragmentDoc = gql`
    fragment CliApiKey on ApiKey {
  id
  name
  prefix
  scopes
  createdAt
  lastUsedAt
  revokedAt
}
    `;
export const CliTenantFragmentDoc = gql`
    fragment CliTenant on Tenant {
  id
  name
  isOperator
  createdAt
}
    `;
export const CliMessageFragmentDoc = gql`
    fragment CliMessage on Message {
  id
  channel
  to
  status
  statusAt
  provider
  externalRef
  lastError {
    code
    message
  }
}
    `;
export const CliRefusalFragmentDoc = gql`
    fragment CliRefusal on Error {
  __typename
  message
  ... on ValidationError {
    field
  }
  ... on RecipientSuppressedError {
    field
  }
}
    `;
export const CliCreateCampaignDocument = gql`
    mutation CliCreateCampaign($input: CreateCampaignInput!) {
  createCampaign(input: $input) {
    __typename
    ... on Campaign {
      id
      status
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    `;
export const CliAddRecipientsDocument = gql`
    mutation CliAddRecipients($campaignId: ID!, $recipients: [CampaignRecipientInput!]!) {
  addCampaignRecipients(campaignId: $campaignId, recipients: $recipients) {
    __typename
    ... on CampaignRecipientsAdded {
      accepted
      duplicates
      suppressed
      invalidCount
      invalid {
        ...CliInvalid
      }
    }
    ... on CampaignStateError {
      status
      message
    }
    ... on NotFoundError {
      message
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    ${CliInvalidFragmentDoc}`;
export const CliStartCampaignDocument = gql`
    mutation CliStartCampaign($id: ID!) {
  startCampaign(id: $id) {
    __typename
    ... on Campaign {
      id
      status
    }
    ... on CampaignStateError {
      status
      message
    }
    ... on NotFoundError {
      message
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    `;
export const CliCampaignDocument = gql`
    query CliCampaign($id: ID!) {
  node(id: $id) {
    ... on Campaign {
      id
      name
      status
      counters {
        ...CliCounters
      }
    }
  }
}
    ${CliCountersFragmentDoc}`;
export const CliCampaignProgressDocument = gql`
    subscription CliCampaignProgress($id: ID!) {
  campaignProgress(id: $id) {
    status
    counters {
      ...CliCounters
    }
  }
}
    ${CliCountersFragmentDoc}`;
export const CliApiKeysDocument = gql`
    query CliApiKeys {
  apiKeys {
    ...CliApiKey
  }
}
    ${CliApiKeyFragmentDoc}`;
export const CliCreateApiKeyDocument = gql`
    mutation CliCreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    __typename
    ... on IssuedApiKey {
      key
      apiKey {
        ...CliApiKey
      }
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    ${CliApiKeyFragmentDoc}`;
export const CliRevokeApiKeyDocument = gql`
    mutation CliRevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    __typename
    ... on ApiKey {
      ...CliApiKey
    }
    ... on NotFoundError {
      message
    }
  }
}
    ${CliApiKeyFragmentDoc}`;
export const CliTenantsDocument = gql`
    query CliTenants {
  tenants {
    ...CliTenant
  }
}
    ${CliTenantFragmentDoc}`;
export const CliCreateTenantDocument = gql`
    mutation CliCreateTenant($name: String!) {
  createTenant(name: $name) {
    __typename
    ... on IssuedApiKey {
      key
      tenant {
        ...CliTenant
      }
      apiKey {
        ...CliApiKey
      }
    }
    ... on ValidationError {
      field
      message
    }
  }
}
    ${CliTenantFragmentDoc}
${CliApiKeyFragmentDoc}`;
export const CliSendSmsDocument = gql`
    mutation CliSendSms($input: SendSmsInput!) {
  sendSms(input: $input) {
    __typename
    ... on Message {
      ...CliMessage
    }
    ...CliRefusal
  }
}
    ${CliMessageFragmentDoc}
${CliRefusalFragmentDoc}`;
export const CliSendWhatsAppDocument = gql`
    mutation CliSendWhatsApp($input: SendWhatsAppInput!) {
  sendWhatsApp(input: $input) {
    __typename
    ... on Message {
      ...CliMessage
    }
    ...CliRefusal
  }
}
    ${CliMessageFragmentDoc}
${CliRefusalFragmentDoc}`;
export const CliSendEmailDocument = gql`
    mutation CliSendEmail($input: SendEmailInput!) {
  sendEmail(input: $input) {
    __typename
    ... on Message {
      ...CliMessage
    }
    ...CliRefusal
  }
}
    ${CliMessageFragmentDoc}
${CliRefusalFragmentDoc}`;
export const CliMessageDocument = gql`
    query CliMessage($id: ID!) {
  message(id: $id) {
    ...CliMessage
  }
}
    ${CliMessageFragmentDoc}`;
export const CliMessageStatusDocument = gql`
    subscription CliMessageStatus($id: ID!) {
  messageStatusChanged(id: $id) {
    status
    previousStatus
    occurredAt
    errorCode
    errorMessage
  }
}
    `;
export const CliDiagnosticsDocument = gql`
    query CliDiagnostics {
  diagnostics {
    name
    status
    detail
  }
}
    `;

export type SdkFunctionWrapper = <T>(action: (requestHeaders?:Record<string, string>) => Promise<T>, operationName: string, operationType?: string, variables?: any) => Promise<T>;


const defaultWrapper: SdkFunctionWrapper = (action, _operationName, _operationType, _variables) => action();

export function getSdk(client: GraphQLClient, withWrapper: SdkFunctionWrapper = defaultWrapper) {
  return {
    CliCreateCampaign(variables: CliCreateCampaignMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliCreateCampaignMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliCreateCampaignMutation>({ document: CliCreateCampaignDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliCreateCampaign', 'mutation', variables);
    },
    CliAddRecipients(variables: CliAddRecipientsMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliAddRecipientsMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliAddRecipientsMutation>({ document: CliAddRecipientsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliAddRecipients', 'mutation', variables);
    },
    CliStartCampaign(variables: CliStartCampaignMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliStartCampaignMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliStartCampaignMutation>({ document: CliStartCampaignDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliStartCampaign', 'mutation', variables);
    },
    CliCampaign(variables: CliCampaignQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliCampaignQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliCampaignQuery>({ document: CliCampaignDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliCampaign', 'query', variables);
    },
    CliCampaignProgress(variables: CliCampaignProgressSubscriptionVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliCampaignProgressSubscription> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliCampaignProgressSubscription>({ document: CliCampaignProgressDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliCampaignProgress', 'subscription', variables);
    },
    CliApiKeys(variables?: CliApiKeysQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliApiKeysQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliApiKeysQuery>({ document: CliApiKeysDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliApiKeys', 'query', variables);
    },
    CliCreateApiKey(variables: CliCreateApiKeyMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliCreateApiKeyMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliCreateApiKeyMutation>({ document: CliCreateApiKeyDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliCreateApiKey', 'mutation', variables);
    },
    CliRevokeApiKey(variables: CliRevokeApiKeyMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliRevokeApiKeyMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliRevokeApiKeyMutation>({ document: CliRevokeApiKeyDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliRevokeApiKey', 'mutation', variables);
    },
    CliTenants(variables?: CliTenantsQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliTenantsQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliTenantsQuery>({ document: CliTenantsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliTenants', 'query', variables);
    },
    CliCreateTenant(variables: CliCreateTenantMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliCreateTenantMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliCreateTenantMutation>({ document: CliCreateTenantDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliCreateTenant', 'mutation', variables);
    },
    CliSendSms(variables: CliSendSmsMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliSendSmsMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliSendSmsMutation>({ document: CliSendSmsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliSendSms', 'mutation', variables);
    },
    CliSendWhatsApp(variables: CliSendWhatsAppMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliSendWhatsAppMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliSendWhatsAppMutation>({ document: CliSendWhatsAppDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliSendWhatsApp', 'mutation', variables);
    },
    CliSendEmail(variables: CliSendEmailMutationVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliSendEmailMutation> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliSendEmailMutation>({ document: CliSendEmailDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliSendEmail', 'mutation', variables);
    },
    CliMessage(variables: CliMessageQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliMessageQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliMessageQuery>({ document: CliMessageDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliMessage', 'query', variables);
    },
    CliMessageStatus(variables: CliMessageStatusSubscriptionVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliMessageStatusSubscription> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliMessageStatusSubscription>({ document: CliMessageStatusDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliMessageStatus', 'subscription', variables);
    },
    CliDiagnostics(variables?: CliDiagnosticsQueryVariables, requestHeaders?: GraphQLClientRequestHeaders, signal?: RequestInit['signal']): Promise<CliDiagnosticsQuery> {
      return withWrapper((wrappedRequestHeaders) => client.request<CliDiagnosticsQuery>({ document: CliDiagnosticsDocument, variables, requestHeaders: { ...requestHeaders, ...wrappedRequestHeaders }, signal }), 'CliDiagnostics', 'query', variables);
    }
  };
}
export type Sdk = ReturnType<typeof getSdk>;