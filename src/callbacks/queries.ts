import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  callbackAttempts,
  callbackDeliveries,
  type CallbackAttemptRow,
  type CallbackDeliveryRow,
  CALLBACK_DELIVERY_STATUSES,
} from '../db/schema.js';
import { ValidationError } from '../errors.js';

// What was sent where, and how each attempt went: per message and per endpoint, tenant-scoped.

export type CallbackDeliveryStatus = (typeof CALLBACK_DELIVERY_STATUSES)[number];

const MAX_DELIVERIES = 100;

/** Each message's deliveries, in event order. */
export async function deliveriesForMessages(db: Db, tenantId: string, messageIds: readonly string[]): Promise<CallbackDeliveryRow[][]> {
  const rows = await db
    .select()
    .from(callbackDeliveries)
    .where(and(eq(callbackDeliveries.tenantId, tenantId), inArray(callbackDeliveries.messageId, [...messageIds])))
    .orderBy(asc(callbackDeliveries.messageId), asc(callbackDeliveries.id));
  const groups = new Map<string, CallbackDeliveryRow[]>(messageIds.map((id) => [id, []]));
  for (const r of rows) groups.get(r.messageId)?.push(r);
  return messageIds.map((id) => groups.get(id) ?? []);
}

/** An endpoint's most recent deliveries, newest first. */
export function deliveriesForEndpoint(
  db: Db,
  tenantId: string,
  endpointId: string,
  opts: { first?: number | null | undefined; status?: CallbackDeliveryStatus | null | undefined },
): Promise<CallbackDeliveryRow[]> {
  const first = opts.first ?? 20;
  if (!Number.isInteger(first) || first < 0 || first > MAX_DELIVERIES) {
    throw new ValidationError('first', `first must be between 0 and ${MAX_DELIVERIES}`);
  }
  return db
    .select()
    .from(callbackDeliveries)
    .where(
      and(
        eq(callbackDeliveries.tenantId, tenantId),
        eq(callbackDeliveries.endpointId, endpointId),
        opts.status ? eq(callbackDeliveries.status, opts.status) : undefined,
      ),
    )
    .orderBy(desc(callbackDeliveries.id))
    .limit(first);
}

/** Each delivery's attempts, oldest first; deliveries of other tenants have none. */
export async function attemptsForDeliveries(db: Db, tenantId: string, deliveryIds: readonly number[]): Promise<CallbackAttemptRow[][]> {
  const rows = await db
    .select({
      deliveryId: callbackAttempts.deliveryId,
      attempt: callbackAttempts.attempt,
      url: callbackAttempts.url,
      statusCode: callbackAttempts.statusCode,
      latencyMs: callbackAttempts.latencyMs,
      error: callbackAttempts.error,
      at: callbackAttempts.at,
    })
    .from(callbackAttempts)
    .innerJoin(callbackDeliveries, eq(callbackDeliveries.id, callbackAttempts.deliveryId))
    .where(and(eq(callbackDeliveries.tenantId, tenantId), inArray(callbackAttempts.deliveryId, [...deliveryIds])))
    .orderBy(asc(callbackAttempts.deliveryId), asc(callbackAttempts.attempt));
  const groups = new Map<number, CallbackAttemptRow[]>(deliveryIds.map((id) => [id, []]));
  for (const r of rows) groups.get(r.deliveryId)?.push(r);
  return deliveryIds.map((id) => groups.get(id) ?? []);
}
