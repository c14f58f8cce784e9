import { sql, type SQL } from 'drizzle-orm';

/**
 * The callbacks of status events as two CTEs (`callback_endpoints`, `callback_rows`) for a larger
 * statement, so a status change and its callbacks commit together or not at all. `events` names
 * a relation of the same statement with the columns n (order), event_id, message_id, tenant_id,
 * channel, recipient, external_ref, callback_url, status, previous_status, error_code,
 * error_message, occurred_at and reported_at (ISO text, as the payload shows them),
 * created_at (timestamptz: when the deliveries are queued and first due) and trace_parent (the
 * trace the callback continues, or null).
 *
 * A delivery per enabled endpoint of the message's tenant that subscribes to the status (an empty
 * `events` list means all), plus one for the message's own callbackUrl. Rows are inserted in event
 * order, which their identity ids keep: the dispatcher delivers them in that order per message and
 * destination. Across transactions the ids of one message follow commit order because every
 * writer holds the message's row lock (it changes or creates the message in the same transaction).
 */
export function callbackCtes(events: SQL): SQL {
  return sql`
    -- Key-share locks hold off an endpoint's deletion until this commits; an endpoint deleted
    -- meanwhile is skipped instead of failing the whole status change on its foreign key.
    callback_endpoints as (
      select e.id, e.url, e.tenant_id, e.events
      from webhook_endpoints e
      where e.enabled and e.tenant_id in (select tenant_id from ${events})
      for key share
    ),
    callback_rows as (
      insert into callback_deliveries (tenant_id, endpoint_id, url, message_id, event_id, payload, next_attempt_at,
        created_at, trace_parent)
      select c.tenant_id, target.endpoint_id, target.url, c.message_id, c.event_id,
        jsonb_build_object(
          'eventId', c.event_id, 'messageId', c.message_id, 'status', c.status, 'previousStatus', c.previous_status,
          'errorCode', c.error_code, 'errorMessage', c.error_message, 'channel', c.channel, 'to', c.recipient,
          'externalRef', c.external_ref, 'occurredAt', c.occurred_at, 'reportedAt', c.reported_at),
        c.created_at, c.created_at, c.trace_parent
      from ${events} c
      cross join lateral (
        select e.id as endpoint_id, e.url
        from callback_endpoints e
        where e.tenant_id = c.tenant_id and (cardinality(e.events) = 0 or c.status = any(e.events))
        union all
        select null, c.callback_url where c.callback_url is not null
      ) as target
      order by c.n
      returning id
    )`;
}
