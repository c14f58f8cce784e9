import type { ProviderConfigRow, RoutingRuleRow } from '../../db/schema.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import {
  configureProvider,
  getProviderConfig,
  listProviderConfigs,
  listRoutes,
  setProviderEnabled,
  setRoute,
} from '../../providers/configure.js';
import {
  CREDENTIAL_CHECK_TIMEOUT_MS,
  checkConfiguredProvider,
  type CredentialCheck,
} from '../../providers/credential-check.js';
import { instanceName } from '../../providers/directory.js';
import { PROVIDER_KINDS } from '../../providers/kinds.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { ChannelEnum } from './message.js';

// A tenant's own providers and routes. Secrets go in, never out. Credentials are checked when
// configured (and on demand): a failed check is answered beside the stored configuration, not
// as a refusal, because the provider may be down for a moment or the tenant may be setting up
// ahead of the account, and the answer says what is wrong either way.

const CredentialCheckResultEnum = builder.enumType('CredentialCheckResult', {
  values: {
    OK: { description: 'The provider accepted the credentials.' },
    BAD_CREDENTIALS: {
      description: 'The provider refused them, or the account or number they name (message: its own words).',
    },
    UNREACHABLE: { description: 'The provider could not be reached or did not answer in time.' },
    NOT_CHECKABLE: { description: 'This kind has no harmless call to check with: the first send tells.' },
  } as const,
});

const CredentialCheckRef = builder.objectRef<CredentialCheck>('CredentialCheck').implement({
  description: 'One harmless authenticated call to the provider (nothing is sent).',
  fields: (t) => ({
    result: t.field({ type: CredentialCheckResultEnum, resolve: (c) => c.result }),
    message: t.exposeString('message', { description: "The provider's own answer, secrets redacted." }),
    checkedAt: t.expose('checkedAt', { type: 'DateTime' }),
  }),
});

type ProviderConfigAnswer = ProviderConfigRow & { credentialCheck?: CredentialCheck };

const ProviderConfigRef = builder.objectRef<ProviderConfigAnswer>('ProviderConfig').implement({
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
    credentialCheck: t.field({
      type: CredentialCheckRef,
      nullable: true,
      description:
        'The credential check configureProvider ran on this configuration (stored even when it failed); null in lists: run testProvider.',
      resolve: (c) => c.credentialCheck ?? null,
    }),
  }),
});

/** The check of a stored provider, through the outbound guard. */
const checkStored = (ctx: GraphQLContext, row: ProviderConfigRow): Promise<CredentialCheck> =>
  checkConfiguredProvider(ctx.services.providers.secrets, row, {
    outbound: ctx.services.outbound,
    timeoutMs: CREDENTIAL_CHECK_TIMEOUT_MS,
    now: ctx.services.now,
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
    description:
      'Creates or updates a provider by name, then checks its credentials with one harmless call (credentialCheck): the configuration is stored whatever the check says.',
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
      return { ...row, credentialCheck: await checkStored(ctx, row) };
    },
  }),
  testProvider: t.field({
    type: CredentialCheckRef,
    authScopes: { admin: true },
    description: "Checks a configured provider's credentials again (one harmless call; nothing is sent).",
    errors: { types: [NotFoundError] },
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, { name }, ctx) =>
      checkStored(ctx, await getProviderConfig(ctx.services.db, ctx.principal.tenantId, name)),
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
