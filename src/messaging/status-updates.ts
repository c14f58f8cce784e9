import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { callbackCtes } from '../callbacks/enqueue.js';
import { traceParentNow } from '../observability/tracing.js';
import type { Db, Tx } from '../db/client.js';
import { rowsOf } from '../db/raw-rows.js';
import { recordset, type RecordsetColumns } from '../db/recordset.js';
import { messageEvents, messages, pendingProviderEvents, type MessageRow } from '../db/schema.js';
import { newId } from '../ids.js';
import type { ProviderStatusEvent } from '../providers/provider.js';
import type { Channel, MessageStatus } from '../vocabulary.js';
import { isFailure, nextStatus } from './status-machine.js';
import { suppress } from './suppressions.js';

/** A status change, as published (after commit) to subscribers and callbacks. */
export type StatusChange = {
  messageId: string;
  tenantId: string;
  channel: Channel;
  /** The message's recipient, reference and tags: what subscribers and callbacks filter on. */
  recipient: string;
  externalRef: string | null;
  tags: string[];
  status: MessageStatus;
  /** Null for the first status of a message (accepted). */
  previousStatus: MessageStatus | null;
  errorCode: string | null;
  errorMessage: string | null;
  /**
   * When Herald recorded the change: never earlier than the message's previous change, so the
   * history read in change order is also in time order (appendStatusEvents raises it if needed).
   */
  occurredAt: Date;
  /** The provider's own timestamp when a report caused the change (its clock, not Herald's). */
  reportedAt?: Date | null;
  /** The provider that sent or reported, when a send or a report caused the change (metrics). */
  provider?: string;
};

export type StatusListener = (changes: StatusChange[]) => void;

/** The message a change concerns, as far as subscribers and callbacks need it. */
export type ChangedMessage = Pick<MessageRow, 'id' | 'tenantId' | 'channel' | 'recipient' | 'externalRef' | 'tags'>;

/** The columns to select for a ChangedMessage. */
export const changedMessageColumns = {
  id: messages.id,
  tenantId: messages.tenantId,
  channel: messages.channel,
  recipient: messages.recipient,
  externalRef: messages.externalRef,
  tags: messages.tags,
};

/**
 * Builds a StatusChange: every path that changes a status (accept, claim, outcomes, lease
 * recovery, reports, operator calls, the history replay) describes its message the same way.
 */
export function statusChange(
  message: ChangedMessage,
  change: {
    status: MessageStatus;
    previousStatus: MessageStatus | null;
    occurredAt: Date;
    errorCode?: string | null;
    errorMessage?: string | null;
    /** Set only when a provider report caused the change. */
    reportedAt?: Date | null;
    /** The channel after the change, when the change moves the message (fallback to SMS). */
    channel?: Channel;
    /** The provider whose send or report caused the change. */
    provider?: string;
  },
): StatusChange {
  const built: StatusChange = {
    messageId: message.id,
    tenantId: message.tenantId,
    channel: change.channel ?? message.channel,
    recipient: message.recipient,
    externalRef: message.externalRef,
    tags: message.tags,
    status: change.status,
    previousStatus: change.previousStatus,
    errorCode: change.errorCode ?? null,
    errorMessage: change.errorMessage ?? null,
    occurredAt: change.occurredAt,
  };
  if (change.reportedAt !== undefined) built.reportedAt = change.reportedAt;
  if (change.provider !== undefined) built.provider = change.provider;
  return built;
}

type Target = {
  id: string;
  tenantId: string;
  channel: Channel;
  recipient: string;
  externalRef: string | null;
  tags: string[];
  status: MessageStatus;
  provider: string | null;
  providerMessageId: string | null;
};

/** Applies provider reports (webhooks, sandbox, lookups) in one transaction; returns what changed. */
export function applyProviderEvents(db: Db, events: ProviderStatusEvent[], now: Date): Promise<StatusChange[]> {
  if (events.length === 0) return Promise.resolve([]);
  return db.transaction((tx) => applyProviderEventsInTx(tx, events, now));
}

export async function applyProviderEventsInTx(
  tx: Tx,
  events: ProviderStatusEvent[],
  now: Date,
): Promise<StatusChange[]> {
  const keys = [...new Map(events.map((e) => [`${e.provider}\u0000${e.providerMessageId}`, e])).values()];
  await lockProviderIds(
    tx,
    keys.map((e) => [e.provider, e.providerMessageId]),
  );
  const targets = await tx
    .select({
      ...changedMessageColumns,
      status: messages.status,
      provider: messages.provider,
      providerMessageId: messages.providerMessageId,
    })
    .from(messages)
    // One IN list per provider: an OR branch per id makes PostgreSQL's planning grow
    // quadratically with the batch (about 250 ms for 1,000 ids).
    .where(
      or(
        ...[...new Set(keys.map((e) => e.provider))].map((provider) =>
          and(
            eq(messages.provider, provider),
            inArray(
              messages.providerMessageId,
              keys.filter((e) => e.provider === provider).map((e) => e.providerMessageId),
            ),
          ),
        ),
      ),
    )
    .for('update');
  const byProviderId = new Map<string, Target>(targets.map((t) => [`${t.provider}\u0000${t.providerMessageId}`, t]));

  // Reports for ids Herald has not stored yet wait in pending_provider_events.
  const orphans = events.filter((e) => !byProviderId.has(`${e.provider}\u0000${e.providerMessageId}`));
  if (orphans.length > 0) {
    await tx
      .insert(pendingProviderEvents)
      .values(
        orphans.map((e) => ({
          id: newId(),
          provider: e.provider,
          providerMessageId: e.providerMessageId,
          dedupeKey: e.dedupeKey,
          event: { ...e, occurredAt: e.occurredAt.toISOString() },
          receivedAt: now,
        })),
      )
      .onConflictDoNothing();
  }

  // Reports arriving together are recorded (and so listed) in the order the provider says they
  // happened; across requests the history keeps the order they arrived in.
  const known = events
    .filter((e) => byProviderId.has(`${e.provider}\u0000${e.providerMessageId}`))
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  if (known.length === 0) return [];
  // Redelivered reports are recorded once: the dedupe key decides which are new.
  const recorded = await tx
    .insert(messageEvents)
    .values(
      known.map((e) => {
        const target = byProviderId.get(`${e.provider}\u0000${e.providerMessageId}`)!;
        return {
          id: newId(),
          messageId: target.id,
          tenantId: target.tenantId,
          kind: 'provider',
          status: e.status,
          provider: e.provider,
          errorCode: e.errorCode ?? null,
          errorMessage: e.errorMessage ?? null,
          payload: e.raw ?? null,
          dedupeKey: e.dedupeKey,
          occurredAt: now,
          reportedAt: e.occurredAt,
          createdAt: now,
        };
      }),
    )
    .onConflictDoNothing({ target: messageEvents.dedupeKey })
    .returning({ dedupeKey: messageEvents.dedupeKey });
  const fresh = new Set(recorded.map((r) => r.dedupeKey));

  // Apply in the order the provider says things happened, whatever order they arrived in.
  const changes: StatusChange[] = [];
  const ordered = known.filter((e) => fresh.has(e.dedupeKey));
  // A failure that means the recipient opted out puts them on the tenant's suppression list.
  await suppress(
    tx,
    ordered.flatMap((e) => {
      if (!e.optedOut) return [];
      const target = byProviderId.get(`${e.provider}\u0000${e.providerMessageId}`)!;
      const reason = `${e.provider} error ${e.errorCode ?? 'opt-out'}`;
      return [
        {
          tenantId: target.tenantId,
          channel: target.channel,
          recipient: target.recipient,
          reason,
          source: 'PROVIDER' as const,
        },
      ];
    }),
    now,
  );
  for (const e of ordered) {
    const target = byProviderId.get(`${e.provider}\u0000${e.providerMessageId}`)!;
    const next = nextStatus(target.status, e.status, 'provider');
    if (!next) continue;
    changes.push(
      statusChange(target, {
        status: next,
        previousStatus: target.status,
        errorCode: isFailure(next) ? (e.errorCode ?? null) : null,
        errorMessage: isFailure(next) ? (e.errorMessage ?? null) : null,
        // The provider's clock may be behind Herald's, or the report may have waited for the send's
        // bookkeeping: its time is kept apart and never orders the history.
        occurredAt: now,
        reportedAt: e.occurredAt,
        provider: e.provider,
      }),
    );
    target.status = next;
  }
  await recordChanges(tx, changes, now);
  return changes;
}

/**
 * The one place status changes are written to the history: one 'status' event per change, with
 * what caused it in `payload`. Every path that changes a status (accept, dispatch, reports,
 * operator calls) calls this inside its own transaction, so whatever must follow a change
 * durably (customer callbacks) is added here once. One statement: the events, their times kept
 * monotonic, and their callbacks.
 */
export async function appendStatusEvents(
  tx: Tx,
  changes: StatusChange[],
  now: Date,
  payload: (c: StatusChange) => Record<string, unknown> | null = () => null,
): Promise<void> {
  await writeStatusChanges(tx, changes, now, payload, false);
}

/** Writes status changes: their events (as appendStatusEvents), and the final state of each message. */
export async function recordChanges(tx: Tx, changes: StatusChange[], now: Date): Promise<void> {
  await writeStatusChanges(tx, changes, now, () => null, true);
}

/**
 * Each change's occurredAt is raised (in place, so what is published is what is stored) to at
 * least the message's previous status event: processes' clocks differ by a few milliseconds, and
 * callbacks and subscribers must never see time go backwards within a message. The caller holds
 * the messages' row locks, so no other change can slip in between. A first status (accept) has
 * nothing before it and is not looked up.
 */
async function writeStatusChanges(
  tx: Tx,
  changes: StatusChange[],
  now: Date,
  payload: (c: StatusChange) => Record<string, unknown> | null,
  updateMessages: boolean,
): Promise<void> {
  if (changes.length === 0) return;
  const at = now.toISOString();
  const rows = changes.map(
    (c, n): ChangeRow => ({
      n,
      event_id: newId(),
      message_id: c.messageId,
      tenant_id: c.tenantId,
      status: c.status,
      previous_status: c.previousStatus,
      error_code: c.errorCode,
      error_message: c.errorMessage,
      payload: payload(c),
      occurred_at: c.occurredAt.toISOString(),
      reported_at: c.reportedAt?.toISOString() ?? null,
    }),
  );
  const result = await tx.execute(sql`
    with given as (
      select * from ${recordset('g', changeRowColumns, rows)}
    ),
    floors as (
      select e.message_id, max(e.occurred_at) as floor
      from message_events e
      where e.kind = 'status'
        and e.message_id in (select message_id from given where previous_status is not null)
      group by e.message_id
    ),
    timed as (
      select g.n, g.event_id, g.message_id, g.tenant_id, g.status, g.previous_status, g.error_code,
        g.error_message, g.payload, g.reported_at,
        greatest(f.floor, max(g.occurred_at) over (partition by g.message_id order by g.n)) as occurred_at
      from given g left join floors f on f.message_id = g.message_id
    ),
    status_events as (
      insert into message_events (id, message_id, tenant_id, kind, status, previous_status, error_code,
        error_message, payload, occurred_at, reported_at, created_at)
      select event_id, message_id, tenant_id, 'status', status, previous_status, error_code, error_message,
        payload, occurred_at, reported_at, ${at}::timestamptz
      from timed order by n
      returning id
    ),
    ${updateMessages ? finalStates(at) : sql``}
    callback_events as (
      select t.n, t.event_id, t.message_id, m.tenant_id, m.channel, m.recipient, m.external_ref, m.callback_url,
        t.status, t.previous_status, t.error_code, t.error_message,
        to_char(t.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at,
        to_char(t.reported_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as reported_at,
        ${at}::timestamptz as created_at,
        -- The change's own trace (a webhook's), else the message's (its send's).
        coalesce(${traceParentNow()}::text, m.trace_parent) as trace_parent
      from timed t join messages m on m.id = t.message_id
    ),
    ${callbackCtes(sql`callback_events`)}
    select t.n, (extract(epoch from t.occurred_at) * 1000)::float8 as ms
    from timed t
    where t.occurred_at > (select g.occurred_at from given g where g.n = t.n)`);
  for (const r of rowsOf<{ n: number; ms: number }>(result)) {
    changes[Number(r.n)]!.occurredAt = new Date(Math.round(Number(r.ms)));
  }
}

/** A CTE of writeStatusChanges: each message takes the state of its last change. */
function finalStates(at: string) {
  return sql`final_states as (
      update ${messages} as m set
        status = v.status,
        status_at = v.occurred_at,
        last_error_code = coalesce(v.error_code, m.last_error_code),
        last_error_message = coalesce(v.error_message, m.last_error_message),
        updated_at = ${at}::timestamptz
      from (select distinct on (message_id) * from timed order by message_id, n desc) as v
      where m.id = v.message_id
      returning m.id
    ),
    `;
}

type ChangeRow = {
  n: number;
  event_id: string;
  message_id: string;
  tenant_id: string;
  status: MessageStatus;
  previous_status: MessageStatus | null;
  error_code: string | null;
  error_message: string | null;
  payload: Record<string, unknown> | null;
  occurred_at: string;
  reported_at: string | null;
};
const changeRowColumns: RecordsetColumns<ChangeRow> = {
  n: 'int',
  event_id: 'uuid',
  message_id: 'uuid',
  tenant_id: 'uuid',
  status: 'message_status',
  previous_status: 'message_status',
  error_code: 'text',
  error_message: 'text',
  payload: 'jsonb',
  occurred_at: 'timestamptz',
  reported_at: 'timestamptz',
};

/**
 * Serialises work on the same provider message ids across transactions: a report looking for
 * its message and the send recording that message's provider id. Without it a report could
 * miss the id (not yet committed) while the send misses the parked report (not yet committed
 * either). Taken before any row lock, in hash order, so two holders never wait on each other.
 */
export async function lockProviderIds(
  tx: Tx,
  ids: Array<[provider: string, providerMessageId: string]>,
): Promise<void> {
  if (ids.length === 0) return;
  const keys = ids.map(([provider, id]) => `${provider}:${id}`);
  await tx.execute(sql`
    select pg_advisory_xact_lock(h)
    from (select distinct hashtext(k) as h from unnest(${`{${keys.map((k) => JSON.stringify(k)).join(',')}}`}::text[]) as k order by h) as sorted`);
}

/** Reports that were waiting for these provider ids, removed from the waiting room. */
export async function takePendingEvents(
  tx: Tx,
  provider: string,
  providerMessageIds: string[],
): Promise<ProviderStatusEvent[]> {
  if (providerMessageIds.length === 0) return [];
  const rows = await tx
    .delete(pendingProviderEvents)
    .where(
      and(
        eq(pendingProviderEvents.provider, provider),
        inArray(pendingProviderEvents.providerMessageId, providerMessageIds),
      ),
    )
    .returning({ event: pendingProviderEvents.event });
  return rows.map((r) => ({
    ...(r.event as unknown as ProviderStatusEvent),
    occurredAt: new Date(r.event.occurredAt as string),
  }));
}
