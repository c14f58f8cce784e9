import { and, asc, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { callbackDeliveries, callbackSecrets, webhookEndpoints, type WebhookEndpointRow } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { MESSAGE_STATUSES, type MessageStatus } from '../messaging/model.js';
import { isUuid } from '../messaging/queries.js';
import { checkText } from '../validation/input.js';
import { generateSecret } from './signature.js';

// A tenant's callback endpoints, and the tenant secret that signs per-message callbacks.
// Secrets are returned once, when created; nothing else here ever reads them back.

/** An endpoint as shown to its tenant: everything but the secret. */
export type WebhookEndpoint = Omit<WebhookEndpointRow, 'secret'>;

export type EndpointInput = { url: string; events?: readonly string[] | null | undefined };
export type EndpointPatch = {
  url?: string | null | undefined;
  events?: readonly string[] | null | undefined;
  enabled?: boolean | null | undefined;
};

const { secret: _secret, ...shown } = getTableColumns(webhookEndpoints);

export function checkUrl(value: string, field = 'url'): string {
  const url = checkText(field, value).trim();
  if (url.length > 2048) throw new ValidationError(field, `${field} must be at most 2048 characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(field, `${field} must be an absolute http(s) URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ValidationError(field, `${field} must be an http or https URL`);
  }
  if (parsed.username || parsed.password) {
    throw new ValidationError(field, `${field} must not carry credentials; receivers authenticate Herald by the Herald-Signature header`);
  }
  return url;
}

function checkEvents(events: readonly string[], field = 'events'): MessageStatus[] {
  for (const e of events) {
    if (!(MESSAGE_STATUSES as readonly string[]).includes(e)) {
      throw new ValidationError(field, `unknown status "${e}"; use ${MESSAGE_STATUSES.join(', ')}`);
    }
  }
  return [...new Set(events)] as MessageStatus[];
}

export async function createEndpoint(
  db: Db,
  tenantId: string,
  input: EndpointInput,
  now: Date,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const url = checkUrl(input.url);
  const events = checkEvents(input.events ?? []);
  const secret = generateSecret();
  const [endpoint] = await carryingSecret(() =>
    db
      .insert(webhookEndpoints)
      .values({
        id: newId(now.getTime()),
        tenantId,
        url,
        events,
        secret,
        enabled: true,
        createdAt: now,
        updatedAt: now,
      })
      .returning(shown),
  );
  return { endpoint: endpoint!, secret };
}

/**
 * Changes apply to events from now on, and to retries still pending: they go to the new URL,
 * signed with the endpoint's secret. Disabling an endpoint gives up its pending deliveries.
 */
export async function updateEndpoint(db: Db, tenantId: string, id: string, patch: EndpointPatch, now: Date): Promise<WebhookEndpoint> {
  const url = patch.url != null ? checkUrl(patch.url) : undefined;
  const events = patch.events != null ? checkEvents(patch.events) : undefined;
  const enabled = patch.enabled ?? undefined;
  if (!isUuid(id)) throw new NotFoundError('WebhookEndpoint', id);
  return db.transaction(async (tx) => {
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ url, events, enabled, updatedAt: now })
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, tenantId)))
      .returning(shown);
    if (!endpoint) throw new NotFoundError('WebhookEndpoint', id);
    const pending = and(eq(callbackDeliveries.endpointId, id), eq(callbackDeliveries.status, 'pending'));
    if (enabled === false) {
      await tx
        .update(callbackDeliveries)
        .set({ status: 'failed', nextAttemptAt: null, lastError: 'the endpoint was disabled' })
        .where(pending);
    } else if (url !== undefined) {
      await tx.update(callbackDeliveries).set({ url }).where(pending);
    }
    return endpoint;
  });
}

/** Deletes the endpoint with its deliveries and their attempts. */
export async function deleteEndpoint(db: Db, tenantId: string, id: string): Promise<WebhookEndpoint> {
  if (!isUuid(id)) throw new NotFoundError('WebhookEndpoint', id);
  const [endpoint] = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, tenantId)))
    .returning(shown);
  if (!endpoint) throw new NotFoundError('WebhookEndpoint', id);
  return endpoint;
}

/** Oldest first. */
export function listEndpoints(db: Db, tenantId: string): Promise<WebhookEndpoint[]> {
  return db
    .select(shown)
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.tenantId, tenantId))
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
}

/** Loads endpoints by id, only the tenant's; unknown or foreign ids yield undefined. */
export async function getEndpoints(db: Db, tenantId: string, ids: readonly string[]): Promise<(WebhookEndpoint | undefined)[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return ids.map(() => undefined);
  const rows = await db
    .select(shown)
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), inArray(webhookEndpoints.id, valid)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id.toLowerCase()));
}

/**
 * A new secret for the callbacks sent to messages' own callbackUrl, returned this once. It
 * replaces the previous one at once, retries included.
 */
export async function rotateCallbackSecret(db: Db, tenantId: string, now: Date): Promise<{ secret: string; createdAt: Date }> {
  const secret = generateSecret();
  await carryingSecret(() =>
    db
      .insert(callbackSecrets)
      .values({ tenantId, secret, createdAt: now })
      .onConflictDoUpdate({ target: callbackSecrets.tenantId, set: { secret, createdAt: now } }),
  );
  return { secret, createdAt: now };
}

/**
 * The per-message callback secrets of these tenants, created for those that have none yet (a
 * tenant's first callbackUrl), so every callback is signed. The dispatcher's only use.
 */
export async function tenantCallbackSecrets(db: Db, tenantIds: string[], now: Date): Promise<Map<string, string>> {
  await carryingSecret(() =>
    db
      .insert(callbackSecrets)
      .values(tenantIds.map((tenantId) => ({ tenantId, secret: generateSecret(), createdAt: now })))
      .onConflictDoNothing(),
  );
  const rows = await db
    .select({ tenantId: callbackSecrets.tenantId, secret: callbackSecrets.secret })
    .from(callbackSecrets)
    .where(inArray(callbackSecrets.tenantId, tenantIds));
  return new Map(rows.map((r) => [r.tenantId, r.secret]));
}

/**
 * Runs a statement whose parameters include a secret. Drizzle puts the parameters of a failed
 * query in its error, which would reach the log; the error is replaced by one without them.
 */
async function carryingSecret<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    throw new Error(`could not store a signing secret: ${cause instanceof Error ? cause.message : 'database error'}`);
  }
}
