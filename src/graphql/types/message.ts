import { decodeGlobalID } from '@pothos/plugin-relay';
import type { MessageEventRow, MessageRow } from '../../db/schema.js';
import { InvalidStateError, NotFoundError, RecipientSuppressedError, ValidationError } from '../../errors.js';
import { CHANNELS, MEDIA_TYPES, MESSAGE_CATEGORIES, MESSAGE_STATUSES, type MessageStatus } from '../../vocabulary.js';
import { getEvents, getMessages, listMessages, type MessageFilter } from '../../messaging/queries.js';
import { isUuid } from '../../ids.js';
import { cancelMessage, retryMessage } from '../../messaging/operator.js';
import { sendEmail, sendSms, sendWhatsApp } from '../../messaging/send.js';
import { builder } from '../builder.js';
import { ErrorInterface } from '../errors.js';
import { connectionOf } from '../connection.js';
import { plainIdOf } from '../global-ids.js';
import type { GraphQLContext } from '../context.js';

export const ChannelEnum = builder.enumType('Channel', { values: CHANNELS });
// "Final" is messaging/status-machine.ts's isFinal: messageStatusChanged completes there.
const STATUS_DESCRIPTIONS: Record<MessageStatus, string> = {
  SCHEDULED: 'Held until sendAt.',
  QUEUED: 'Waiting to be sent (also after a retryable failure, and after retryMessage).',
  SENDING: 'Claimed by a worker; the provider is being called.',
  SENT: 'Accepted by the provider.',
  DELIVERED:
    'Delivered to the handset or mailbox. Not final: READ may follow (channels without read reports stay here).',
  READ: 'Read by the recipient. Final.',
  FAILED:
    'Failed permanently or out of attempts. Final; only retryMessage (back to QUEUED) or a late DELIVERED/READ report from the provider moves it again.',
  UNDELIVERED:
    'The provider could not deliver it. Final; only a late DELIVERED/READ report from the provider moves it again.',
  EXPIRED: 'validUntil passed before it could be sent. Final.',
  CANCELED: 'Canceled by cancelMessage before it was sent. Final.',
};

export const MessageStatusEnum = builder.enumType('MessageStatus', {
  description: 'Final statuses: READ, FAILED, UNDELIVERED, EXPIRED, CANCELED.',
  values: Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, { description: STATUS_DESCRIPTIONS[s] }])) as Record<
    MessageStatus,
    { description: string }
  >,
});
export const MediaTypeEnum = builder.enumType('MediaType', { values: MEDIA_TYPES });
export const MessageCategoryEnum = builder.enumType('MessageCategory', {
  description:
    'Why a message is sent, as Meta and Twilio distinguish. Opt-outs (the suppression list) block MARKETING only.',
  values: MESSAGE_CATEGORIES,
});

const option = <T>(row: MessageRow, key: string): T | null => (row.channelOptions[key] as T | undefined) ?? null;

export const MessageRef = builder.loadableNodeRef('Message', {
  id: { resolve: (m: MessageRow) => m.id },
  load: (ids: string[], ctx) => getMessages(ctx.services.db, ctx.principal.tenantId, ids),
  // A subscription keeps its context for its whole life: never serve a message from cache.
  loaderOptions: { cache: false },
});

const MessageEventRef = builder.objectRef<MessageEventRow>('MessageEvent').implement({
  description:
    'One entry of a message history (in the order Herald recorded them): a status change, a delivery attempt or a provider report.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.exposeString('kind'),
    status: t.expose('status', { type: MessageStatusEnum, nullable: true }),
    previousStatus: t.expose('previousStatus', { type: MessageStatusEnum, nullable: true }),
    provider: t.exposeString('provider', { nullable: true }),
    errorCode: t.exposeString('errorCode', { nullable: true }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    occurredAt: t.expose('occurredAt', {
      type: 'DateTime',
      description: "When Herald recorded it. Status events' times never decrease within a message.",
    }),
    reportedAt: t.expose('reportedAt', {
      type: 'DateTime',
      nullable: true,
      description: "The provider's own timestamp of the report behind it (the provider's clock), if any.",
    }),
    payload: t.expose('payload', {
      type: 'JSON',
      nullable: true,
      description:
        'Status changes: the attempt that caused them (number, worker, provider, duration, error). Provider reports: the report as received, credentials removed.',
    }),
  }),
});

const DeliveryErrorRef = builder
  .objectRef<{ code: string; message: string | null; retryable: boolean | null }>('DeliveryError')
  .implement({
    fields: (t) => ({
      code: t.exposeString('code'),
      message: t.exposeString('message', { nullable: true }),
      retryable: t.exposeBoolean('retryable', { nullable: true }),
    }),
  });

// Channel-specific content, as a union so each channel's fields are typed.
const SmsContent = builder.objectRef<MessageRow>('SmsContent').implement({
  fields: (t) => ({
    text: t.string({ resolve: (m) => m.body ?? '' }),
    senderId: t.exposeString('sender', { nullable: true }),
    encoding: t.string({ description: 'GSM7 or UCS2', resolve: (m) => option<string>(m, 'encoding') ?? 'GSM7' }),
    segments: t.int({ resolve: (m) => option<number>(m, 'segments') ?? 1 }),
    flash: t.boolean({ resolve: (m) => option<boolean>(m, 'flash') ?? false }),
    dltEntityId: t.string({ nullable: true, resolve: (m) => option<string>(m, 'dltEntityId') }),
    dltTemplateId: t.string({ nullable: true, resolve: (m) => option<string>(m, 'dltTemplateId') }),
  }),
});

const WhatsAppContent = builder.objectRef<MessageRow>('WhatsAppContent').implement({
  fields: (t) => ({
    templateName: t.string({ resolve: (m) => m.templateName ?? '' }),
    language: t.string({ resolve: (m) => m.templateLanguage ?? 'en' }),
    params: t.stringList({ resolve: (m) => m.templateParams ?? [] }),
    mediaType: t.field({
      type: MediaTypeEnum,
      resolve: (m) => (m.mediaType ?? 'NONE') as (typeof MEDIA_TYPES)[number],
    }),
    mediaId: t.exposeString('mediaId', { nullable: true }),
  }),
});

const EmailContent = builder.objectRef<MessageRow>('EmailContent').implement({
  fields: (t) => ({
    to: t.stringList({ resolve: (m) => option<string[]>(m, 'to') ?? [m.recipient] }),
    cc: t.stringList({ resolve: (m) => option<string[]>(m, 'cc') ?? [] }),
    bcc: t.stringList({ resolve: (m) => option<string[]>(m, 'bcc') ?? [] }),
    from: t.exposeString('sender', { nullable: true }),
    subject: t.string({ resolve: (m) => m.subject ?? '' }),
    htmlBody: t.string({ nullable: true, resolve: (m) => option<string>(m, 'html') }),
    textBody: t.exposeString('body', { nullable: true }),
    attachments: t.stringList({
      description: 'Media ids of the files attached, in order (empty when none).',
      resolve: (m) => option<string[]>(m, 'attachments') ?? [],
    }),
  }),
});

const MessageContent = builder.unionType('MessageContent', {
  types: [SmsContent, WhatsAppContent, EmailContent],
  resolveType: (m) => ({ SMS: SmsContent, WHATSAPP: WhatsAppContent, EMAIL: EmailContent })[m.channel],
});

MessageRef.implement({
  description: 'A message accepted by Herald, with its delivery state.',
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'recipient' in value && 'channel' in value,
  fields: (t) => ({
    messageId: t.exposeString('id', { description: 'The plain message id, as used by the REST API and in callbacks.' }),
    channel: t.expose('channel', { type: ChannelEnum }),
    status: t.expose('status', { type: MessageStatusEnum }),
    statusAt: t.expose('statusAt', { type: 'DateTime' }),
    to: t.exposeString('recipient', { description: 'E.164 phone number, or the first To address of an email.' }),
    // A copy: a row loaded through node(id) carries Pothos's "Message" type brand, which would
    // win over MessageContent's resolveType (the brand is non-enumerable, so a spread drops it).
    content: t.field({ type: MessageContent, resolve: (m) => ({ ...m }) }),
    provider: t.exposeString('provider', { nullable: true }),
    providerMessageId: t.exposeString('providerMessageId', { nullable: true }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.expose('nextAttemptAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the message is due for its next attempt (queued, scheduled or retrying).',
    }),
    lastError: t.field({
      type: DeliveryErrorRef,
      nullable: true,
      resolve: (m) =>
        m.lastErrorCode
          ? { code: m.lastErrorCode, message: m.lastErrorMessage, retryable: m.lastErrorRetryable }
          : null,
    }),
    idempotencyKey: t.exposeString('idempotencyKey', { nullable: true }),
    externalRef: t.exposeString('externalRef', { nullable: true }),
    metadata: t.expose('metadata', { type: 'JSON', nullable: true }),
    tags: t.exposeStringList('tags'),
    sendAt: t.expose('sendAt', { type: 'DateTime', nullable: true }),
    validUntil: t.expose('validUntil', { type: 'DateTime', nullable: true }),
    callbackUrl: t.exposeString('callbackUrl', { nullable: true }),
    category: t.expose('category', {
      type: MessageCategoryEnum,
      nullable: true,
      description: 'Null: uncategorised (the sender did not say, and no registered template did).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    events: t.loadableList({
      type: MessageEventRef,
      description:
        'History, oldest first: status changes (kind "status", with the attempt that caused them) and raw provider reports (kind "provider").',
      load: (ids: string[], ctx) => getEvents(ctx.services.db, ctx.principal.tenantId, ids),
      resolve: (m) => m.id,
    }),
  }),
});

/** Accepts a Relay global id or the plain message id; anything else is simply not found. */
export function messageIdFrom(id: string): string | null {
  if (isUuid(id)) return id;
  try {
    const decoded = decodeGlobalID(id);
    return decoded.typename === 'Message' && isUuid(decoded.id) ? decoded.id : null;
  } catch {
    return null;
  }
}

export const MessageFilterInput = builder.inputType('MessageFilter', {
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum }),
    status: t.field({ type: MessageStatusEnum }),
    to: t.string({ description: 'Phone number (any accepted format) or email address.' }),
    tag: t.string(),
    externalRef: t.string(),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
    campaign: t.id({ description: "A campaign's id (global or plain): its messages only." }),
  }),
});

/** Shared by every message listing (Query.messages, Campaign.messages). */
export const MessageConnection = builder.connectionObject(
  { type: MessageRef, name: 'MessageConnection' },
  { name: 'MessageEdge' },
);

/** The filter argument as the domain takes it (the recipient normalised like stored ones). */
export function messageFilterOf(
  f: typeof MessageFilterInput.$inferInput | null | undefined,
  ctx: GraphQLContext,
): MessageFilter {
  return {
    channel: f?.channel ?? undefined,
    status: f?.status ?? undefined,
    to: f?.to ? ctx.services.validators.recipient(f.to) : undefined,
    tag: f?.tag ?? undefined,
    externalRef: f?.externalRef ?? undefined,
    createdAfter: f?.createdAfter ?? undefined,
    createdBefore: f?.createdBefore ?? undefined,
    campaignId: f?.campaign == null ? undefined : plainIdOf('Campaign', f.campaign),
  };
}

builder.queryFields((t) => ({
  message: t.field({
    type: MessageRef,
    nullable: true,
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true, description: 'Global id or plain message id.' }) },
    resolve: async (_root, { id }, ctx) => {
      const messageId = messageIdFrom(id);
      if (!messageId) return null;
      const [row] = await getMessages(ctx.services.db, ctx.principal.tenantId, [messageId]);
      return row ?? null;
    },
  }),
  messages: t.connection(
    {
      type: MessageRef,
      authScopes: { read: true },
      description: `Newest first. Page with first/after towards older messages, last/before towards newer ones (at most 100 per page).`,
      args: { filter: t.arg({ type: MessageFilterInput }) },
      resolve: async (_root, args, ctx) => {
        const page = await listMessages(ctx.services.db, ctx.principal.tenantId, messageFilterOf(args.filter, ctx), {
          first: args.first ?? undefined,
          after: args.after ?? undefined,
          last: args.last ?? undefined,
          before: args.before ?? undefined,
        });
        return connectionOf(page);
      },
    },
    MessageConnection,
  ),
}));

// --- sending -----------------------------------------------------------------------------------

type FieldBuilder = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

const commonSendFields = (t: FieldBuilder) => ({
  idempotencyKey: t.string({ description: 'A repeat with the same key returns the original message.' }),
  externalRef: t.string({ description: 'Your own reference (invoice number, order id).' }),
  metadata: t.field({ type: 'JSON', description: 'Free JSON kept with the message (at most 16 KB).' }),
  tags: t.stringList(),
  sendAt: t.field({ type: 'DateTime', description: 'Hold the message until then (SCHEDULED).' }),
  validUntil: t.field({ type: 'DateTime', description: 'Give up (EXPIRED) rather than send after this time.' }),
  callbackUrl: t.string({ description: 'Status changes of this message are POSTed here.' }),
  category: t.field({
    type: MessageCategoryEnum,
    description:
      'MARKETING sends to a recipient on the suppression list are refused (RecipientSuppressedError); UTILITY, AUTHENTICATION and uncategorised sends are not.',
  }),
});

const SendSmsInput = builder.inputType('SendSmsInput', {
  fields: (t) => ({
    to: t.string({ required: true, description: 'E.164 (+918800001234) or digits with country code.' }),
    senderId: t.string({ description: 'Alphanumeric sender id (up to 11) or a phone number.' }),
    text: t.string({ required: true }),
    unicode: t.boolean({ description: 'Force UCS-2; otherwise detected from the text.' }),
    flash: t.boolean(),
    dltEntityId: t.string({ description: 'India DLT principal entity id (PE ID).' }),
    dltTemplateId: t.string({ description: 'India DLT content template id.' }),
    ...commonSendFields(t),
  }),
});

const SendWhatsAppInput = builder.inputType('SendWhatsAppInput', {
  fields: (t) => ({
    to: t.string({ required: true }),
    templateName: t.string({ required: true }),
    language: t.string({ description: 'Template language code, default en.' }),
    params: t.stringList({ description: 'Body parameters in order ({{1}}, {{2}}, ...).' }),
    mediaType: t.field({ type: MediaTypeEnum }),
    mediaId: t.string(),
    ...commonSendFields(t),
  }),
});

const SendEmailInput = builder.inputType('SendEmailInput', {
  fields: (t) => ({
    to: t.stringList({ required: true }),
    cc: t.stringList(),
    bcc: t.stringList(),
    from: t.string(),
    subject: t.string({ required: true }),
    html: t.string(),
    text: t.string(),
    attachments: t.idList({
      description:
        'Media ids of the tenant (uploadMedia, createMediaFromUrl, POST /api/media/upload) to attach as files, at most 10, ' +
        'together at most HERALD_EMAIL_ATTACHMENT_MAX_BYTES (default 10 MiB).',
    }),
    ...commonSendFields(t),
  }),
});

builder.objectType(RecipientSuppressedError, {
  name: 'RecipientSuppressedError',
  description:
    'A MARKETING message to a recipient on the suppression list (an opt-out). Nothing was stored; UTILITY and AUTHENTICATION messages still reach them.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString('field'),
    channel: t.expose('channel', { type: ChannelEnum }),
    recipient: t.exposeString('recipient', { description: 'The recipient as normalised (E.164, lower-case address).' }),
  }),
});

const SEND_ERRORS = [ValidationError, RecipientSuppressedError];

builder.mutationFields((t) => ({
  sendSms: t.field({
    type: MessageRef,
    authScopes: { send: true },
    errors: { types: SEND_ERRORS },
    args: { input: t.arg({ type: SendSmsInput, required: true }) },
    resolve: (_root, { input }, ctx) => sendSms(ctx.services.send, ctx.principal.tenantId, input),
  }),
  sendWhatsApp: t.field({
    type: MessageRef,
    authScopes: { send: true },
    errors: { types: SEND_ERRORS },
    args: { input: t.arg({ type: SendWhatsAppInput, required: true }) },
    resolve: (_root, { input }, ctx) => sendWhatsApp(ctx.services.send, ctx.principal.tenantId, input),
  }),
  sendEmail: t.field({
    type: MessageRef,
    authScopes: { send: true },
    errors: { types: SEND_ERRORS },
    args: { input: t.arg({ type: SendEmailInput, required: true }) },
    resolve: (_root, { input }, ctx) => sendEmail(ctx.services.send, ctx.principal.tenantId, input),
  }),
}));

builder.objectType(InvalidStateError, {
  name: 'InvalidStateError',
  description: 'The message is in a state that forbids the operation; `status` is its current state.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ status: t.field({ type: MessageStatusEnum, resolve: (e) => e.status as MessageStatus }) }),
});

builder.mutationFields((t) => ({
  cancelMessage: t.field({
    type: MessageRef,
    authScopes: { send: true },
    description: 'Cancels a QUEUED or SCHEDULED message.',
    errors: { types: [NotFoundError, InvalidStateError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const { row, change } = await cancelMessage(
        ctx.services.db,
        ctx.principal.tenantId,
        messageIdFrom(id) ?? id,
        ctx.services.now(),
      );
      ctx.services.statusHub.publish([change]);
      return row;
    },
  }),
  retryMessage: t.field({
    type: MessageRef,
    authScopes: { send: true },
    description: 'Queues a FAILED message again, with a fresh attempt budget.',
    errors: { types: [NotFoundError, InvalidStateError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const { row, change } = await retryMessage(
        ctx.services.db,
        ctx.principal.tenantId,
        messageIdFrom(id) ?? id,
        ctx.services.now(),
      );
      ctx.services.statusHub.publish([change]);
      return row;
    },
  }),
}));
