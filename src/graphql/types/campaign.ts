import { decodeGlobalID } from '@pothos/plugin-relay';
import type { CampaignContent } from '../../campaigns/content.js';
import { type CampaignCounters, readCounters } from '../../campaigns/counters.js';
import { getCampaign, getCampaigns, listCampaigns } from '../../campaigns/queries.js';
import type { AddResult, InvalidRecipient } from '../../campaigns/recipients.js';
import { type ImportResult, importCampaignRecipients, MAX_REPORTED_ROWS } from '../../campaigns/import-csv.js';
import { addCampaignRecipients, createCampaign } from '../../campaigns/service.js';
import type { CampaignRow } from '../../db/schema.js';
import { CampaignStateError, NotFoundError, ValidationError } from '../../errors.js';
import { isUuid } from '../../ids.js';
import { listMessages } from '../../messaging/queries.js';
import type { CampaignStatus, Channel, MessageCategory } from '../../vocabulary.js';
import { builder } from '../builder.js';
import { connectionOf } from '../connection.js';
import { ErrorInterface } from '../errors.js';
import {
  ChannelEnum,
  MediaTypeEnum,
  MessageCategoryEnum,
  MessageConnection,
  MessageFilterInput,
  MessageRef,
  messageFilterOf,
} from './message.js';
import { mediaIdFrom } from './media.js';

// Campaigns: creation, recipients added in bulk, and reading them with their counters and
// messages (campaigns/ does the work). Start, pause, resume and cancel live in
// campaign-lifecycle.ts.

export const CampaignStatusEnum = builder.enumType('CampaignStatus', {
  values: {
    DRAFT: { description: 'Created; recipients can be added. Nothing is sent.' },
    SCHEDULED: { description: 'Started with a sendAt ahead: starts then.' },
    RUNNING: { description: 'Its messages are released at its rate.' },
    PAUSED: { description: 'No new message is released until it is resumed.' },
    COMPLETED: { description: 'Every message reached a final status or was handed to a provider. Final.' },
    CANCELED: { description: 'Canceled; messages not yet handed to a provider were canceled. Final.' },
  } satisfies Record<CampaignStatus, { description: string }>,
});

export const CampaignRef = builder.loadableNodeRef('Campaign', {
  id: { resolve: (c: CampaignRow) => c.id },
  load: (ids: string[], ctx) => getCampaigns(ctx.services.db, ctx.principal.tenantId, ids),
  // Counters and status move all the time: a subscription's context must not serve stale rows.
  loaderOptions: { cache: false },
});

/** Accepts a Relay global id or the plain campaign id; anything else is simply not found. */
export function campaignIdFrom(id: string): string | null {
  if (isUuid(id)) return id;
  try {
    const decoded = decodeGlobalID(id);
    return decoded.typename === 'Campaign' && isUuid(decoded.id) ? decoded.id : null;
  } catch {
    return null;
  }
}

// --- content -----------------------------------------------------------------------------------

type Stored<C extends CampaignContent['channel']> = Extract<CampaignContent, { channel: C }>;

const CampaignSmsContent = builder.objectRef<Stored<'SMS'>>('CampaignSmsContent').implement({
  fields: (t) => ({
    text: t.string({ description: 'With placeholders {{1}}..{{n}}.', resolve: (c) => c.sms.text }),
    senderId: t.string({ nullable: true, resolve: (c) => c.sms.senderId ?? null }),
    unicode: t.boolean({ resolve: (c) => c.sms.unicode ?? false }),
    flash: t.boolean({ resolve: (c) => c.sms.flash ?? false }),
    dltEntityId: t.string({ nullable: true, resolve: (c) => c.sms.dltEntityId ?? null }),
    dltTemplateId: t.string({ nullable: true, resolve: (c) => c.sms.dltTemplateId ?? null }),
  }),
});

const CampaignWhatsAppContent = builder.objectRef<Stored<'WHATSAPP'>>('CampaignWhatsAppContent').implement({
  fields: (t) => ({
    templateName: t.string({ resolve: (c) => c.whatsApp.templateName }),
    language: t.string({ resolve: (c) => c.whatsApp.language }),
    mediaType: t.field({
      type: MediaTypeEnum,
      resolve: (c) => c.whatsApp.mediaType as 'NONE' | 'IMAGE' | 'VIDEO' | 'DOCUMENT',
    }),
    mediaId: t.string({ nullable: true, resolve: (c) => c.whatsApp.mediaId ?? null }),
  }),
});

const CampaignEmailContent = builder.objectRef<Stored<'EMAIL'>>('CampaignEmailContent').implement({
  fields: (t) => ({
    from: t.string({ nullable: true, resolve: (c) => c.email.from ?? null }),
    subject: t.string({ description: 'With placeholders {{1}}..{{n}}.', resolve: (c) => c.email.subject }),
    htmlBody: t.string({ nullable: true, resolve: (c) => c.email.html ?? null }),
    textBody: t.string({ nullable: true, resolve: (c) => c.email.text ?? null }),
    attachments: t.stringList({ resolve: (c) => c.email.attachments ?? [] }),
  }),
});

const CampaignContentUnion = builder.unionType('CampaignContent', {
  types: [CampaignSmsContent, CampaignWhatsAppContent, CampaignEmailContent],
  resolveType: (c) =>
    ({ SMS: CampaignSmsContent, WHATSAPP: CampaignWhatsAppContent, EMAIL: CampaignEmailContent })[c.channel],
});

export const CampaignCountersRef = builder.objectRef<CampaignCounters>('CampaignCounters').implement({
  description:
    "The campaign's messages per status (exact: kept in the same transaction as every change), their total, and the recipients refused when added.",
  fields: (t) => ({
    scheduled: t.exposeInt('scheduled', { description: 'Held until released, or scheduled.' }),
    queued: t.exposeInt('queued'),
    sending: t.exposeInt('sending'),
    sent: t.exposeInt('sent'),
    delivered: t.exposeInt('delivered'),
    read: t.exposeInt('read'),
    failed: t.exposeInt('failed'),
    undelivered: t.exposeInt('undelivered'),
    expired: t.exposeInt('expired'),
    canceled: t.exposeInt('canceled'),
    total: t.exposeInt('total', { description: 'Messages of the campaign (refused recipients are not messages).' }),
    invalid: t.exposeInt('invalid', { description: 'Recipients refused as invalid when added (each counted once).' }),
    suppressed: t.exposeInt('suppressed', {
      description:
        "Recipients of a MARKETING campaign on the tenant's suppression list when added (each counted once).",
    }),
  }),
});

CampaignRef.implement({
  description: 'A send to many recipients; each recipient is a message of the campaign.',
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'ratePerSecond' in v && 'suppressed' in v,
  fields: (t) => ({
    campaignId: t.exposeString('id', { description: 'The plain campaign id.' }),
    name: t.exposeString('name'),
    channel: t.field({ type: ChannelEnum, resolve: (c) => c.channel as Channel }),
    category: t.field({ type: MessageCategoryEnum, resolve: (c) => c.category as MessageCategory }),
    status: t.field({ type: CampaignStatusEnum, resolve: (c) => c.status as CampaignStatus }),
    content: t.field({ type: CampaignContentUnion, resolve: (c) => c.content as CampaignContent }),
    ratePerSecond: t.exposeInt('ratePerSecond', {
      nullable: true,
      description: "Most messages released per second; null: as fast as the providers' limits allow.",
    }),
    sendAt: t.expose('sendAt', { type: 'DateTime', nullable: true }),
    validUntil: t.expose('validUntil', { type: 'DateTime', nullable: true }),
    tags: t.exposeStringList('tags'),
    callbackUrl: t.exposeString('callbackUrl', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When nothing was left to send (COMPLETED), or every remaining message was canceled (CANCELED).',
    }),
    canceledAt: t.expose('canceledAt', { type: 'DateTime', nullable: true }),
    counters: t.loadable({
      type: CampaignCountersRef,
      // Keyed by row: every campaign of a page is counted in one grouped query.
      load: (rows: CampaignRow[], ctx) => readCounters(ctx.services.db, rows),
      resolve: (c) => c,
    }),
    messages: t.connection(
      {
        type: MessageRef,
        description:
          "The campaign's messages, newest first, with the messages query's filters (filter.campaign is this campaign, whatever it says).",
        args: { filter: t.arg({ type: MessageFilterInput }) },
        resolve: async (campaign, args, ctx) => {
          const page = await listMessages(
            ctx.services.db,
            ctx.principal.tenantId,
            { ...messageFilterOf(args.filter, ctx), campaignId: campaign.id },
            {
              first: args.first ?? undefined,
              after: args.after ?? undefined,
              last: args.last ?? undefined,
              before: args.before ?? undefined,
            },
          );
          return connectionOf(page);
        },
      },
      MessageConnection,
    ),
  }),
});

builder.objectType(CampaignStateError, {
  name: 'CampaignStateError',
  description: 'The campaign is in a state that forbids the operation; `status` is its current state.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ status: t.field({ type: CampaignStatusEnum, resolve: (e) => e.status as CampaignStatus }) }),
});

// --- queries -----------------------------------------------------------------------------------

builder.queryFields((t) => ({
  campaign: t.field({
    type: CampaignRef,
    nullable: true,
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true, description: 'Global id or plain campaign id.' }) },
    resolve: async (_root, { id }, ctx) => {
      const campaignId = campaignIdFrom(id);
      return campaignId ? ((await getCampaign(ctx.services.db, ctx.principal.tenantId, campaignId)) ?? null) : null;
    },
  }),
  campaigns: t.connection(
    {
      type: CampaignRef,
      authScopes: { read: true },
      description: 'Newest first (at most 100 per page).',
      args: { status: t.arg({ type: CampaignStatusEnum }) },
      resolve: async (_root, args, ctx) =>
        connectionOf(
          await listCampaigns(
            ctx.services.db,
            ctx.principal.tenantId,
            { status: args.status ?? undefined },
            {
              first: args.first ?? undefined,
              after: args.after ?? undefined,
              last: args.last ?? undefined,
              before: args.before ?? undefined,
            },
          ),
        ),
    },
    { name: 'CampaignConnection' },
    { name: 'CampaignEdge' },
  ),
}));

// --- creating and adding recipients --------------------------------------------------------------

type FieldBuilder = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

const CampaignSmsContentInput = builder.inputType('CampaignSmsContentInput', {
  fields: (t) => ({
    text: t.string({
      required: true,
      description: "With placeholders {{1}}..{{n}}, filled by each recipient's params in order.",
    }),
    senderId: t.string(),
    unicode: t.boolean(),
    flash: t.boolean(),
    dltEntityId: t.string(),
    dltTemplateId: t.string({ description: 'A registered SMS template: text must be its body (placeholders kept).' }),
  }),
});

const CampaignWhatsAppContentInput = builder.inputType('CampaignWhatsAppContentInput', {
  fields: (t) => ({
    templateName: t.string({ required: true }),
    language: t.string({ description: 'Default en.' }),
    mediaType: t.field({ type: MediaTypeEnum }),
    mediaId: t.string({ description: 'Header media: an uploaded media id of the kind, or an http(s) URL.' }),
  }),
});

const CampaignEmailContentInput = builder.inputType('CampaignEmailContentInput', {
  fields: (t) => ({
    from: t.string(),
    subject: t.string({ required: true, description: 'With placeholders {{1}}..{{n}}.' }),
    html: t.string({ description: 'With placeholders; the values filled in are HTML-escaped.' }),
    text: t.string({ description: 'With placeholders.' }),
    attachments: t.idList({ description: 'Media ids attached to every email (as sendEmail takes them).' }),
  }),
});

const CampaignContentInput = builder.inputType('CampaignContentInput', {
  description: "Exactly one member: the campaign channel's.",
  fields: (t: FieldBuilder) => ({
    sms: t.field({ type: CampaignSmsContentInput }),
    whatsApp: t.field({ type: CampaignWhatsAppContentInput }),
    email: t.field({ type: CampaignEmailContentInput }),
  }),
});

const CreateCampaignInput = builder.inputType('CreateCampaignInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    channel: t.field({ type: ChannelEnum, required: true }),
    content: t.field({ type: CampaignContentInput, required: true }),
    category: t.field({ type: MessageCategoryEnum, description: 'Default MARKETING.' }),
    sendAt: t.field({ type: 'DateTime', description: 'startCampaign before then schedules it.' }),
    validUntil: t.field({ type: 'DateTime', description: 'Messages not sent by then expire.' }),
    ratePerSecond: t.int({
      description: "At most this many messages per second (1 to 10,000); default: the providers' limits.",
    }),
    tags: t.stringList({ description: 'Every message carries them.' }),
    callbackUrl: t.string({ description: "Every message's status changes are POSTed here." }),
    idempotencyKey: t.string({
      description:
        'Creating again with the same key (up to 255 characters) answers the campaign the first call created.',
    }),
  }),
});

const CampaignRecipientInput = builder.inputType('CampaignRecipientInput', {
  fields: (t) => ({
    to: t.string({ required: true, description: 'Phone number (E.164 or digits with country code) or email address.' }),
    params: t.stringList({
      description: "Fill the content's placeholders: params[0] is {{1}}. WhatsApp: the template's parameters.",
    }),
    externalRef: t.string({ description: 'Your reference; unique within the campaign.' }),
    metadata: t.field({ type: 'JSON', description: 'Free JSON kept with the message (at most 16 KB).' }),
  }),
});

const InvalidRecipientRef = builder.objectRef<InvalidRecipient>('InvalidRecipient').implement({
  description: 'A recipient refused on its own; its neighbours were still added.',
  fields: (t) => ({
    row: t.exposeInt('row', {
      description:
        'Its index in `recipients` (from 0), or its CSV row number as a spreadsheet shows it (the header is row 1).',
    }),
    field: t.exposeString('field'),
    reason: t.exposeString('reason'),
  }),
});

const CampaignRecipientsAddedRef = builder.objectRef<AddResult>('CampaignRecipientsAdded').implement({
  fields: (t) => ({
    campaign: t.field({ type: CampaignRef, resolve: (r) => r.campaign }),
    accepted: t.exposeInt('accepted', { description: 'Recipients added as messages now.' }),
    duplicates: t.exposeInt('duplicates', {
      description: 'Valid recipients the campaign already had (same address or externalRef): skipped.',
    }),
    suppressed: t.exposeInt('suppressed', { description: 'MARKETING recipients on the suppression list: skipped.' }),
    invalidCount: t.exposeInt('invalid', { description: 'Recipients refused as invalid.' }),
    invalid: t.field({ type: [InvalidRecipientRef], resolve: (r) => r.invalidRows }),
  }),
});

const CsvColumnMappingInput = builder.inputType('CsvColumnMapping', {
  fields: (t) => ({
    column: t.string({ required: true, description: "A column's name in the CSV's header row." }),
    field: t.string({
      required: true,
      description: 'What it fills: to, externalRef, params.N ({{N}}, from 1, without gaps) or metadata.<key>.',
    }),
  }),
});

const CampaignRecipientsImportedRef = builder.objectRef<ImportResult>('CampaignRecipientsImported').implement({
  fields: (t) => ({
    campaign: t.field({ type: CampaignRef, resolve: (r) => r.campaign }),
    rows: t.exposeInt('rows', { description: 'Data rows read (the header not included).' }),
    accepted: t.exposeInt('accepted', { description: 'Recipients added as messages now.' }),
    duplicates: t.exposeInt('duplicates', {
      description: 'Valid recipients the campaign already had (same address or externalRef): skipped.',
    }),
    suppressed: t.exposeInt('suppressed', { description: 'MARKETING recipients on the suppression list: skipped.' }),
    invalidCount: t.exposeInt('invalid', { description: 'Rows refused as invalid.' }),
    invalid: t.field({
      type: [InvalidRecipientRef],
      description: `The first ${MAX_REPORTED_ROWS} invalid rows; \`row\` is the row number a spreadsheet shows (the header is row 1).`,
      resolve: (r) => r.invalidRows,
    }),
  }),
});

builder.mutationFields((t) => ({
  createCampaign: t.field({
    type: CampaignRef,
    authScopes: { send: true },
    description: 'Creates a DRAFT campaign; its content is checked as a single send of the channel would be.',
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: CreateCampaignInput, required: true }) },
    resolve: (_root, { input }, ctx) => createCampaign(ctx.services.campaigns, ctx.principal.tenantId, input),
  }),
  addCampaignRecipients: t.field({
    type: CampaignRecipientsAddedRef,
    authScopes: { send: true },
    description:
      'Adds up to 10,000 recipients, each checked on its own. Adding a recipient the campaign has (same address or externalRef) does nothing.',
    errors: { types: [ValidationError, NotFoundError, CampaignStateError] },
    args: {
      campaignId: t.arg.id({ required: true }),
      recipients: t.arg({ type: [CampaignRecipientInput], required: true }),
    },
    resolve: (_root, { campaignId, recipients }, ctx) =>
      addCampaignRecipients(
        ctx.services.campaigns,
        ctx.principal.tenantId,
        campaignIdFrom(campaignId) ?? campaignId,
        recipients,
      ),
  }),
  importCampaignRecipients: t.field({
    type: CampaignRecipientsImportedRef,
    authScopes: { send: true },
    description:
      'Adds the recipients of an uploaded CSV (uploadMedia with a .csv filename), read as a stream; each row is checked on its own. ' +
      'Importing again, after an interruption or not, adds each recipient once.',
    errors: { types: [ValidationError, NotFoundError, CampaignStateError] },
    args: {
      campaignId: t.arg.id({ required: true }),
      mediaId: t.arg.id({ required: true, description: 'The uploaded CSV; its first row names the columns.' }),
      mapping: t.arg({ type: [CsvColumnMappingInput], required: true }),
    },
    resolve: (_root, { campaignId, mediaId, mapping }, ctx) =>
      importCampaignRecipients(
        ctx.services.campaigns,
        ctx.principal.tenantId,
        campaignIdFrom(campaignId) ?? campaignId,
        mediaIdFrom(mediaId) ?? mediaId,
        mapping,
      ),
  }),
}));
