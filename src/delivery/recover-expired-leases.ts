import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { messages } from '../db/schema.js';
import { appendStatusEvents, statusChange, type StatusChange } from '../messaging/status-updates.js';

/**
 * Lease recovery: a message still SENDING after its lease ended belongs to a worker that
 * vanished (crashed, killed, cut off from the database) or is too late to record anything
 * (record-outcomes.ts fences on the lease). Up to 1,000 of them at a time, skipping rows
 * another recovery holds, go back to QUEUED with their place in the queue kept
 * (next_attempt_at unchanged) and a LEASE_EXPIRED event; the next claim sends them again.
 *
 * The attempt their claim counted stays counted: a send that may have reached the provider
 * uses up its share of the retry budget. This is the at-least-once half of delivery: the
 * provider may get the message twice, never zero times. SENDING to QUEUED is the step a
 * retryable failure takes too; only rows still SENDING are touched, so a message that reached
 * a later status is never moved back.
 *
 * Crash before commit: nothing changed; the next run (any process) recovers the same rows.
 */

const LEASE_EXPIRED_MESSAGE = 'the worker sending this message stopped; queued again';

/** Messages whose worker vanished (lease expired) go back to the queue. */
export function recoverExpiredLeases(db: Db, now: Date): Promise<StatusChange[]> {
  return db.transaction(async (tx) => {
    const stale = await tx
      .update(messages)
      // next_attempt_at is left as it was: recovered messages keep their place at the front.
      .set({ status: 'QUEUED', statusAt: now, lockedUntil: null, lockedBy: null, updatedAt: now })
      .where(
        inArray(
          messages.id,
          tx
            .select({ id: messages.id })
            .from(messages)
            .where(and(eq(messages.status, 'SENDING'), lt(messages.lockedUntil, now)))
            .limit(1000)
            .for('update', { skipLocked: true }),
        ),
      )
      .returning();
    const changes = stale.map((m) =>
      statusChange(m, {
        status: 'QUEUED',
        previousStatus: 'SENDING',
        errorCode: 'LEASE_EXPIRED',
        errorMessage: LEASE_EXPIRED_MESSAGE,
        occurredAt: now,
      }),
    );
    await appendStatusEvents(tx, changes, now, () => ({}));
    return changes;
  });
}
