import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowReader, rowsOf } from '../db/raw-rows.js';
import { messages, type MessageRow } from '../db/schema.js';
import { appendStatusEvents, statusChange, type StatusChange } from '../messaging/status-updates.js';
import type { MessageStatus } from '../vocabulary.js';

/**
 * Claiming: the messages table is the queue. One transaction takes up to `batchSize` due
 * messages (QUEUED or SCHEDULED, next_attempt_at reached) with FOR UPDATE SKIP LOCKED, so
 * parallel pipelines and processes never take the same row and never wait on each other.
 * Single sends come first (oldest first, through a due index of their own), and only the rest
 * of the batch, at most `campaignLimit`, is filled with campaign messages (oldest first, none of
 * a PAUSED campaign: its retries wait too): a single send is never claimed behind campaign
 * messages that were due before it. Each becomes SENDING under a lease (locked_by = this
 * worker, locked_until = now + leaseMs) with its attempt counted, or EXPIRED at once when its
 * validUntil has passed; the status events (and their callbacks) commit with the claim.
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

export type ClaimOptions = {
  now: Date;
  leaseMs: number;
  batchSize: number;
  /** Most campaign messages in this claim (0: single sends only). */
  campaignLimit: number;
  workerId: string;
};

const readMessage = rowReader(messages);

/** Claims due messages: SENDING under this worker's lease (returned, single sends first), or EXPIRED when validUntil has passed. */
export async function claimMessages(
  db: Db,
  { now, leaseMs, batchSize, campaignLimit, workerId }: ClaimOptions,
): Promise<{ rows: MessageRow[]; changes: StatusChange[] }> {
  const at = now.toISOString();
  const lockedUntil = new Date(now.getTime() + leaseMs).toISOString();
  // Literal statuses and IS NULL tests, so that the planner matches the partial due indexes.
  const campaign =
    campaignLimit > 0
      ? sql`,
      campaign as (
        select m.id, m.status as previous from messages m
        where m.status in ('QUEUED', 'SCHEDULED') and m.campaign_id is not null
          and m.next_attempt_at <= ${at}::timestamptz
          and not exists (select 1 from campaigns c where c.id = m.campaign_id and c.status = 'PAUSED')
        order by m.next_attempt_at
        limit greatest(0, least(${campaignLimit}::int, ${batchSize}::int - (select count(*)::int from singles)))
        for update of m skip locked
      ),
      due as (select id, previous from singles union all select id, previous from campaign)`
      : sql`,
      due as (select id, previous from singles)`;
  const expired = sql`(m.valid_until is not null and m.valid_until <= ${at}::timestamptz)`;
  return db.transaction(async (tx) => {
    const result = await tx.execute(sql`
      with singles as (
        select id, status as previous from messages
        where status in ('QUEUED', 'SCHEDULED') and campaign_id is null and next_attempt_at <= ${at}::timestamptz
        order by next_attempt_at
        limit ${batchSize}::int
        for update skip locked
      )${campaign}
      update messages m set
        status = case when ${expired} then 'EXPIRED'::message_status else 'SENDING'::message_status end,
        status_at = ${at}::timestamptz,
        attempts = case when ${expired} then m.attempts else m.attempts + 1 end,
        locked_until = case when ${expired} then null else ${lockedUntil}::timestamptz end,
        locked_by = case when ${expired} then null else ${workerId} end,
        last_error_code = case when ${expired} then 'EXPIRED' else m.last_error_code end,
        last_error_message = case when ${expired} then ${EXPIRED_MESSAGE} else m.last_error_message end,
        updated_at = ${at}::timestamptz
      from due
      where m.id = due.id
      returning m.*, due.previous`);
    const claimed = rowsOf<Record<string, unknown>>(result).map((raw) => ({
      row: readMessage(raw),
      previous: raw.previous as MessageStatus,
    }));
    // Single sends first: their calls start ahead of the campaign's.
    claimed.sort((a, b) => Number(a.row.campaignId !== null) - Number(b.row.campaignId !== null));
    const byId = new Map(claimed.map(({ row }) => [row.id, row]));
    const changes = claimed.map(({ row, previous }) =>
      statusChange(row, {
        status: row.status,
        previousStatus: previous,
        errorCode: row.status === 'EXPIRED' ? 'EXPIRED' : null,
        errorMessage: row.status === 'EXPIRED' ? EXPIRED_MESSAGE : null,
        occurredAt: now,
      }),
    );
    await appendStatusEvents(tx, changes, now, (c) => ({
      attempt: byId.get(c.messageId)?.attempts,
      worker: workerId,
    }));
    return { rows: claimed.filter(({ row }) => row.status === 'SENDING').map(({ row }) => row), changes };
  });
}
