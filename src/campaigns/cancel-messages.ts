import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { messages } from '../db/schema.js';
import { nextStatus } from '../messaging/status-machine.js';
import { changedMessageColumns, recordChanges, statusChange, type StatusChange } from '../messaging/status-updates.js';
import { MESSAGE_STATUSES } from '../vocabulary.js';

// Canceling a campaign's messages not yet handed to a provider, a chunk per call, the way
// cancelMessage cancels one: the status machine's operator rule decides which statuses may be
// canceled, and recordChanges writes each change's status event and customer callbacks with the
// new status, in the caller's transaction. Set-based: one select, one event insert, one update
// per chunk, whatever the chunk's size.

/** What an operator may cancel (SCHEDULED and QUEUED), as the status machine says. */
const CANCELABLE = MESSAGE_STATUSES.filter((s) => nextStatus(s, 'CANCELED', 'operator') === 'CANCELED');
const CANCELABLE_SQL = sql.raw(CANCELABLE.map((s) => `'${s}'`).join(', '));

/** Messages per chunk: the status events' insert stays far below PostgreSQL's 65,535 parameters. */
export const CANCEL_CHUNK = 1000;

/**
 * `pending`: released but not claimed, and retries waiting (next_attempt_at set: these could be
 * claimed any moment). `held`: never released (the campaign's bulk).
 */
export type Portion = 'pending' | 'held';

/**
 * Cancels up to CANCEL_CHUNK messages of the campaign. `skipLocked`: leave rows other
 * transactions hold (a background sweep); without it, wait for them: a claim holding one
 * commits it as SENDING, and it is then no longer cancelable (the caller must see it go).
 */
export async function cancelChunk(
  tx: Tx,
  campaignId: string,
  portion: Portion,
  now: Date,
  { skipLocked }: { skipLocked: boolean },
): Promise<StatusChange[]> {
  // Predicates as literals, so the planner matches them to the partial indexes (0007, 0009).
  const which =
    portion === 'held'
      ? sql`${messages.status} = 'SCHEDULED' and ${messages.nextAttemptAt} is null`
      : sql`${messages.status} in (${CANCELABLE_SQL}) and ${messages.nextAttemptAt} is not null`;
  const rows = await tx
    .select({ ...changedMessageColumns, status: messages.status })
    .from(messages)
    .where(and(eq(messages.campaignId, campaignId), which))
    .orderBy(portion === 'held' ? asc(messages.id) : asc(messages.nextAttemptAt))
    .limit(CANCEL_CHUNK)
    .for('update', skipLocked ? { skipLocked: true } : {});
  const changes = rows.map((m) => statusChange(m, { status: 'CANCELED', previousStatus: m.status, occurredAt: now }));
  await recordChanges(tx, changes, now);
  // As a single cancel leaves it: nothing is due any more.
  if (portion === 'pending' && rows.length > 0)
    await tx
      .update(messages)
      .set({ nextAttemptAt: null })
      .where(
        inArray(
          messages.id,
          rows.map((m) => m.id),
        ),
      );
  return changes;
}
