import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { apiKeys, tenants, type ApiKeyRow, type TenantRow } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { isUuid, newId } from '../ids.js';
import { SCOPES, type Scope } from '../vocabulary.js';
import { checkText } from '../validation/input.js';
import { generateApiKey, hashKey, hashMatches, keyPrefix } from './keys.js';

/** Who is calling: resolved from an API key on every request. */
export type Principal = {
  tenantId: string;
  tenantName: string;
  isOperator: boolean;
  keyId: string;
  scopes: Scope[];
};

export type IssuedKey = { key: string; row: ApiKeyRow };

function checkName(field: string, name: string): string {
  const trimmed = checkText(field, name).trim();
  if (trimmed.length === 0 || trimmed.length > 100) {
    throw new ValidationError(field, `${field} must be 1 to 100 characters`);
  }
  return trimmed;
}

function checkScopes(scopes: readonly string[]): Scope[] {
  if (scopes.length === 0) throw new ValidationError('scopes', 'at least one scope is required');
  for (const s of scopes) {
    if (!(SCOPES as readonly string[]).includes(s)) {
      throw new ValidationError('scopes', `unknown scope "${s}"; use ${SCOPES.join(', ')}`);
    }
  }
  return [...new Set(scopes)] as Scope[];
}

async function insertKey(db: Db, tenantId: string, name: string, scopes: Scope[], key: string): Promise<IssuedKey> {
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: newId(),
      tenantId,
      name,
      prefix: keyPrefix(key),
      secretHash: hashKey(key),
      scopes,
      createdAt: new Date(),
    })
    .returning();
  return { key, row: row! };
}

export async function createApiKey(
  db: Db,
  tenantId: string,
  name: string,
  scopes: readonly string[],
): Promise<IssuedKey> {
  return insertKey(db, tenantId, checkName('name', name), checkScopes(scopes), generateApiKey());
}

export function listApiKeys(db: Db, tenantId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(desc(apiKeys.createdAt));
}

/** Loads keys by id, only those of the tenant; unknown, foreign or malformed ids yield undefined. */
export async function getApiKeys(db: Db, tenantId: string, ids: readonly string[]): Promise<(ApiKeyRow | undefined)[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return ids.map(() => undefined);
  const rows = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), inArray(apiKeys.id, valid)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id.toLowerCase()));
}

export async function revokeApiKey(db: Db, tenantId: string, keyId: string): Promise<ApiKeyRow> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
    .returning();
  if (row) return row;
  const [existing] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId)));
  if (existing) return existing; // already revoked: revoking again changes nothing
  throw new NotFoundError('ApiKey', keyId);
}

export async function createTenant(
  db: Db,
  name: string,
  isOperator = false,
): Promise<{ tenant: TenantRow; admin: IssuedKey }> {
  const checked = checkName('name', name);
  return db.transaction(async (tx) => {
    const [tenant] = await tx
      .insert(tenants)
      .values({ id: newId(), name: checked, isOperator, createdAt: new Date() })
      .returning();
    const admin = await insertKey(tx as unknown as Db, tenant!.id, 'admin', [...SCOPES], generateApiKey());
    return { tenant: tenant!, admin };
  });
}

/** Every tenant of the installation, oldest first (the operator's first): an operator's list. */
export function listTenants(db: Db): Promise<TenantRow[]> {
  return db.select().from(tenants).orderBy(tenants.createdAt, tenants.id);
}

export async function getTenant(db: Db, tenantId: string): Promise<TenantRow | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  return row;
}

export type BootstrapResult = { created: false } | { created: true; key: string; tenant: TenantRow };

/**
 * First start on an empty database: create the operator tenant and its admin key. A key given
 * in the environment becomes that admin key (scripts and CI know it in advance).
 */
export async function bootstrap(db: Db, presetKey: string | undefined): Promise<BootstrapResult> {
  const [any] = await db.select({ id: tenants.id }).from(tenants).limit(1);
  if (!any) {
    const { tenant, admin } = await createTenant(db, 'default', true);
    if (!presetKey) return { created: true, key: admin.key, tenant };
    await db.delete(apiKeys).where(eq(apiKeys.id, admin.row.id));
    await insertKey(db, tenant.id, 'bootstrap', [...SCOPES], presetKey);
    return { created: true, key: presetKey, tenant };
  }
  if (presetKey) {
    // A preset key added to an existing installation joins the operator tenant once; if it
    // was revoked later it stays revoked.
    const [known] = await db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(eq(apiKeys.prefix, keyPrefix(presetKey)));
    const [operator] = await db.select().from(tenants).where(eq(tenants.isOperator, true)).limit(1);
    if (!known && operator) await insertKey(db, operator.id, 'bootstrap', [...SCOPES], presetKey);
  }
  return { created: false };
}

/** Resolves a presented key to its principal, or null for unknown and revoked keys. */
export async function authenticate(db: Db, key: string): Promise<Principal | null> {
  // Keys are printable ASCII; anything else (NUL in a WebSocket's connectionParams) is no key.
  if (!/^[\x21-\x7e]{24,200}$/.test(key)) return null;
  const rows = await db
    .select({ key: apiKeys, tenant: tenants })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(eq(apiKeys.prefix, keyPrefix(key)))
    .limit(1);
  const found = rows[0];
  if (!found || found.key.revokedAt || !hashMatches(key, found.key.secretHash)) return null;
  return {
    tenantId: found.tenant.id,
    tenantName: found.tenant.name,
    isOperator: found.tenant.isOperator,
    keyId: found.key.id,
    scopes: found.key.scopes as Scope[],
  };
}

export async function touchApiKey(db: Db, keyId: string, at: Date): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, keyId));
}
