/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { type GraphQLClient, type RequestOptions } from 'graphql-request';
import { gql } from 'graphql-tag';
type GraphQLClientRequestHeaders = RequestOptions['requestHeaders'];
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
    }
  };
}
export type Sdk = ReturnType<typeof getSdk>;