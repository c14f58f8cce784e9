import { and, asc, eq, getTableColumns, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { messages, type MessageRow } from '../db/schema.js';
import { appendStatusEvents, statusChange, type StatusChange } from '../messaging/status-updates.js';
import type { MessageStatus } from '../vocabulary.js';

/**
 * Claiming: the messages table is the queue. One transaction takes up to `batchSize` due
 * messages (QUEUED or SCHEDULED, next_attempt_at reached, oldest first) with FOR UPDATE SKIP
 * LOCKED, so parallel pipelines and processes never take the same row and never wait on each
 * other. Each becomes SENDING under a lease (locked_by = this worker, locked_until = now +
 * leaseMs) with its attempt counted, or EXPIRED at once when its validUntil has passed; the
 * status events (and their callbacks) commit with the claim.
 *
 * The lease is what fences the send: only the claim holding this exact (locked_by,
 * locked_until) may record the outcome (record-outcomes.ts), and once locked_until passes,
 * recover-expired-leases.ts queues the message again for anyone.
 *
 * Crash before commit: nothing happened; the rows are unlocked and still due. Crash after
 * commit (before or during the send): the messages sit in SENDING until their lease expires,
 * then go back to the queue and are sent again. Delivery towards providers is therefore
 * at-least-once, which is why Herald's id travels with every send for providers that
 * deduplicate on it. Status only moves forward: QUEUED/SCHEDULED to SENDING or EXPIRED here.
 */

const EXPIRED_MESSAGE = 'validUntil passed before the message could be sent';

export type ClaimOptions = { now: Date; leaseMs: number; batchSize: number; workerId: string };

/** Claims due messages: SENDING under this worker's lease (returned), or EXPIRED when validUntil has passed. */
export async function claimMessages(
  db: Db,
  { now, leaseMs, batchSize, workerId }: ClaimOptions,
): Promise<{ rows: MessageRow[]; changes: StatusChange[] }> {
  const lockedUntil = new Date(now.getTime() + leaseMs);
  return db.transaction(async (tx) => {
    const due = tx.$with('due').as(
      tx
        .select({ id: messages.id, previous: sql<MessageStatus>`${messages.status}`.as('previous') })
        .from(messages)
        .where(and(inArray(messages.status, ['QUEUED', 'SCHEDULED']), lte(messages.nextAttemptAt, now)))
        .orderBy(asc(messages.nextAttemptAt))
        .limit(batchSize)
        .for('update', { skipLocked: true }),
    );
    const expired = sql`(${messages.validUntil} is not null and ${messages.validUntil} <= ${now.toISOString()}::timestamptz)`;
    const claimed = await tx
      .with(due)
      .update(messages)
      .set({
        status: sql`case when ${expired} then 'EXPIRED'::message_status else 'SENDING'::message_status end`,
        statusAt: now,
        attempts: sql`case when ${expired} then ${messages.attempts} else ${messages.attempts} + 1 end`,
        lockedUntil: sql`case when ${expired} then null else ${lockedUntil.toISOString()}::timestamptz end`,
        lockedBy: sql`case when ${expired} then null else ${workerId} end`,
        lastErrorCode: sql`case when ${expired} then 'EXPIRED' else ${messages.lastErrorCode} end`,
        lastErrorMessage: sql`case when ${expired} then ${EXPIRED_MESSAGE} else ${messages.lastErrorMessage} end`,
        updatedAt: now,
      })
      .from(due)
      .where(eq(messages.id, due.id))
      .returning({ ...getTableColumns(messages), previous: due.previous });
    const byId = new Map(claimed.map((m) => [m.id, m]));
    const changes = claimed.map((m) =>
      statusChange(m, {
        status: m.status,
        previousStatus: m.previous,
        errorCode: m.status === 'EXPIRED' ? 'EXPIRED' : null,
        errorMessage: m.status === 'EXPIRED' ? EXPIRED_MESSAGE : null,
        occurredAt: now,
      }),
    );
    await appendStatusEvents(tx, changes, now, (c) => ({
      attempt: byId.get(c.messageId)?.attempts,
      worker: workerId,
    }));
    return { rows: claimed.filter((m) => m.status === 'SENDING').map(({ previous: _, ...row }) => row), changes };
  });
}
