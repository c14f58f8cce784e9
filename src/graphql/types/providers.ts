import type { ProviderConfigRow, RoutingRuleRow } from '../../db/schema.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import {
  configureProvider,
  listProviderConfigs,
  listRoutes,
  setProviderEnabled,
  setRoute,
} from '../../providers/configure.js';
import { instanceName } from '../../providers/directory.js';
import { PROVIDER_KINDS } from '../../providers/kinds.js';
import { builder } from '../builder.js';
import { ChannelEnum } from './message.js';

// A tenant's own providers and routes. Secrets go in, never out.

const ProviderConfigRef = builder.objectRef<ProviderConfigRow>('ProviderConfig').implement({
  description: 'A provider the tenant configured. Its secrets are stored encrypted and never returned.',
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'secretsEncrypted' in v,
  fields: (t) => ({
    name: t.exposeString('name'),
    kind: t.exposeString('kind'),
    settings: t.expose('settings', { type: 'JSON' }),
    enabled: t.exposeBoolean('enabled'),
    hasSecrets: t.boolean({ resolve: (c) => c.secretsEncrypted !== null }),
    instance: t.string({ description: 'How messages name this provider.', resolve: (c) => instanceName(c) }),
    webhookPath: t.string({
      description: 'Where this provider reports: append it to HERALD_PUBLIC_URL.',
      resolve: (c) => `/webhooks/${instanceName(c)}`,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const RouteRef = builder.objectRef<RoutingRuleRow>('Route').implement({
  description: 'Which provider sends a channel for the tenant, and the fallback after a permanent failure.',
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'fallbackChannel' in v,
  fields: (t) => ({
    channel: t.expose('channel', { type: ChannelEnum }),
    provider: t.exposeString('provider'),
    fallbackProvider: t.exposeString('fallbackProvider', { nullable: true }),
    fallbackChannel: t.expose('fallbackChannel', { type: ChannelEnum, nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const ConfigureProviderInput = builder.inputType('ConfigureProviderInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'Your name for it, used in routes.' }),
    kind: t.string({ required: true, description: `One of: ${Object.keys(PROVIDER_KINDS).join(', ')}.` }),
    settings: t.field({
      type: 'JSON',
      required: true,
      description: 'Non-secret settings (account SID, sender, base URL...).',
    }),
    secrets: t.field({
      type: 'JSON',
      description: 'Tokens and passwords; omitted on an update, the stored ones stay.',
    }),
  }),
});

const SetRouteInput = builder.inputType('SetRouteInput', {
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum, required: true }),
    provider: t.string({ required: true }),
    fallbackProvider: t.string(),
    fallbackChannel: t.field({ type: ChannelEnum }),
  }),
});

builder.queryFields((t) => ({
  providers: t.field({
    type: [ProviderConfigRef],
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => listProviderConfigs(ctx.services.db, ctx.principal.tenantId),
  }),
  routes: t.field({
    type: [RouteRef],
    authScopes: { read: true },
    description: 'Channels without a route use the installation default (HERALD_ROUTE_<CHANNEL>).',
    resolve: (_root, _args, ctx) => listRoutes(ctx.services.db, ctx.principal.tenantId),
  }),
}));

builder.mutationFields((t) => ({
  configureProvider: t.field({
    type: ProviderConfigRef,
    authScopes: { admin: true },
    description: 'Creates or updates a provider by name.',
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: ConfigureProviderInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const row = await configureProvider(
        ctx.services.db,
        ctx.services.providers.secrets,
        ctx.services.outbound,
        ctx.principal.tenantId,
        input,
        ctx.services.now(),
      );
      ctx.services.providers.invalidate(ctx.principal.tenantId);
      return row;
    },
  }),
  setProviderEnabled: t.field({
    type: ProviderConfigRef,
    authScopes: { admin: true },
    errors: { types: [NotFoundError] },
    args: { name: t.arg.string({ required: true }), enabled: t.arg.boolean({ required: true }) },
    resolve: async (_root, { name, enabled }, ctx) => {
      const row = await setProviderEnabled(ctx.services.db, ctx.principal.tenantId, name, enabled, ctx.services.now());
      ctx.services.providers.invalidate(ctx.principal.tenantId);
      return row;
    },
  }),
  setRoute: t.field({
    type: RouteRef,
    authScopes: { admin: true },
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: SetRouteInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const row = await setRoute(
        ctx.services.db,
        ctx.services.providers.registry,
        ctx.principal.tenantId,
        input,
        ctx.services.now(),
      );
      ctx.services.providers.invalidate(ctx.principal.tenantId);
      return row;
    },
  }),
}));
