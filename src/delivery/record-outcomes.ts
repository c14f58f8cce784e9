import { sql } from 'drizzle-orm';
import { QUEUE_CHANNEL } from '../db/client.js';
import { rowsOf } from '../db/raw-rows.js';
import { messages } from '../db/schema.js';
import { recordset, type RecordsetColumns } from '../db/recordset.js';
import type { Logger } from '../log.js';
import {
  appendStatusEvents,
  applyProviderEventsInTx,
  lockProviderIds,
  statusChange,
  takePendingEvents,
  type StatusChange,
} from '../messaging/status-updates.js';
import { suppress } from '../messaging/suppressions.js';
import { nextState, type NextStateDeps, type OutcomeUpdate } from './next-state.js';
import type { Outcome } from './send-message.js';

/**
 * Recording outcomes: the next state of each message (next-state.ts) is written for a group of
 * outcomes in one transaction, as soon as their calls return, with one update over a recordset.
 *
 * The lease fences it: a row is written only while it is still SENDING under this worker and
 * under the very lease end its claim set. If the lease expired and the message went back to the
 * queue (or was claimed again, by anyone), the outcome is stale and records nothing; the message
 * is sent again, which at-least-once delivery allows, and its status never moves backwards.
 *
 * In the same transaction: the provider ids are locked first (lockProviderIds), so a report
 * racing the send either finds the recorded id or was parked and is picked up here
 * (takePendingEvents); the status events and their callbacks commit with the state, and so does
 * the suppression a refusal meaning "opted out" adds (Twilio 21610, WhatsApp 131050).
 *
 * Crash before commit: the message stays SENDING under its lease, which expires; it is queued
 * again and sent again (the provider may see it twice). Crash after commit: nothing is lost;
 * the wake-up of other workers (NOTIFY) is only a hint, polling covers it.
 */

const outcomeColumns: RecordsetColumns<OutcomeUpdate> = {
  id: 'uuid',
  lease: 'timestamptz',
  status: 'message_status',
  provider: 'text',
  pmid: 'text',
  attempts: 'int',
  next_at: 'timestamptz',
  code: 'text',
  message: 'text',
  retryable: 'boolean',
  fallback_step: 'int',
  channel: 'channel',
  body: 'text',
  channel_options: 'jsonb',
};

export type RecordDeps = NextStateDeps & { now: () => Date; workerId: string; log: Logger };

/** Decides the next state of these outcomes' messages and writes all of them in one transaction. */
export async function recordOutcomes(outcomes: Outcome[], deps: RecordDeps): Promise<StatusChange[]> {
  const { db, workerId } = deps;
  const now = deps.now();
  const decided = await Promise.all(outcomes.map((o) => nextState(o, now, deps)));
  const updates = decided.map((d) => d.update);

  const outcomeOf = new Map(outcomes.map((o) => [o.row.id, o]));
  const decidedOf = new Map(decided.map((d) => [d.update.id, d]));
  const result = await db.transaction(async (tx) => {
    await lockProviderIds(
      tx,
      outcomes.flatMap((o) =>
        o.kind === 'sent' ? [[o.provider.name, o.result.providerMessageId] as [string, string]] : [],
      ),
    );
    const updated = await tx.execute(sql`
      update ${messages} as m set
        status = v.status,
        status_at = ${now.toISOString()}::timestamptz,
        provider = v.provider,
        provider_message_id = coalesce(v.pmid, m.provider_message_id),
        attempts = v.attempts,
        next_attempt_at = v.next_at,
        fallback_step = coalesce(v.fallback_step, m.fallback_step),
        channel = coalesce(v.channel, m.channel),
        body = coalesce(v.body, m.body),
        channel_options = coalesce(v.channel_options, m.channel_options),
        locked_until = null,
        locked_by = null,
        last_error_code = v.code,
        last_error_message = v.message,
        last_error_retryable = v.retryable,
        updated_at = ${now.toISOString()}::timestamptz
      from ${recordset('v', outcomeColumns, updates)}
      where m.id = v.id and m.locked_by = ${workerId} and m.locked_until = v.lease and m.status = 'SENDING'
      returning m.id`);
    const kept = new Set(rowsOf<{ id: string }>(updated).map((r) => r.id));
    const changes: StatusChange[] = [];
    outcomes.forEach((o, i) => {
      const u = updates[i]!;
      if (!kept.has(u.id)) return;
      changes.push(
        statusChange(o.row, {
          status: u.status,
          previousStatus: 'SENDING',
          errorCode: u.code,
          errorMessage: u.message,
          occurredAt: now,
          channel: u.channel,
          provider: o.provider.name,
        }),
      );
    });
    await appendStatusEvents(tx, changes, now, (c) => {
      const o = outcomeOf.get(c.messageId)!;
      const d = decidedOf.get(c.messageId)!;
      return {
        attempt: o.row.attempts,
        provider: o.provider.name,
        durationMs: Date.now() - o.startedAt,
        ...(o.kind === 'sent' ? { providerMessageId: o.result.providerMessageId } : {}),
        ...(o.kind === 'failed' ? { retryable: o.result.retryable, raw: o.result.raw } : {}),
        ...(d.fallback ? { fallback: d.fallback } : {}),
      };
    });
    // A refusal that means the recipient opted out puts them on the tenant's suppression list.
    await suppress(
      tx,
      outcomes.flatMap((o) =>
        o.kind === 'failed' && o.result.optedOut && kept.has(o.row.id)
          ? [
              {
                tenantId: o.row.tenantId,
                channel: o.row.channel,
                recipient: o.row.recipient,
                reason: `${o.provider.name} error ${o.result.code}`,
                source: 'PROVIDER' as const,
              },
            ]
          : [],
      ),
      now,
    );
    // Reports that raced ahead of this bookkeeping were parked; apply them now.
    const sentByProvider = new Map<string, string[]>();
    for (const o of outcomes) {
      if (o.kind === 'sent' && kept.has(o.row.id)) {
        sentByProvider.set(o.provider.name, [
          ...(sentByProvider.get(o.provider.name) ?? []),
          o.result.providerMessageId,
        ]);
      }
    }
    for (const [provider, ids] of sentByProvider) {
      const pending = await takePendingEvents(tx, provider, ids);
      if (pending.length > 0) changes.push(...(await applyProviderEventsInTx(tx, pending, now)));
    }
    return { changes, lost: outcomes.length - kept.size };
  });
  if (result.lost > 0) deps.log.warn({ lost: result.lost }, 'lease expired before outcomes were recorded');
  // One line per failed provider attempt: what an operator looks for when messages do not arrive.
  outcomes.forEach((o, i) => {
    if (o.kind !== 'failed') return;
    const u = updates[i]!;
    const retryInMs = u.next_at ? Math.max(0, new Date(u.next_at).getTime() - now.getTime()) : null;
    deps.log.warn(
      {
        messageId: o.row.id,
        ...(o.row.requestId ? { requestId: o.row.requestId } : {}),
        provider: o.provider.name,
        attempt: o.row.attempts,
        code: o.result.code,
        status: u.status,
        retryInMs,
      },
      retryInMs === null ? 'provider attempt failed, not retried' : 'provider attempt failed, will retry',
    );
  });
  // Messages due again now or soon: wake idle workers (of any process) rather than wait for a poll.
  if (outcomes.some((o) => o.kind === 'released' || (o.kind === 'failed' && o.result.retryable))) {
    db.execute(sql`select pg_notify(${QUEUE_CHANNEL}, '')`).catch(() => {});
  }
  return result.changes;
}
