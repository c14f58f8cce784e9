import { and, asc, count, eq, inArray, lt, lte, min, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { messages, type MessageRow } from '../db/schema.js';
import { kindsReporting } from '../providers/capabilities.js';

// What an operator watches: how much waits, and what is stuck. A message is stuck when it is
// SENDING past its lease (its worker vanished; the lease sweeper will requeue it) or SENT
// longer than `stuckSentAfterMs` without a delivery report (the reconciler asks providers that
// support lookups; others need a look). Only messages whose provider reports delivery can wait
// for it: an email through SMTP ends SENT and is never stuck there (providers/capabilities.ts).

export type DeliveryHealth = {
  queued: number;
  scheduled: number;
  sending: number;
  stuckSending: number;
  stuckSent: number;
  oldestDueAt: Date | null;
};

/** SENT for longer than `stuckSentAfterMs` through a provider that would have reported delivery. */
function stuckSentCondition(now: Date, stuckSentAfterMs: number): SQL {
  return and(
    eq(messages.status, 'SENT'),
    lt(messages.statusAt, new Date(now.getTime() - stuckSentAfterMs)),
    // Providers are named `<kind>` (environment) or `<kind>.<id>` (a tenant's).
    inArray(sql`split_part(${messages.provider}, '.', 1)`, kindsReporting('delivery')),
  )!;
}

function stuckCondition(now: Date, stuckSentAfterMs: number): SQL {
  return or(
    and(eq(messages.status, 'SENDING'), lt(messages.lockedUntil, now)),
    stuckSentCondition(now, stuckSentAfterMs),
  )!;
}

/** Health of one tenant's messages, or of the whole installation when `tenantId` is null. */
export async function deliveryHealth(
  db: Db,
  tenantId: string | null,
  now: Date,
  stuckSentAfterMs: number,
): Promise<DeliveryHealth> {
  const scope = (cond: SQL) => (tenantId ? and(eq(messages.tenantId, tenantId), cond)! : cond);
  const countWhere = async (cond: SQL) => (await db.select({ n: count() }).from(messages).where(scope(cond)))[0]!.n;
  // Single sends and campaign messages have due indexes of their own: one lookup in each.
  const oldestDue = (kind: SQL) =>
    db
      .select({ at: min(messages.nextAttemptAt) })
      .from(messages)
      .where(scope(sql`${messages.status} = 'QUEUED' and ${kind} and ${lte(messages.nextAttemptAt, now)}`));
  const [queued, scheduled, sending, stuckSending, stuckSent, oldestSingle, oldestCampaign] = await Promise.all([
    countWhere(eq(messages.status, 'QUEUED')),
    countWhere(eq(messages.status, 'SCHEDULED')),
    countWhere(eq(messages.status, 'SENDING')),
    countWhere(and(eq(messages.status, 'SENDING'), lt(messages.lockedUntil, now))!),
    countWhere(stuckSentCondition(now, stuckSentAfterMs)),
    oldestDue(sql`${messages.campaignId} is null`),
    oldestDue(sql`${messages.campaignId} is not null`),
  ]);
  const due = [oldestSingle[0]?.at, oldestCampaign[0]?.at].filter((d): d is Date => d instanceof Date);
  const oldestDueAt = due.length > 0 ? new Date(Math.min(...due.map((d) => d.getTime()))) : null;
  return { queued, scheduled, sending, stuckSending, stuckSent, oldestDueAt };
}

/** The tenant's stuck messages, longest stuck first. */
export function stuckMessages(
  db: Db,
  tenantId: string,
  now: Date,
  stuckSentAfterMs: number,
  limit: number,
): Promise<MessageRow[]> {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), stuckCondition(now, stuckSentAfterMs)))
    .orderBy(asc(messages.statusAt))
    .limit(limit);
}

/** Prometheus text exposition of the installation's delivery health. */
export function metricsText(h: DeliveryHealth, subscribers: number, now: Date): string {
  const gauge = (name: string, help: string, lines: string[]) => [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...lines,
  ];
  const lag = h.oldestDueAt ? Math.max(0, (now.getTime() - h.oldestDueAt.getTime()) / 1000) : 0;
  return [
    ...gauge('herald_messages', 'Messages by delivery state.', [
      `herald_messages{state="queued"} ${h.queued}`,
      `herald_messages{state="scheduled"} ${h.scheduled}`,
      `herald_messages{state="sending"} ${h.sending}`,
    ]),
    ...gauge(
      'herald_messages_stuck',
      'Messages stuck: SENDING past the lease, SENT without a delivery report for too long (providers that report delivery).',
      [
        `herald_messages_stuck{state="sending"} ${h.stuckSending}`,
        `herald_messages_stuck{state="sent"} ${h.stuckSent}`,
      ],
    ),
    ...gauge('herald_dispatch_lag_seconds', 'Age of the longest-waiting due message.', [
      `herald_dispatch_lag_seconds ${lag.toFixed(3)}`,
    ]),
    ...gauge('herald_subscribers', 'Live subscriptions attached to this process.', [
      `herald_subscribers ${subscribers}`,
    ]),
    '',
  ].join('\n');
}
