import { decodeGlobalID } from '@pothos/plugin-relay';
import type { TemplateRow } from '../../db/schema.js';
import { NotFoundError, ValidationError } from '../../errors.js';
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
  description: 'Only APPROVED templates can be sent.',
  values: TEMPLATE_STATUSES,
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
  setStrictTemplates: t.field({
    type: TenantRef,
    authScopes: { admin: true },
    description:
      'Strict templates: when on, a WhatsApp templateName (or an SMS dltTemplateId) not registered for the tenant is refused.',
    args: { enabled: t.arg.boolean({ required: true }) },
    resolve: (_root, { enabled }, ctx) => setStrictTemplates(ctx.services.db, ctx.principal.tenantId, enabled),
  }),
}));
