import { decodeGlobalID } from '@pothos/plugin-relay';
import type { TemplateRow } from '../../db/schema.js';
import { NotFoundError, UpstreamError, ValidationError } from '../../errors.js';
import { QUALITY_RATINGS } from '../../providers/whatsapp-templates.js';
import {
  submitTemplate,
  syncTemplates,
  type LifecycleDeps,
  type SyncResult,
  type TemplateChange,
} from '../../templates/lifecycle.js';
import type { GraphQLContext } from '../context.js';
import { ErrorInterface } from '../errors.js';
import type { Channel } from '../../vocabulary.js';
import { isUuid } from '../../ids.js';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  getTemplates,
  HEADER_KINDS,
  listTemplates,
  previewTemplate,
  setStrictTemplates,
  TEMPLATE_STATUSES,
  updateTemplate,
  type HeaderKind,
  type TemplatePreview,
  type TemplateStatus,
} from '../../templates/service.js';
import { builder } from '../builder.js';
import { ChannelEnum } from './message.js';
import { TenantRef } from './tenancy.js';

// The tenant's template registry (templates/service.ts does the work) and the strict-templates
// switch. Sends are checked against it in the service layer (templates/send-checks.ts).

const TemplateStatusEnum = builder.enumType('TemplateStatus', {
  description:
    "Only APPROVED templates can be sent. WhatsApp templates follow Meta's review once submitted (submitTemplate): " +
    'PENDING, then APPROVED or REJECTED; Meta may later PAUSE (low quality) or DISABLE one.',
  values: TEMPLATE_STATUSES,
});

const QualityRatingEnum = builder.enumType('TemplateQualityRating', {
  description: "Meta's quality rating of a WhatsApp template.",
  values: QUALITY_RATINGS,
});

const TemplateChangeSourceEnum = builder.enumType('TemplateChangeSource', {
  description: "What told Herald: its own submitTemplate, a sync of Meta's template list, or Meta's webhook.",
  values: ['SUBMIT', 'SYNC', 'WEBHOOK'] as const,
});

builder.objectType(UpstreamError, {
  name: 'UpstreamError',
  description: "A provider's management API refused the request or could not be reached; its own words are in message.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    provider: t.exposeString('provider', { description: "The tenant's provider that was called." }),
    retryable: t.exposeBoolean('retryable', { description: 'The same request may succeed later.' }),
  }),
});

const lifecycle = (ctx: GraphQLContext): LifecycleDeps => ({
  db: ctx.services.db,
  secrets: ctx.services.providers.secrets,
  outbound: ctx.services.outbound,
  now: ctx.services.now,
  onChanges: ctx.services.statusHub.publishTemplateChanges,
  openMedia: (tenantId, id) => ctx.services.media.open(tenantId, id),
});

const TemplateHeaderKindEnum = builder.enumType('TemplateHeaderKind', {
  description: 'A WhatsApp template header: IMAGE, VIDEO and DOCUMENT headers need a send with that mediaType.',
  values: HEADER_KINDS,
});

export const TemplateRef = builder.loadableNodeRef('Template', {
  id: { resolve: (t: TemplateRow) => t.id },
  load: (ids: string[], ctx) => getTemplates(ctx.services.db, ctx.principal.tenantId, ids),
});

TemplateRef.implement({
  description:
    'A registered template. body (and for email subject and html) use numbered placeholders {{1}}..{{n}}, filled by the ' +
    "send's params in order.",
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'paramCount' in v && 'headerKind' in v,
  fields: (t) => ({
    templateId: t.exposeString('id', { description: 'The plain id.' }),
    channel: t.field({ type: ChannelEnum, resolve: (r) => r.channel as Channel }),
    name: t.exposeString('name'),
    language: t.exposeString('language'),
    category: t.exposeString('category', { nullable: true }),
    body: t.exposeString('body'),
    paramCount: t.exposeInt('paramCount', {
      description: 'The highest placeholder of body, subject and html: the params a send must give.',
    }),
    headerKind: t.field({ type: TemplateHeaderKindEnum, resolve: (r) => r.headerKind as HeaderKind }),
    headerText: t.exposeString('headerText', { nullable: true }),
    buttons: t.field({ type: ['JSON'], resolve: (r) => r.buttons }),
    status: t.field({ type: TemplateStatusEnum, resolve: (r) => r.status as TemplateStatus }),
    metaTemplateId: t.exposeString('metaTemplateId', {
      nullable: true,
      description: "WhatsApp: Meta's id of the template, once submitted or found by a sync.",
    }),
    rejectionReason: t.exposeString('rejectionReason', {
      nullable: true,
      description: 'WhatsApp: why Meta rejected, paused or disabled it, in its words.',
    }),
    qualityRating: t.field({
      type: QualityRatingEnum,
      nullable: true,
      resolve: (r) => r.qualityRating as (typeof QUALITY_RATINGS)[number] | null,
    }),
    syncedAt: t.expose('syncedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When Meta last told Herald about it (submit, sync or webhook).',
    }),
    dltEntityId: t.exposeString('dltEntityId', { nullable: true, description: 'SMS: India DLT entity (PE) id.' }),
    dltTemplateId: t.exposeString('dltTemplateId', {
      nullable: true,
      description: 'SMS: India DLT template id; sends name it as dltTemplateId.',
    }),
    subject: t.exposeString('subject', { nullable: true, description: 'Email only.' }),
    html: t.exposeString('html', { nullable: true, description: 'Email only.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const TemplatePreviewRef = builder.objectRef<TemplatePreview>('TemplatePreview').implement({
  description: 'A template with its placeholders filled in.',
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'template' in v && 'text' in v,
  fields: (t) => ({
    template: t.field({ type: TemplateRef, resolve: (p) => p.template }),
    text: t.exposeString('text', { description: 'The body filled in.' }),
    headerText: t.exposeString('headerText', { nullable: true }),
    subject: t.exposeString('subject', { nullable: true }),
    html: t.exposeString('html', { nullable: true }),
  }),
});

const SyncTemplatesResultRef = builder.objectRef<SyncResult>('TemplateSync').implement({
  description: "The registry brought in line with Meta's template list.",
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'matched' in v && 'changed' in v,
  fields: (t) => ({
    matched: t.exposeInt('matched', { description: 'Templates Meta listed that are in the registry.' }),
    unknown: t.exposeInt('unknown', { description: 'Templates Meta listed that are not (left alone).' }),
    changed: t.field({ type: [TemplateRef], resolve: (r) => r.changed }),
  }),
});

const TemplateStatusEventRef = builder.objectRef<TemplateChange>('TemplateStatusEvent').implement({
  description: "A template's review status or quality changed.",
  fields: (t) => ({
    eventId: t.exposeString('eventId', { description: 'The Herald-Event-Id of the same change sent as a callback.' }),
    template: t.field({
      type: TemplateRef,
      nullable: true,
      description: 'As it is now (null if deleted since).',
      resolve: (c, _args, ctx) => getTemplate(ctx.services.db, c.tenantId, c.templateId).then((r) => r ?? null),
    }),
    templateId: t.exposeString('templateId'),
    name: t.exposeString('name'),
    language: t.exposeString('language'),
    status: t.field({ type: TemplateStatusEnum, resolve: (c) => c.status }),
    previousStatus: t.field({ type: TemplateStatusEnum, resolve: (c) => c.previousStatus }),
    rejectionReason: t.exposeString('rejectionReason', { nullable: true }),
    qualityRating: t.field({ type: QualityRatingEnum, nullable: true, resolve: (c) => c.qualityRating }),
    previousQualityRating: t.field({
      type: QualityRatingEnum,
      nullable: true,
      resolve: (c) => c.previousQualityRating,
    }),
    metaTemplateId: t.exposeString('metaTemplateId', { nullable: true }),
    source: t.field({ type: TemplateChangeSourceEnum, resolve: (c) => c.source }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
  }),
});

const CreateTemplateInput = builder.inputType('CreateTemplateInput', {
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum, required: true }),
    name: t.string({
      required: true,
      description: 'Lower-case letters, digits and _; unique per channel and language.',
    }),
    language: t.string({ description: 'en, en_US, hi...; default en.' }),
    category: t.string({ description: 'MARKETING, UTILITY, AUTHENTICATION... (free text).' }),
    body: t.string({ required: true, description: 'With placeholders {{1}}..{{n}}, numbered from 1 without gaps.' }),
    headerKind: t.field({ type: TemplateHeaderKindEnum, description: 'WhatsApp; default NONE.' }),
    headerText: t.string({ description: 'For a TEXT header (no placeholders).' }),
    buttons: t.field({ type: ['JSON'], description: 'WhatsApp buttons as JSON objects, as registered upstream.' }),
    status: t.field({ type: TemplateStatusEnum, description: 'Default APPROVED.' }),
    dltEntityId: t.string({ description: 'SMS: India DLT entity (PE) id.' }),
    dltTemplateId: t.string({ description: 'SMS: India DLT template id.' }),
    subject: t.string({ description: 'Email: required; may use the placeholders.' }),
    html: t.string({ description: 'Email: may use the placeholders.' }),
  }),
});

const UpdateTemplateInput = builder.inputType('UpdateTemplateInput', {
  description: 'Omitted fields stay; null clears an optional one. The channel cannot change.',
  fields: (t) => ({
    name: t.string(),
    language: t.string(),
    category: t.string(),
    body: t.string(),
    headerKind: t.field({ type: TemplateHeaderKindEnum }),
    headerText: t.string(),
    buttons: t.field({ type: ['JSON'] }),
    status: t.field({ type: TemplateStatusEnum }),
    dltEntityId: t.string(),
    dltTemplateId: t.string(),
    subject: t.string(),
    html: t.string(),
  }),
});

const TemplateFilter = builder.inputType('TemplateFilter', {
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum }),
    name: t.string(),
    language: t.string(),
    status: t.field({ type: TemplateStatusEnum }),
  }),
});

/** Accepts a Relay global id or the plain template id. */
function templateIdFrom(id: string): string {
  if (isUuid(id)) return id;
  try {
    const decoded = decodeGlobalID(id);
    if (decoded.typename === 'Template' && isUuid(decoded.id)) return decoded.id;
  } catch {
    // not a global id: unknown
  }
  throw new NotFoundError('Template', id);
}

builder.objectField(TenantRef, 'strictTemplates', (t) =>
  t.exposeBoolean('strictTemplates', {
    description: 'When on, sends must name a registered template (setStrictTemplates).',
  }),
);

builder.queryFields((t) => ({
  template: t.field({
    type: TemplateRef,
    nullable: true,
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true, description: 'Global id or plain template id.' }) },
    resolve: async (_root, { id }, ctx) => {
      let plain: string;
      try {
        plain = templateIdFrom(id);
      } catch {
        return null;
      }
      return (await getTemplate(ctx.services.db, ctx.principal.tenantId, plain)) ?? null;
    },
  }),
  templates: t.field({
    type: [TemplateRef],
    authScopes: { read: true },
    description: "The tenant's templates by channel, name and language (at most 500).",
    args: { filter: t.arg({ type: TemplateFilter }) },
    resolve: (_root, { filter }, ctx) => listTemplates(ctx.services.db, ctx.principal.tenantId, filter ?? {}),
  }),
  previewTemplate: t.field({
    type: TemplatePreviewRef,
    authScopes: { read: true },
    description: 'The template filled in with params, or why a send with them would be refused.',
    errors: { types: [ValidationError, NotFoundError] },
    args: {
      channel: t.arg({ type: ChannelEnum, required: true }),
      name: t.arg.string({ required: true }),
      language: t.arg.string({ description: 'Default en.' }),
      params: t.arg.stringList(),
    },
    resolve: (_root, args, ctx) => previewTemplate(ctx.services.db, ctx.principal.tenantId, args),
  }),
}));

builder.mutationFields((t) => ({
  createTemplate: t.field({
    type: TemplateRef,
    authScopes: { admin: true },
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: CreateTemplateInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createTemplate(ctx.services.db, ctx.principal.tenantId, input, ctx.services.now()),
  }),
  updateTemplate: t.field({
    type: TemplateRef,
    authScopes: { admin: true },
    errors: { types: [ValidationError, NotFoundError] },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateTemplateInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      updateTemplate(ctx.services.db, ctx.principal.tenantId, templateIdFrom(id), input, ctx.services.now()),
  }),
  deleteTemplate: t.field({
    type: TemplateRef,
    authScopes: { admin: true },
    description: 'Deletes the template; returns it as it was. Messages already accepted keep their content.',
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => deleteTemplate(ctx.services.db, ctx.principal.tenantId, templateIdFrom(id)),
  }),
  submitTemplate: t.field({
    type: TemplateRef,
    authScopes: { admin: true },
    description:
      "Sends a registered WhatsApp template to Meta for review (POST /{waba-id}/message_templates) through the tenant's " +
      "whatsapp-cloud provider with settings.wabaId; records Meta's id and status (PENDING). Meta answers by webhook " +
      '(templateStatusChanged) and in syncTemplates.',
    errors: { types: [ValidationError, NotFoundError, UpstreamError] },
    args: {
      id: t.arg.id({ required: true }),
      provider: t.arg.string({ description: "The whatsapp-cloud provider's name; default the tenant's only one." }),
      bodyExample: t.arg.stringList({ description: 'One sample value per body placeholder, as Meta requires.' }),
      headerHandle: t.arg.string({
        description: "IMAGE, VIDEO and DOCUMENT headers: the sample's handle from Meta's resumable upload API.",
      }),
      headerMediaId: t.arg.string({
        description:
          "Or the sample as a media id of yours (uploadMedia): Herald uploads it to Meta (the provider's settings.appId).",
      }),
    },
    resolve: (_root, { id, provider, bodyExample, headerHandle, headerMediaId }, ctx) =>
      submitTemplate(lifecycle(ctx), ctx.principal.tenantId, templateIdFrom(id), {
        provider,
        bodyExample,
        headerHandle,
        headerMediaId,
      }),
  }),
  syncTemplates: t.field({
    type: SyncTemplatesResultRef,
    authScopes: { admin: true },
    description:
      'Reads every template of the WhatsApp Business Account from Meta (GET /{waba-id}/message_templates) and brings the ' +
      'registry in line: status, rejection reason, quality. Herald also does it every HERALD_TEMPLATE_SYNC_MS.',
    errors: { types: [ValidationError, UpstreamError] },
    args: {
      provider: t.arg.string({ description: "The whatsapp-cloud provider's name; default the tenant's only one." }),
    },
    resolve: (_root, { provider }, ctx) => syncTemplates(lifecycle(ctx), ctx.principal.tenantId, { provider }),
  }),
  setStrictTemplates: t.field({
    type: TenantRef,
    authScopes: { admin: true },
    description:
      'Strict templates: when on, a WhatsApp templateName (or an SMS dltTemplateId) not registered for the tenant is refused.',
    args: { enabled: t.arg.boolean({ required: true }) },
    resolve: (_root, { enabled }, ctx) => setStrictTemplates(ctx.services.db, ctx.principal.tenantId, enabled),
  }),
}));

builder.subscriptionFields((t) => ({
  templateStatusChanged: t.field({
    type: TemplateStatusEventRef,
    authScopes: { read: true },
    description:
      "The tenant's template status and quality changes as they happen (Meta's webhooks, syncs, submissions). " +
      'Nothing is replayed: read templates for the current state.',
    subscribe: (_root, _args, ctx) => templateChanges(ctx.services.statusHub, ctx.principal.tenantId),
    resolve: (change: TemplateChange) => change,
  }),
}));

/** At most this many changes wait for a slow subscriber; older ones are dropped (the registry has the state). */
const MAX_QUEUED = 1000;

/** One tenant's changes from the hub, as a stream that detaches when the client goes away. */
function templateChanges(
  hub: GraphQLContext['services']['statusHub'],
  tenantId: string,
): AsyncIterableIterator<TemplateChange> {
  const queue: TemplateChange[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const off = hub.onTemplateChanges((changes) => {
    for (const c of changes) if (c.tenantId === tenantId) queue.push(c);
    if (queue.length > MAX_QUEUED) queue.splice(0, queue.length - MAX_QUEUED);
    wake?.();
  });
  const finish = (): IteratorResult<TemplateChange> => {
    done = true;
    off();
    wake?.();
    return { done: true, value: undefined };
  };
  return {
    async next() {
      while (!done && queue.length === 0) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      if (done) return { done: true, value: undefined };
      return { done: false, value: queue.shift()! };
    },
    return: async () => finish(),
    throw: async (err: unknown) => {
      finish();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
