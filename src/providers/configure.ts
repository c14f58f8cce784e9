import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/client.js';
import { providerConfigs, routingRules, type ProviderConfigRow, type RoutingRuleRow } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import type { Channel } from '../vocabulary.js';
import { checkOutboundHost, checkOutboundUrl, type OutboundGuard } from '../net/outbound.js';
import { checkJson, ownEntry } from '../validation/input.js';
import { PROVIDER_KINDS } from './kinds.js';
import type { ProviderRegistry } from './registry.js';
import type { SecretBox } from './secrets.js';

// Tenants configure their own providers and routes through the API. Settings are stored in
// clear, secrets sealed (secrets.ts) and never returned.

export type ProviderInput = { name: string; kind: string; settings?: unknown; secrets?: unknown };

const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

function parseOrFail(schema: z.ZodType, value: unknown, prefix: string): unknown {
  const result = schema.safeParse(checkJson(prefix, value ?? {}));
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].join('.');
  // Never echo a secret's value back: zod messages describe, they do not quote input.
  throw new ValidationError(field, `${field}: ${issue.message}`);
}

export async function configureProvider(
  db: Db,
  box: SecretBox,
  outbound: OutboundGuard,
  tenantId: string,
  input: ProviderInput,
  now: Date,
): Promise<ProviderConfigRow> {
  if (!NAME.test(input.name)) throw new ValidationError('name', 'name is 1 to 40 lower-case letters, digits, - or _');
  // Own entries only: "constructor" or "toString" are not provider kinds.
  const kind = ownEntry(PROVIDER_KINDS, input.kind);
  if (!kind) throw new ValidationError('kind', `kind must be one of ${Object.keys(PROVIDER_KINDS).join(', ')}`);
  const settings = parseOrFail(kind.settings, input.settings, 'settings') as Record<string, unknown>;
  // Where the provider connects is tenant input too: the same guard as callbacks and media URLs.
  for (const [key, type] of Object.entries(kind.targets ?? {})) {
    const value = settings[key];
    if (typeof value !== 'string') continue;
    if (type === 'url') await checkOutboundUrl(outbound, value, `settings.${key}`);
    else await checkOutboundHost(outbound, value, `settings.${key}`);
  }
  const [existing] = await db
    .select()
    .from(providerConfigs)
    .where(and(eq(providerConfigs.tenantId, tenantId), eq(providerConfigs.name, input.name)));
  if (existing && existing.kind !== input.kind) {
    throw new ValidationError(
      'kind',
      `provider "${input.name}" is a ${existing.kind}; delete it or choose another name`,
    );
  }
  // Omitted secrets on an update keep the stored ones.
  const secrets =
    input.secrets === undefined || input.secrets === null
      ? existing?.secretsEncrypted
        ? box.open(existing.secretsEncrypted)
        : {}
      : input.secrets;
  const sealed = box.seal(parseOrFail(kind.secrets, secrets, 'secrets'));
  const [row] = await db
    .insert(providerConfigs)
    .values({
      id: newId(),
      tenantId,
      name: input.name,
      kind: input.kind,
      settings,
      secretsEncrypted: sealed,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [providerConfigs.tenantId, providerConfigs.name],
      set: { settings, secretsEncrypted: sealed, enabled: true, updatedAt: now },
    })
    .returning();
  return row!;
}

export function listProviderConfigs(db: Db, tenantId: string): Promise<ProviderConfigRow[]> {
  return db
    .select()
    .from(providerConfigs)
    .where(eq(providerConfigs.tenantId, tenantId))
    .orderBy(asc(providerConfigs.name));
}

export async function setProviderEnabled(
  db: Db,
  tenantId: string,
  name: string,
  enabled: boolean,
  now: Date,
): Promise<ProviderConfigRow> {
  // No provider can have another name (a NUL would not even reach the database).
  if (!NAME.test(name)) throw new NotFoundError('Provider', name.replace(/[^\x20-\x7e]/g, '?').slice(0, 40));
  const [row] = await db
    .update(providerConfigs)
    .set({ enabled, updatedAt: now })
    .where(and(eq(providerConfigs.tenantId, tenantId), eq(providerConfigs.name, name)))
    .returning();
  if (!row) throw new NotFoundError('Provider', name);
  return row;
}

/** One of the tenant's providers by name, or NotFoundError. */
export async function getProviderConfig(db: Db, tenantId: string, name: string): Promise<ProviderConfigRow> {
  if (!NAME.test(name)) throw new NotFoundError('Provider', name.replace(/[^\x20-\x7e]/g, '?').slice(0, 40));
  const [row] = await db
    .select()
    .from(providerConfigs)
    .where(and(eq(providerConfigs.tenantId, tenantId), eq(providerConfigs.name, name)));
  if (!row) throw new NotFoundError('Provider', name);
  return row;
}

export type RouteInput = {
  channel: Channel;
  provider: string;
  fallbackProvider?: string | null;
  fallbackChannel?: Channel | null;
};

/** Sets the tenant's route for a channel; every named provider must exist and carry the channel. */
export async function setRoute(
  db: Db,
  registry: ProviderRegistry,
  tenantId: string,
  input: RouteInput,
  now: Date,
): Promise<RoutingRuleRow> {
  const configs = await listProviderConfigs(db, tenantId);
  const check = (field: string, name: string, channel: Channel) => {
    const config = configs.find((c) => c.name === name);
    const channels = config ? PROVIDER_KINDS[config.kind]!.channels : registry.get(name)?.capabilities.channels;
    if (!channels) throw new ValidationError(field, `${field}: no provider named "${name}"; configure it first`);
    if (!channels.includes(channel))
      throw new ValidationError(field, `${field}: provider "${name}" cannot send ${channel}`);
  };
  check('provider', input.provider, input.channel);
  if (input.fallbackProvider) check('fallbackProvider', input.fallbackProvider, input.channel);
  if (input.fallbackProvider && input.fallbackChannel) {
    throw new ValidationError('fallbackChannel', 'choose a fallback provider or a fallback channel, not both');
  }
  if (input.fallbackChannel === input.channel)
    throw new ValidationError('fallbackChannel', 'fallbackChannel must differ from channel');
  if (input.fallbackChannel && !(input.channel === 'WHATSAPP' && input.fallbackChannel === 'SMS')) {
    throw new ValidationError(
      'fallbackChannel',
      'channel fallback is available from WHATSAPP to SMS (the template rendered as text)',
    );
  }
  const values = {
    provider: input.provider,
    fallbackProvider: input.fallbackProvider ?? null,
    fallbackChannel: input.fallbackChannel ?? null,
    updatedAt: now,
  };
  const [row] = await db
    .insert(routingRules)
    .values({ tenantId, channel: input.channel, ...values })
    .onConflictDoUpdate({ target: [routingRules.tenantId, routingRules.channel], set: values })
    .returning();
  return row!;
}

export function listRoutes(db: Db, tenantId: string): Promise<RoutingRuleRow[]> {
  return db.select().from(routingRules).where(eq(routingRules.tenantId, tenantId)).orderBy(asc(routingRules.channel));
}
