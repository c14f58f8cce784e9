import type { SuppressionRow } from '../../db/schema.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import {
  addSuppressions,
  listSuppressions,
  MAX_SUPPRESSIONS_PER_CALL,
  removeSuppression,
  type AddSuppressionsResult,
  type EntryProblem,
} from '../../messaging/suppressions.js';
import { setOptOutKeywords, STANDARD_OPT_IN, STANDARD_OPT_OUT } from '../../messaging/opt-out-keywords.js';
import { SUPPRESSION_SOURCES, type SuppressionSource } from '../../vocabulary.js';
import { builder } from '../builder.js';
import { connectionOf } from '../connection.js';
import { ChannelEnum } from './message.js';
import { TenantRef } from './tenancy.js';

// Opt-outs: the tenant's suppression list (read it, add to it, lift an entry) and its own opt-out
// and opt-in keywords. Thin: messaging/suppressions.ts and messaging/opt-out-keywords.ts do the work.

const SuppressionSourceEnum = builder.enumType('SuppressionSource', {
  values: {
    API: { description: 'Added through addSuppressions.' },
    INBOUND: { description: 'The recipient replied with an opt-out keyword (STOP, UNSUBSCRIBE...).' },
    PROVIDER: { description: 'A provider answered that the recipient opted out (Twilio 21610, WhatsApp 131050).' },
  } satisfies Record<SuppressionSource, { description: string }>,
});

const SuppressionRef = builder.objectRef<SuppressionRow>('Suppression').implement({
  description: 'A recipient that receives no MARKETING messages on a channel. UTILITY and AUTHENTICATION still pass.',
  fields: (t) => ({
    channel: t.expose('channel', { type: ChannelEnum }),
    recipient: t.exposeString('recipient', { description: 'E.164 phone number or lower-case email address.' }),
    reason: t.exposeString('reason'),
    source: t.field({
      type: SuppressionSourceEnum,
      // Written only by Herald, with these values.
      resolve: (s) => (SUPPRESSION_SOURCES.find((v) => v === s.source) ?? 'API') as SuppressionSource,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const SuppressionProblemRef = builder.objectRef<EntryProblem>('SuppressionEntryProblem').implement({
  description: 'An entry of addSuppressions that was refused on its own (its neighbours were not).',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Its position in `entries`, from 0.' }),
    field: t.exposeString('field', { description: '`recipient` or `reason`.' }),
    message: t.exposeString('message'),
  }),
});

const AddedSuppressionsRef = builder.objectRef<AddSuppressionsResult>('AddedSuppressions').implement({
  fields: (t) => ({
    suppressions: t.field({
      type: [SuppressionRef],
      description:
        'Every valid entry as the list now holds it, in input order; one already listed keeps its first reason, source and time.',
      resolve: (r) => r.suppressions,
    }),
    added: t.exposeInt('added', { description: 'How many entries were new.' }),
    problems: t.field({ type: [SuppressionProblemRef], resolve: (r) => r.problems }),
  }),
});

const SuppressionEntryInput = builder.inputType('SuppressionEntryInput', {
  fields: (t) => ({
    recipient: t.string({
      required: true,
      description: 'A phone number (normalised to E.164 as sends are) or, on EMAIL, an address.',
    }),
    reason: t.string({ description: 'Why, in words (at most 500 characters); default "added through the API".' }),
  }),
});

const AddSuppressionsInput = builder.inputType('AddSuppressionsInput', {
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum, required: true }),
    entries: t.field({
      type: [SuppressionEntryInput],
      required: true,
      description: `At most ${MAX_SUPPRESSIONS_PER_CALL.toLocaleString('en')} per call.`,
    }),
  }),
});

builder.queryField('suppressions', (t) =>
  t.connection(
    {
      type: SuppressionRef,
      authScopes: { read: true },
      description: "The tenant's suppression list, newest first (at most 100 per page).",
      args: {
        channel: t.arg({ type: ChannelEnum }),
        recipient: t.arg.string({ description: 'Phone number (any accepted format) or email address.' }),
      },
      resolve: async (_root, args, ctx) =>
        connectionOf(
          await listSuppressions(
            ctx.services.db,
            ctx.services.validators,
            ctx.principal.tenantId,
            { channel: args.channel ?? undefined, recipient: args.recipient ?? undefined },
            {
              first: args.first ?? undefined,
              after: args.after ?? undefined,
              last: args.last ?? undefined,
              before: args.before ?? undefined,
            },
          ),
        ),
    },
    { name: 'SuppressionConnection' },
    { name: 'SuppressionEdge' },
  ),
);

builder.mutationFields((t) => ({
  // Adding only restricts what the tenant sends, so the integrations that send (a CRM recording an
  // unsubscribe) may do it; lifting one overrides a person's opt-out, so it is an admin's call.
  addSuppressions: t.field({
    type: AddedSuppressionsRef,
    authScopes: { send: true },
    description:
      'Adds recipients to the suppression list: MARKETING sends to them are refused. Invalid entries are reported in `problems` without failing the others.',
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: AddSuppressionsInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      addSuppressions(ctx.services.db, ctx.services.validators, ctx.principal.tenantId, input, ctx.services.now()),
  }),
  removeSuppression: t.field({
    type: SuppressionRef,
    authScopes: { admin: true },
    description: 'Lifts a suppression: MARKETING sends reach the recipient again. Returns the entry removed.',
    errors: { types: [ValidationError, NotFoundError] },
    args: {
      channel: t.arg({ type: ChannelEnum, required: true }),
      recipient: t.arg.string({ required: true }),
    },
    resolve: (_root, { channel, recipient }, ctx) =>
      removeSuppression(ctx.services.db, ctx.services.validators, ctx.principal.tenantId, channel, recipient),
  }),
}));

builder.objectFields(TenantRef, (t) => ({
  optOutKeywords: t.exposeStringList('optOutKeywords', {
    description: `Replies that opt the sender out, besides ${STANDARD_OPT_OUT.join(', ')} (setOptOutKeywords).`,
  }),
  optInKeywords: t.exposeStringList('optInKeywords', {
    description: `Replies that opt the sender back in, besides ${STANDARD_OPT_IN.join(', ')} (setOptOutKeywords).`,
  }),
}));

const OptOutKeywordsInput = builder.inputType('OptOutKeywordsInput', {
  fields: (t) => ({
    optOut: t.stringList({ description: 'At most 20 words or phrases; an omitted list stays as it is.' }),
    optIn: t.stringList({ description: 'At most 20 words or phrases; an omitted list stays as it is.' }),
  }),
});

builder.mutationField('setOptOutKeywords', (t) =>
  t.field({
    type: TenantRef,
    authScopes: { admin: true },
    description:
      "The tenant's own opt-out and opt-in keywords: a reply that is exactly one of them (any case, spaces trimmed) adds or lifts the sender's suppression, like STOP and START.",
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: OptOutKeywordsInput, required: true }) },
    resolve: (_root, { input }, ctx) => setOptOutKeywords(ctx.services.db, ctx.principal.tenantId, input),
  }),
);
