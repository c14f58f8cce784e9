import { decodeGlobalID } from '@pothos/plugin-relay';
import type { ApiKeyRow, TenantRow } from '../../db/schema.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { SCOPES, type Scope } from '../../vocabulary.js';
import {
  createApiKey,
  createTenant,
  getApiKeys,
  getTenant,
  listApiKeys,
  listTenants,
  revokeApiKey,
} from '../../tenancy/service.js';
import { builder } from '../builder.js';

const ScopeEnum = builder.enumType('ApiKeyScope', {
  values: Object.fromEntries(SCOPES.map((s) => [s.toUpperCase(), { value: s }])) as Record<
    Uppercase<Scope>,
    { value: Scope }
  >,
});

export const TenantRef = builder.objectRef<TenantRow>('Tenant').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    isOperator: t.exposeBoolean('isOperator'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ApiKeyRef = builder.node(builder.objectRef<ApiKeyRow>('ApiKey'), {
  id: { resolve: (k) => k.id },
  // node(id) on an ApiKey: the tenant's own keys only (node-scopes.ts asks for ADMIN first).
  loadMany: (ids, ctx) => getApiKeys(ctx.services.db, ctx.principal.tenantId, ids),
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'secretHash' in v,
  description: 'An API key. Only its prefix is ever shown again after creation.',
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix'),
    scopes: t.field({ type: [ScopeEnum], resolve: (k) => k.scopes as Scope[] }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

type IssuedKeyShape = { key: string; apiKey: ApiKeyRow; tenant: TenantRow };

const IssuedKeyRef = builder.objectRef<IssuedKeyShape>('IssuedApiKey').implement({
  description: 'A new key. `key` is shown this once; store it now.',
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'key' in v && 'apiKey' in v,
  fields: (t) => ({
    key: t.exposeString('key'),
    apiKey: t.field({ type: ApiKeyRef, resolve: (v) => v.apiKey }),
    tenant: t.field({ type: TenantRef, resolve: (v) => v.tenant }),
  }),
});

const ViewerRef = builder.objectRef<{ tenantId: string; scopes: Scope[]; keyId: string }>('Viewer').implement({
  description: 'The caller: the tenant its key belongs to and what the key may do.',
  fields: (t) => ({
    tenant: t.field({
      type: TenantRef,
      resolve: async (v, _args, ctx) => (await getTenant(ctx.services.db, v.tenantId))!,
    }),
    scopes: t.field({ type: [ScopeEnum], resolve: (v) => v.scopes }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({ type: ViewerRef, resolve: (_root, _args, ctx) => ctx.principal }),
  apiKeys: t.field({
    type: [ApiKeyRef],
    authScopes: { admin: true },
    description: "The tenant's keys, newest first, revoked ones included.",
    resolve: (_root, _args, ctx) => listApiKeys(ctx.services.db, ctx.principal.tenantId),
  }),
  tenants: t.field({
    type: [TenantRef],
    authScopes: { operator: true },
    description: "Operator only: the installation's tenants, oldest first.",
    resolve: (_root, _args, ctx) => listTenants(ctx.services.db),
  }),
}));

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    scopes: t.field({ type: [ScopeEnum], required: true }),
  }),
});

const localId = (id: string, typename: string): string => {
  try {
    const decoded = decodeGlobalID(id);
    if (decoded.typename === typename) return decoded.id;
  } catch {
    // fall through: treated as unknown
  }
  throw new NotFoundError(typename, id);
};

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: IssuedKeyRef,
    authScopes: { admin: true },
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const issued = await createApiKey(ctx.services.db, ctx.principal.tenantId, input.name, input.scopes);
      const tenant = (await getTenant(ctx.services.db, ctx.principal.tenantId))!;
      return { key: issued.key, apiKey: issued.row, tenant };
    },
  }),
  revokeApiKey: t.field({
    type: ApiKeyRef,
    authScopes: { admin: true },
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const row = await revokeApiKey(ctx.services.db, ctx.principal.tenantId, localId(id, 'ApiKey'));
      // Ends the key's open subscriptions and sockets, here and in the other processes.
      ctx.services.keyWatch.revoked(row.id);
      return row;
    },
  }),
  createTenant: t.field({
    type: IssuedKeyRef,
    authScopes: { operator: true },
    description: 'Operator only: a new tenant and its first admin key (shown once).',
    errors: { types: [ValidationError] },
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, { name }, ctx) => {
      const { tenant, admin } = await createTenant(ctx.services.db, name);
      return { key: admin.key, apiKey: admin.row, tenant };
    },
  }),
}));
