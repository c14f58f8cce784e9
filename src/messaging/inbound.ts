import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { inboundMessages, messages, tenants, type InboundMessageRow } from '../db/schema.js';
import { newId } from '../ids.js';
import type { InboundUserMessage } from '../providers/provider.js';

/**
 * Records what users sent to Herald's numbers, once each (providers redeliver). Each is
 * attributed to the tenant of the message it answered, else of the last message sent to that
 * person through the same provider, else to the operator tenant.
 */
export async function recordInbound(db: Db, received: InboundUserMessage[], now: Date): Promise<number> {
  if (received.length === 0) return 0;
  const rows = [];
  for (const m of received) {
    const replied = m.inReplyTo
      ? (
          await db
            .select({ id: messages.id, tenantId: messages.tenantId })
            .from(messages)
            .where(and(eq(messages.provider, m.provider), eq(messages.providerMessageId, m.inReplyTo)))
            .limit(1)
        )[0]
      : undefined;
    const lastSent = replied
      ? undefined
      : (
          await db
            .select({ tenantId: messages.tenantId })
            .from(messages)
            .where(and(eq(messages.provider, m.provider), eq(messages.recipient, m.from)))
            .orderBy(desc(messages.createdAt))
            .limit(1)
        )[0];
    const tenantId =
      replied?.tenantId ??
      lastSent?.tenantId ??
      (await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.isOperator, true)).limit(1))[0]?.id;
    if (!tenantId) continue;
    rows.push({
      id: newId(),
      tenantId,
      provider: m.provider,
      providerMessageId: m.providerMessageId,
      sender: m.from,
      recipient: m.to ?? null,
      kind: m.kind,
      text: m.text ?? null,
      payload: m.payload ?? null,
      inReplyToMessageId: replied?.id ?? null,
      dedupeKey: m.dedupeKey,
      occurredAt: m.occurredAt,
      receivedAt: now,
    });
  }
  if (rows.length === 0) return 0;
  const inserted = await db
    .insert(inboundMessages)
    .values(rows)
    .onConflictDoNothing({ target: inboundMessages.dedupeKey })
    .returning({ id: inboundMessages.id });
  return inserted.length;
}

/** The tenant's inbound messages, newest first. */
export function listInbound(db: Db, tenantId: string, limit: number): Promise<InboundMessageRow[]> {
  return db
    .select()
    .from(inboundMessages)
    .where(eq(inboundMessages.tenantId, tenantId))
    .orderBy(desc(inboundMessages.receivedAt), desc(inboundMessages.id))
    .limit(limit);
}
