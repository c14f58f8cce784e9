import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { inboundMessages, messages, tenants, type InboundMessageRow } from '../db/schema.js';
import { newId } from '../ids.js';
import type { InboundUserMessage } from '../providers/provider.js';
import { keywordAction } from './opt-out-keywords.js';
import { suppress, unsuppress } from './suppressions.js';

/**
 * Records what users sent to Herald's numbers, once each (providers redeliver). Each is
 * attributed to the tenant of the message it answered, else of the last message sent to that
 * person through the same provider, else to the operator tenant.
 *
 * A reply that is only an opt-out keyword (STOP, UNSUBSCRIBE, the tenant's own words) puts the
 * sender on that tenant's suppression list for the channel, an opt-in keyword (START, UNSTOP...)
 * takes them off, in the same transaction as the record; so does a provider's notice that the
 * person stopped or resumed marketing messages in its own settings (WhatsApp). Only a first
 * delivery acts: a STOP redelivered after a START must not opt the person out again.
 */
export async function recordInbound(db: Db, received: InboundUserMessage[], now: Date): Promise<number> {
  if (received.length === 0) return 0;
  const rows: InboundMessageRow[] = [];
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
  const keywords = await db
    .select({ id: tenants.id, optOutKeywords: tenants.optOutKeywords, optInKeywords: tenants.optInKeywords })
    .from(tenants)
    .where(inArray(tenants.id, [...new Set(rows.map((r) => r.tenantId))]));
  const tenantOf = new Map(keywords.map((k) => [k.id, k]));
  const receivedOf = new Map(received.map((m) => [m.dedupeKey, m]));
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(inboundMessages)
      .values(rows)
      .onConflictDoNothing({ target: inboundMessages.dedupeKey })
      .returning({ dedupeKey: inboundMessages.dedupeKey });
    const fresh = new Set(inserted.map((r) => r.dedupeKey));
    // In the order the person sent them: STOP then START ends subscribed.
    const replies = rows.filter((r) => fresh.has(r.dedupeKey)).sort((a, b) => +a.occurredAt - +b.occurredAt);
    for (const r of replies) {
      const { channel, marketingOptOut } = receivedOf.get(r.dedupeKey)!;
      const entry = { tenantId: r.tenantId, channel, recipient: r.sender };
      if (marketingOptOut === 'stop') {
        const reason = `${r.provider}: the user stopped marketing messages`;
        await suppress(tx, [{ ...entry, reason, source: 'PROVIDER' }], now);
        continue;
      }
      if (marketingOptOut === 'resume') {
        await unsuppress(tx, r.tenantId, channel, [r.sender]);
        continue;
      }
      const tenant = tenantOf.get(r.tenantId);
      const keyword = tenant && keywordAction(r.text ?? undefined, tenant);
      if (keyword?.action === 'opt-out')
        await suppress(tx, [{ ...entry, reason: `${keyword.keyword} reply`, source: 'INBOUND' }], now);
      else if (keyword?.action === 'opt-in') await unsuppress(tx, r.tenantId, channel, [r.sender]);
    }
    return inserted.length;
  });
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
