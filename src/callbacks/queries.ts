import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  webhookEndpoints,
  callbackAttempts,
  callbackDeliveries,
  type CallbackAttemptRow,
  type CallbackDeliveryRow,
  type CALLBACK_DELIVERY_STATUSES,
} from '../db/schema.js';
import { ValidationError } from '../errors.js';

// What was sent where, and how each attempt went: per message and per endpoint, tenant-scoped.

export type CallbackDeliveryStatus = (typeof CALLBACK_DELIVERY_STATUSES)[number];

const MAX_DELIVERIES = 100;

/** Each message's deliveries, in event order. */
export async function deliveriesForMessages(
  db: Db,
  tenantId: string,
  messageIds: readonly string[],
): Promise<CallbackDeliveryRow[][]> {
  const rows = await db
    .select()
    .from(callbackDeliveries)
    .where(and(eq(callbackDeliveries.tenantId, tenantId), inArray(callbackDeliveries.messageId, [...messageIds])))
    .orderBy(asc(callbackDeliveries.messageId), asc(callbackDeliveries.id));
  const groups = new Map<string, CallbackDeliveryRow[]>(messageIds.map((id) => [id, []]));
  for (const r of rows) if (r.messageId) groups.get(r.messageId)?.push(r);
  return messageIds.map((id) => groups.get(id) ?? []);
}

export type EndpointDeliveriesOptions = {
  first?: number | null | undefined;
  status?: CallbackDeliveryStatus | null | undefined;
};

/**
 * Each endpoint's most recent deliveries, newest first, in one statement for all of them: a
 * page of endpoints (or a nested selection under every delivery) costs one query, not one per
 * endpoint. Endpoints of other tenants have none.
 */
export async function deliveriesForEndpoints(
  db: Db,
  tenantId: string,
  endpointIds: readonly string[],
  opts: EndpointDeliveriesOptions,
): Promise<CallbackDeliveryRow[][]> {
  const first = opts.first ?? 20;
  if (!Number.isInteger(first) || first < 0 || first > MAX_DELIVERIES) {
    throw new ValidationError('first', `first must be between 0 and ${MAX_DELIVERIES}`);
  }
  const groups = new Map<string, CallbackDeliveryRow[]>(endpointIds.map((id) => [id, []]));
  if (first > 0 && endpointIds.length > 0) {
    const endpoints = db
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.tenantId, tenantId), inArray(webhookEndpoints.id, [...new Set(endpointIds)])))
      .as('e');
    // Per endpoint, the newest `first` rows through (endpoint_id, id): bounded by the page, not the history.
    const recent = db
      .select()
      .from(callbackDeliveries)
      .where(
        and(
          eq(callbackDeliveries.tenantId, tenantId),
          eq(callbackDeliveries.endpointId, endpoints.id),
          opts.status ? eq(callbackDeliveries.status, opts.status) : undefined,
        ),
      )
      .orderBy(desc(callbackDeliveries.id))
      .limit(first)
      .as('d');
    const rows = await db.select().from(endpoints).crossJoinLateral(recent);
    for (const { e, d } of rows) groups.get(e.id)?.push(d);
    for (const list of groups.values()) list.sort((a, b) => b.id - a.id);
  }
  return endpointIds.map((id) => groups.get(id) ?? []);
}

/** Each delivery's attempts, oldest first; deliveries of other tenants have none. */
export async function attemptsForDeliveries(
  db: Db,
  tenantId: string,
  deliveryIds: readonly number[],
): Promise<CallbackAttemptRow[][]> {
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
