import { and, asc, eq, getTableColumns, inArray, like } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { callbackDeliveries, callbackSecrets, webhookEndpoints, type WebhookEndpointRow } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { MESSAGE_STATUSES, type MessageStatus } from '../vocabulary.js';
import { isUuid } from '../ids.js';
import { destinationRefused, parseOutboundUrl, type OutboundGuard } from '../net/outbound.js';
import type { SecretBox } from '../providers/secrets.js';
import { generateSecret } from './signature.js';

// A tenant's callback endpoints, and the tenant secret that signs per-message callbacks.
// Secrets are returned once, when created; nothing else here ever reads them back. They are
// stored sealed (AES-256-GCM, the key that seals provider secrets): a copy of the database
// does not let anyone forge Herald's callbacks. Only the dispatcher opens them, to sign.

/** An endpoint as shown to its tenant: everything but the secret. */
export type WebhookEndpoint = Omit<WebhookEndpointRow, 'secret'>;

export type EndpointInput = {
  url: string;
  events?: readonly string[] | null | undefined;
  /** Also POST template status and quality changes (templates/lifecycle.ts); default false. */
  templateEvents?: boolean | null | undefined;
};
export type EndpointPatch = {
  url?: string | null | undefined;
  events?: readonly string[] | null | undefined;
  templateEvents?: boolean | null | undefined;
  enabled?: boolean | null | undefined;
};

const { secret: _secret, ...shown } = getTableColumns(webhookEndpoints);

/** An endpoint URL: http(s), no credentials, and a destination the outbound guard allows. */
export async function checkUrl(outbound: OutboundGuard, value: string, field = 'url'): Promise<string> {
  const parsed = parseOutboundUrl(value, field);
  if (parsed.username || parsed.password) {
    throw new ValidationError(
      field,
      `${field} must not carry credentials; receivers authenticate Herald by the Herald-Signature header`,
    );
  }
  const why = await outbound.refusal(parsed.hostname);
  if (why) throw destinationRefused(field, why);
  return value.trim();
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
  outbound: OutboundGuard,
  box: SecretBox,
  tenantId: string,
  input: EndpointInput,
  now: Date,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const url = await checkUrl(outbound, input.url);
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
        templateEvents: input.templateEvents ?? false,
        secret: box.seal(secret),
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
export async function updateEndpoint(
  db: Db,
  outbound: OutboundGuard,
  tenantId: string,
  id: string,
  patch: EndpointPatch,
  now: Date,
): Promise<WebhookEndpoint> {
  const url = patch.url != null ? await checkUrl(outbound, patch.url) : undefined;
  const events = patch.events != null ? checkEvents(patch.events) : undefined;
  const enabled = patch.enabled ?? undefined;
  const templateEvents = patch.templateEvents ?? undefined;
  if (!isUuid(id)) throw new NotFoundError('WebhookEndpoint', id);
  return db.transaction(async (tx) => {
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ url, events, enabled, templateEvents, updatedAt: now })
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
export async function getEndpoints(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<(WebhookEndpoint | undefined)[]> {
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
export async function rotateCallbackSecret(
  db: Db,
  box: SecretBox,
  tenantId: string,
  now: Date,
): Promise<{ secret: string; createdAt: Date }> {
  const secret = generateSecret();
  const sealed = box.seal(secret);
  await carryingSecret(() =>
    db
      .insert(callbackSecrets)
      .values({ tenantId, secret: sealed, createdAt: now })
      .onConflictDoUpdate({ target: callbackSecrets.tenantId, set: { secret: sealed, createdAt: now } }),
  );
  return { secret, createdAt: now };
}

/**
 * The per-message callback secrets of these tenants (sealed, as stored), created for those that
 * have none yet (a tenant's first callbackUrl), so every callback is signed. The dispatcher's
 * only use.
 */
export async function tenantCallbackSecrets(
  db: Db,
  box: SecretBox,
  tenantIds: string[],
  now: Date,
): Promise<Map<string, string>> {
  await carryingSecret(() =>
    db
      .insert(callbackSecrets)
      .values(tenantIds.map((tenantId) => ({ tenantId, secret: box.seal(generateSecret()), createdAt: now })))
      .onConflictDoNothing(),
  );
  const rows = await db
    .select({ tenantId: callbackSecrets.tenantId, secret: callbackSecrets.secret })
    .from(callbackSecrets)
    .where(inArray(callbackSecrets.tenantId, tenantIds));
  return new Map(rows.map((r) => [r.tenantId, r.secret]));
}

/** Stored secrets written before sealing start with the generator's prefix; sealed ones never do. */
const PLAINTEXT_PREFIX = 'whsec_';

/** The signing secret from its stored form. */
export function openSecret(box: SecretBox, stored: string): string {
  if (stored.startsWith(PLAINTEXT_PREFIX)) return stored; // written by a Herald that did not seal yet
  const secret = box.open(stored);
  if (typeof secret !== 'string') throw new Error('a sealed signing secret is not a string');
  return secret;
}

/**
 * Seals the signing secrets stored in plaintext by earlier versions (run at start: SQL cannot
 * encrypt with Herald's key). Idempotent; each row is updated only if it is still the
 * plaintext read, so two processes starting together cannot seal a row twice.
 */
export async function sealStoredSecrets(db: Db, box: SecretBox): Promise<number> {
  let sealed = 0;
  for (const { table, key } of [
    { table: webhookEndpoints, key: webhookEndpoints.id },
    { table: callbackSecrets, key: callbackSecrets.tenantId },
  ]) {
    const plaintext = await db
      .select({ key, secret: table.secret })
      .from(table)
      .where(like(table.secret, `${PLAINTEXT_PREFIX}%`));
    for (const row of plaintext) {
      const done = await carryingSecret(() =>
        db
          .update(table)
          .set({ secret: box.seal(row.secret) })
          .where(and(eq(key, row.key), eq(table.secret, row.secret)))
          .returning({ key }),
      );
      sealed += done.length;
    }
  }
  return sealed;
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
