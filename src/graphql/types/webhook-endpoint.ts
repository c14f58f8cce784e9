import { decodeGlobalID } from '@pothos/plugin-relay';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoints,
  listEndpoints,
  rotateCallbackSecret,
  updateEndpoint,
  type WebhookEndpoint,
} from '../../callbacks/endpoints.js';
import { isTemplatePayload, type AnyCallbackPayload } from '../../callbacks/payload.js';
import { attemptsForDeliveries, deliveriesForEndpoints, deliveriesForMessages } from '../../callbacks/queries.js';
import type { CallbackAttemptRow, CallbackDeliveryRow } from '../../db/schema.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { isUuid } from '../../ids.js';
import { builder } from '../builder.js';
import { MessageRef, MessageStatusEnum } from './message.js';

// Customer callbacks: endpoints (managed with the admin scope), the tenant's per-message
// callback secret, and every delivery with its attempts, per message and per endpoint.

const DeliveryStatusEnum = builder.enumType('CallbackDeliveryStatus', {
  description: 'PENDING until the receiver answers 2xx (DELIVERED) or the retry window closes (FAILED).',
  values: {
    PENDING: { value: 'pending' },
    DELIVERED: { value: 'delivered' },
    FAILED: { value: 'failed' },
  } as const,
});

export const WebhookEndpointRef = builder.loadableNodeRef('WebhookEndpoint', {
  id: { resolve: (e: WebhookEndpoint) => e.id },
  load: (ids: string[], ctx) => getEndpoints(ctx.services.db, ctx.principal.tenantId, ids),
});

const CallbackAttemptRef = builder.objectRef<CallbackAttemptRow>('CallbackAttempt').implement({
  description: 'One POST of a callback.',
  fields: (t) => ({
    number: t.exposeInt('attempt', { description: '1 for the first attempt.' }),
    url: t.exposeString('url'),
    statusCode: t.exposeInt('statusCode', {
      nullable: true,
      description: 'Null when no answer came (refused, reset, timeout).',
    }),
    latencyMs: t.exposeInt('latencyMs'),
    error: t.exposeString('error', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const CallbackDeliveryRef = builder.objectRef<CallbackDeliveryRow>('CallbackDelivery').implement({
  description:
    "One event on its way to one destination: a message's status change (to an endpoint, or the message's callbackUrl), " +
    'or a template status change (payload type template.status, to endpoints with templateEvents).',
  fields: (t) => ({
    id: t.id({ resolve: (d) => String(d.id) }),
    eventId: t.exposeString('eventId', { description: 'Sent as Herald-Event-Id; the same across retries.' }),
    messageId: t.exposeString('messageId', { nullable: true, description: 'Null for a template event.' }),
    eventStatus: t.field({
      type: MessageStatusEnum,
      nullable: true,
      description: "The message's new status; null for a template event (its status is in the payload).",
      resolve: (d) => {
        const p = d.payload as AnyCallbackPayload;
        return isTemplatePayload(p) ? null : p.status;
      },
    }),
    payload: t.expose('payload', { type: 'JSON', description: 'The JSON body POSTed.' }),
    endpoint: t.field({
      type: WebhookEndpointRef,
      nullable: true,
      description: "Null for the message's callbackUrl.",
      resolve: (d) => d.endpointId,
    }),
    url: t.exposeString('url'),
    status: t.expose('status', { type: DeliveryStatusEnum }),
    attemptCount: t.exposeInt('attempts'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    attempts: t.loadableList({
      type: CallbackAttemptRef,
      description: 'Oldest first.',
      load: (ids: number[], ctx) => attemptsForDeliveries(ctx.services.db, ctx.principal.tenantId, ids),
      resolve: (d) => d.id,
    }),
  }),
});

WebhookEndpointRef.implement({
  description: 'A receiver of status callbacks. Its signing secret is shown only when it is created.',
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'events' in v && 'enabled' in v,
  fields: (t) => ({
    url: t.exposeString('url'),
    events: t.field({
      type: [MessageStatusEnum],
      description: 'Statuses POSTed to this endpoint; empty means all.',
      resolve: (e) => e.events,
    }),
    enabled: t.exposeBoolean('enabled'),
    templateEvents: t.exposeBoolean('templateEvents', {
      description: 'Also receives template status and quality changes (payload type template.status).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deliveries: t.loadableList({
      type: CallbackDeliveryRef,
      authScopes: { read: true },
      description: 'Most recent first (at most 100).',
      args: { first: t.arg.int({ defaultValue: 20 }), status: t.arg({ type: DeliveryStatusEnum }) },
      // One loader per place in the document (its arguments are the same at every endpoint
      // there): every endpoint at that place loads in one query.
      byPath: true,
      load: (ids: string[], ctx, args) => deliveriesForEndpoints(ctx.services.db, ctx.principal.tenantId, ids, args),
      resolve: (e) => e.id,
    }),
  }),
});

builder.objectField(MessageRef, 'callbackDeliveries', (t) =>
  t.loadableList({
    type: CallbackDeliveryRef,
    authScopes: { read: true },
    description: "Callbacks of this message's status changes, in event order, with every attempt.",
    load: (ids: string[], ctx) => deliveriesForMessages(ctx.services.db, ctx.principal.tenantId, ids),
    resolve: (m) => m.id,
  }),
);

const CreatedEndpointRef = builder
  .objectRef<{ endpoint: WebhookEndpoint; secret: string }>('CreatedWebhookEndpoint')
  .implement({
    description: 'A new endpoint. `secret` signs its callbacks and is shown this once; store it now.',
    isTypeOf: (v) => typeof v === 'object' && v !== null && 'endpoint' in v && 'secret' in v,
    fields: (t) => ({
      endpoint: t.field({ type: WebhookEndpointRef, resolve: (v) => v.endpoint }),
      secret: t.exposeString('secret'),
    }),
  });

const CallbackSecretRef = builder.objectRef<{ secret: string; createdAt: Date }>('CallbackSecret').implement({
  description:
    "Signs callbacks sent to messages' own callbackUrl. Shown this once; the previous secret stops working now.",
  fields: (t) => ({
    secret: t.exposeString('secret'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const CreateInput = builder.inputType('CreateWebhookEndpointInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'http or https.' }),
    events: t.field({ type: [MessageStatusEnum], description: 'Statuses to receive; omitted or empty means all.' }),
    templateEvents: t.boolean({
      description:
        'Also receive WhatsApp template status and quality changes (payload type template.status); default false.',
    }),
  }),
});

const UpdateInput = builder.inputType('UpdateWebhookEndpointInput', {
  fields: (t) => ({
    url: t.string(),
    events: t.field({ type: [MessageStatusEnum] }),
    templateEvents: t.boolean(),
    enabled: t.boolean({ description: 'Disabling gives up the deliveries still pending.' }),
  }),
});

/** Accepts a Relay global id or the plain endpoint id. */
function endpointIdFrom(id: string): string {
  if (isUuid(id)) return id;
  try {
    const decoded = decodeGlobalID(id);
    if (decoded.typename === 'WebhookEndpoint') return decoded.id;
  } catch {
    // not a global id: unknown
  }
  throw new NotFoundError('WebhookEndpoint', id);
}

builder.queryFields((t) => ({
  webhookEndpoints: t.field({
    type: [WebhookEndpointRef],
    authScopes: { read: true },
    description: "The tenant's callback endpoints, oldest first.",
    resolve: (_root, _args, ctx) => listEndpoints(ctx.services.db, ctx.principal.tenantId),
  }),
}));

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: CreatedEndpointRef,
    authScopes: { admin: true },
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: CreateInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createEndpoint(
        ctx.services.db,
        ctx.services.outbound,
        ctx.services.providers.secrets,
        ctx.principal.tenantId,
        input,
        ctx.services.now(),
      ),
  }),
  updateWebhookEndpoint: t.field({
    type: WebhookEndpointRef,
    authScopes: { admin: true },
    errors: { types: [ValidationError, NotFoundError] },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      updateEndpoint(
        ctx.services.db,
        ctx.services.outbound,
        ctx.principal.tenantId,
        endpointIdFrom(id),
        input,
        ctx.services.now(),
      ),
  }),
  deleteWebhookEndpoint: t.field({
    type: WebhookEndpointRef,
    authScopes: { admin: true },
    description: 'Deletes the endpoint with its delivery history; returns it as it was.',
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => deleteEndpoint(ctx.services.db, ctx.principal.tenantId, endpointIdFrom(id)),
  }),
  rotateCallbackSecret: t.field({
    type: CallbackSecretRef,
    authScopes: { admin: true },
    description: "A new secret for callbacks sent to messages' own callbackUrl (endpoints have their own), shown once.",
    resolve: (_root, _args, ctx) =>
      rotateCallbackSecret(ctx.services.db, ctx.services.providers.secrets, ctx.principal.tenantId, ctx.services.now()),
  }),
}));
