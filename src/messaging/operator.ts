import { and, eq, sql } from 'drizzle-orm';
import { QUEUE_CHANNEL, type Db } from '../db/client.js';
import { messages, type MessageRow } from '../db/schema.js';
import { InvalidStateError, NotFoundError } from '../errors.js';
import type { MessageStatus } from '../vocabulary.js';
import { isUuid } from '../ids.js';
import { nextStatus } from './status-machine.js';
import { recordChanges, statusChange, type StatusChange } from './status-updates.js';

// Explicit requests on one message: cancel while it waits, retry once it failed.

type Result = { row: MessageRow; change: StatusChange };

async function operate(
  db: Db,
  tenantId: string,
  messageId: string,
  to: MessageStatus,
  now: Date,
  refusal: (status: MessageStatus) => string,
  extra: Partial<typeof messages.$inferInsert>,
): Promise<Result> {
  if (!isUuid(messageId)) throw new NotFoundError('Message', messageId);
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.id, messageId), eq(messages.tenantId, tenantId)))
      .for('update');
    if (!current) throw new NotFoundError('Message', messageId);
    if (!nextStatus(current.status, to, 'operator'))
      throw new InvalidStateError(current.status, refusal(current.status));
    const change = statusChange(current, { status: to, previousStatus: current.status, occurredAt: now });
    await recordChanges(tx, [change], now);
    const [row] = await tx.update(messages).set(extra).where(eq(messages.id, messageId)).returning();
    if (to === 'QUEUED') await tx.execute(sql`select pg_notify(${QUEUE_CHANNEL}, '')`);
    return { row: row!, change };
  });
}

export function cancelMessage(db: Db, tenantId: string, messageId: string, now: Date): Promise<Result> {
  return operate(
    db,
    tenantId,
    messageId,
    'CANCELED',
    now,
    (s) => `only QUEUED or SCHEDULED messages can be canceled; this one is ${s}`,
    {
      nextAttemptAt: null,
    },
  );
}

/** A failed message goes back to the queue with a fresh attempt budget. */
export function retryMessage(db: Db, tenantId: string, messageId: string, now: Date): Promise<Result> {
  return operate(
    db,
    tenantId,
    messageId,
    'QUEUED',
    now,
    (s) => `only FAILED messages can be retried; this one is ${s}`,
    {
      attempts: 0,
      nextAttemptAt: now,
      lastErrorCode: null,
      lastErrorMessage: null,
      lastErrorRetryable: null,
    },
  );
}
