import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { recordset, type RecordsetColumns } from '../db/recordset.js';
import type { MessageStatus } from '../vocabulary.js';

/** One status event as stored in message_events: what a callback reports. */
export type StatusEvent = {
  id: string;
  messageId: string;
  status: MessageStatus;
  previousStatus: MessageStatus | null;
  errorCode: string | null;
  errorMessage: string | null;
  occurredAt: Date;
  reportedAt: Date | null;
};

/**
 * Queues the callbacks of these status events in the caller's transaction, so a status change
 * and its callbacks commit together or not at all. One statement: a delivery per enabled
 * endpoint of the message's tenant that subscribes to the status (an empty `events` list means
 * all), plus one for the message's own callbackUrl. Rows are inserted in event order, which
 * their identity ids keep: the dispatcher delivers them in that order per message and
 * destination. Across transactions the ids of one message follow commit order because every
 * caller holds the message's row lock (it changes the message's status in the same transaction).
 */
export async function enqueueCallbacks(tx: Tx, events: StatusEvent[], now: Date): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map(
    (e, n): QueuedEvent => ({
      n,
      event_id: e.id,
      message_id: e.messageId,
      status: e.status,
      previous_status: e.previousStatus,
      error_code: e.errorCode,
      error_message: e.errorMessage,
      occurred_at: e.occurredAt.toISOString(),
      reported_at: e.reportedAt?.toISOString() ?? null,
    }),
  );
  const at = now.toISOString();
  await tx.execute(sql`
    with c as (
      select * from ${recordset('c', queuedEventColumns, rows)}
    ),
    -- Key-share locks hold off an endpoint's deletion until this commits; an endpoint deleted
    -- meanwhile is skipped instead of failing the whole status change on its foreign key.
    endpoints as (
      select e.id, e.url, e.tenant_id, e.events
      from webhook_endpoints e
      where e.enabled and e.tenant_id in (select m.tenant_id from messages m join c on m.id = c.message_id)
      for key share
    )
    insert into callback_deliveries (tenant_id, endpoint_id, url, message_id, event_id, payload, next_attempt_at, created_at)
    select m.tenant_id, target.endpoint_id, target.url, m.id, c.event_id,
      jsonb_build_object(
        'eventId', c.event_id, 'messageId', m.id, 'status', c.status, 'previousStatus', c.previous_status,
        'errorCode', c.error_code, 'errorMessage', c.error_message, 'channel', m.channel, 'to', m.recipient,
        'externalRef', m.external_ref, 'occurredAt', c.occurred_at, 'reportedAt', c.reported_at),
      ${at}::timestamptz, ${at}::timestamptz
    from c
    join messages m on m.id = c.message_id
    cross join lateral (
      select e.id as endpoint_id, e.url
      from endpoints e
      where e.tenant_id = m.tenant_id and (cardinality(e.events) = 0 or c.status = any(e.events))
      union all
      select null, m.callback_url where m.callback_url is not null
    ) as target
    order by c.n`);
}

type QueuedEvent = {
  n: number;
  event_id: string;
  message_id: string;
  status: MessageStatus;
  previous_status: MessageStatus | null;
  error_code: string | null;
  error_message: string | null;
  occurred_at: string;
  reported_at: string | null;
};
// The times stay text: the payload quotes them as Herald wrote them.
const queuedEventColumns: RecordsetColumns<QueuedEvent> = {
  n: 'int',
  event_id: 'uuid',
  message_id: 'uuid',
  status: 'message_status',
  previous_status: 'message_status',
  error_code: 'text',
  error_message: 'text',
  occurred_at: 'text',
  reported_at: 'text',
};
