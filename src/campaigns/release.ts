import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/raw-rows.js';
import { campaigns, type CampaignRow } from '../db/schema.js';
import type { Logger } from '../log.js';
import type { StatusListener } from '../messaging/status-updates.js';
import type { Channel } from '../vocabulary.js';
import { CANCEL_CHUNK, cancelChunk, type Portion } from './cancel-messages.js';
import { type CampaignContent, senderOf } from './content.js';
import { type CampaignCounters, readCounters } from './counters.js';

// The release loop, beside the dispatcher in every dispatch process. A campaign's recipients wait
// as held messages (SCHEDULED, no next_attempt_at: never claimed); every tick this loop
//   - starts SCHEDULED campaigns whose sendAt has come;
//   - gives each RUNNING campaign's next held messages a next_attempt_at spaced at its pace,
//     up to about one second ahead and never more than a second's worth released but not yet
//     claimed, then wakes the dispatcher. A single send is due the moment it is accepted, so it
//     is claimed among the campaign's messages due by then instead of behind the whole campaign;
//   - marks a RUNNING campaign COMPLETED once none of its messages is SCHEDULED, QUEUED or SENDING;
//   - finishes canceled campaigns: their remaining messages are canceled in chunks, then
//     completedAt is set.
//
// Pace: at most the campaign's ratePerSecond and nine tenths of what its provider's send limit
// sustains (the rest stays free for single sends through the same provider), and no faster than
// the dispatcher drains. It starts low and grows by half each tick while the dispatcher keeps up
// (of the messages due before its last wake-up, at most a tick's worth are still unclaimed); once
// it falls behind, the pace drops just under what was claimed since the last tick, so the
// overdue ones drain. The pace is this process's estimate (kept in memory, per campaign);
// everything else is in the database: each step is one transaction on the campaign's row
// (skipped while another process holds it), so two dispatch processes never release the same
// campaign at once and a process killed anywhere leaves a state the next tick continues from.

/** How far ahead messages are released, and so how much may wait released but unclaimed. */
const HORIZON_MS = 1000;
const ACTIVE_TICK_MS = 100;
/** With no campaign to look after, ticks are rarer (a campaign started waits at most this). */
const IDLE_TICK_MS = 500;
const INITIAL_PACE = 100;
const MIN_PACE = 10;
const GROWTH = 1.5;
/** A campaign takes at most this share of its provider's rate: the rest stays free for single sends. */
const PROVIDER_SHARE = 0.9;
/** Behind, the pace drops a little under what was claimed, so the overdue ones drain. */
const CATCH_UP = 0.9;
/** Most messages one campaign gets in one tick. */
const MAX_STEP = 10_000;
/** Cancel chunks per canceled campaign per tick, so releases of the others are not held up. */
const CANCEL_CHUNKS_PER_TICK = 5;

export type ReleaseDeps = {
  db: Db;
  now: () => Date;
  log: Logger;
  /** The most sends per second the provider that sends a campaign's messages sustains (its rate limit). */
  providerRate: (tenantId: string, channel: Channel, sender: string | null) => Promise<number>;
  /** Wakes this process's dispatcher: released messages are due. */
  wakeDispatcher: () => void;
  /** Cancellations made here, published after commit. */
  onChanges: StatusListener;
};

type Pace = { perSecond: number; at: number; releasedAfter: number };
type Released = { released: number; overdue: number; last: number | null };

export class CampaignRelease {
  private readonly paces = new Map<string, Pace>();
  private readonly stopped = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: ReleaseDeps) {}

  start(): void {
    this.loop = this.run();
  }

  /** Stops after the tick in progress (its statements are short). */
  async stop(): Promise<void> {
    this.stopped.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped.signal.aborted) {
      let active = false;
      try {
        active = await this.tick();
      } catch (err) {
        this.deps.log.error({ err }, 'campaign release failed');
      }
      await sleep(active ? ACTIVE_TICK_MS : IDLE_TICK_MS, undefined, { signal: this.stopped.signal }).catch(() => {});
    }
  }

  /** One pass over the campaigns that need the loop; true when there were any. */
  private async tick(): Promise<boolean> {
    const { db } = this.deps;
    const now = this.deps.now();
    await db
      .update(campaigns)
      .set({
        status: 'RUNNING',
        startedAt: sql`coalesce(${campaigns.startedAt}, ${now.toISOString()}::timestamptz)`,
        updatedAt: now,
      })
      .where(and(eq(campaigns.status, 'SCHEDULED'), or(isNull(campaigns.sendAt), lte(campaigns.sendAt, now))));
    const active = await db
      .select()
      .from(campaigns)
      .where(or(eq(campaigns.status, 'RUNNING'), and(eq(campaigns.status, 'CANCELED'), isNull(campaigns.completedAt))));
    const running = active.filter((c) => c.status === 'RUNNING');
    const runningIds = new Set(running.map((c) => c.id));
    for (const id of this.paces.keys()) if (!runningIds.has(id)) this.paces.delete(id);
    for (const campaign of running) await this.step(campaign, 'release', () => this.release(campaign, now));
    if (running.length > 0) this.deps.wakeDispatcher();
    const counters = await readCounters(db, active);
    for (const [i, campaign] of active.entries()) {
      if (campaign.status === 'CANCELED')
        await this.step(campaign, 'cancel', () => this.finishCanceled(campaign, counters[i]!, now));
      else if (unfinished(counters[i]!) === 0)
        await this.step(campaign, 'completion', () => this.settle(campaign, now));
    }
    return active.length > 0;
  }

  /** One campaign's step: a failure is logged and the other campaigns go on. */
  private async step(campaign: CampaignRow, what: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.deps.log.error({ err, campaignId: campaign.id }, `campaign ${what} failed`);
    }
  }

  /** Releases the campaign's next held messages at its pace (skipped while another process does). */
  private async release(campaign: CampaignRow, now: Date): Promise<void> {
    const content = campaign.content as CampaignContent;
    const providerRate = await this.deps.providerRate(campaign.tenantId, campaign.channel, senderOf(content));
    const cap = Math.min(campaign.ratePerSecond ?? Number.POSITIVE_INFINITY, providerRate * PROVIDER_SHARE);
    const nowMs = now.getTime();
    // Due before the last wake-up of the dispatcher and still not claimed.
    const overdueSince = new Date(nowMs - ACTIVE_TICK_MS);
    await this.deps.db.transaction(async (tx) => {
      const [locked] = await tx
        .select({ status: campaigns.status })
        .from(campaigns)
        .where(eq(campaigns.id, campaign.id))
        .for('no key update', { skipLocked: true });
      if (locked?.status !== 'RUNNING') return;
      const [stats] = rowsOf<{ released: number; overdue: number; last: string | Date | null }>(
        await tx.execute(sql`
          select count(*)::int as released,
            count(*) filter (where next_attempt_at <= ${overdueSince.toISOString()}::timestamptz)::int as overdue,
            max(next_attempt_at) as last
          from messages
          where campaign_id = ${campaign.id}::uuid and status = 'SCHEDULED' and next_attempt_at is not null`),
      );
      const released: Released = {
        released: stats!.released,
        overdue: stats!.overdue,
        last: stats!.last === null ? null : new Date(stats!.last).getTime(),
      };
      const perSecond = this.paceOf(campaign.id, cap, released, nowMs);
      const stepMs = 1000 / perSecond;
      const startMs = released.last === null ? nowMs : Math.max(nowMs, released.last + stepMs);
      const room = Math.floor((perSecond * HORIZON_MS) / 1000) - released.released;
      const fits = Math.floor((nowMs + HORIZON_MS - startMs) / stepMs) + 1;
      const n = Math.max(0, Math.min(room, fits, MAX_STEP));
      let added = 0;
      if (n > 0) {
        const result = await tx.execute(sql`
          with next as (
            select id from messages
            where campaign_id = ${campaign.id}::uuid and status = 'SCHEDULED' and next_attempt_at is null
            order by id
            limit ${n}
            for update skip locked
          ),
          spaced as (select id, row_number() over (order by id) - 1 as k from next),
          updated as (
            update messages m
            set next_attempt_at = ${new Date(startMs).toISOString()}::timestamptz
              + floor(spaced.k * ${stepMs}::float8) * interval '1 millisecond'
            from spaced where m.id = spaced.id
            returning 1
          )
          select count(*)::int as n from updated`);
        added = rowsOf<{ n: number }>(result)[0]!.n;
      }
      this.paces.set(campaign.id, { perSecond, at: nowMs, releasedAfter: released.released + added });
    });
  }

  /** This tick's pace for the campaign (see the top of the file). */
  private paceOf(id: string, cap: number, released: Released, nowMs: number): number {
    const previous = this.paces.get(id);
    if (!previous) return Math.min(cap, INITIAL_PACE);
    // What the dispatcher claimed since the last tick: the pace follows it, never its own
    // earlier value, so it cannot run ahead of the drain (messages released ahead of their due
    // time are not overdue yet, and a pace growing on that alone releases seconds of backlog
    // that single sends would then wait behind).
    const seconds = Math.max(0.001, (nowMs - previous.at) / 1000);
    const claimed = Math.max(0, previous.releasedAfter - released.released) / seconds;
    // Keeping up: at most a tick's worth was left over from the last wake-up.
    const keepingUp = released.overdue <= Math.max(1, (previous.perSecond * ACTIVE_TICK_MS) / 1000);
    if (keepingUp) return Math.min(cap, Math.max(INITIAL_PACE, claimed * GROWTH));
    return Math.min(cap, Math.max(MIN_PACE, claimed * CATCH_UP));
  }

  /** RUNNING -> COMPLETED, checked again under the campaign's lock (recipients may be added meanwhile). */
  private async settle(campaign: CampaignRow, now: Date): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      const [locked] = await tx
        .select({ status: campaigns.status })
        .from(campaigns)
        .where(eq(campaigns.id, campaign.id))
        .for('update');
      if (locked?.status !== 'RUNNING') return;
      if ((await unfinishedNow(tx, campaign.id)) > 0) return;
      await tx
        .update(campaigns)
        .set({ status: 'COMPLETED', completedAt: now, updatedAt: now })
        .where(eq(campaigns.id, campaign.id));
    });
  }

  /** Cancels a canceled campaign's remaining messages, a few chunks per tick; completedAt once none is left. */
  private async finishCanceled(campaign: CampaignRow, counters: CampaignCounters, now: Date): Promise<void> {
    if (counters.scheduled + counters.queued > 0) {
      for (let i = 0; i < CANCEL_CHUNKS_PER_TICK; i++) {
        const portion: Portion = i === 0 ? 'pending' : 'held';
        const changes = await this.deps.db.transaction((tx) =>
          cancelChunk(tx, campaign.id, portion, now, { skipLocked: true }),
        );
        if (changes.length > 0) this.deps.onChanges(changes);
        if (portion === 'held' && changes.length < CANCEL_CHUNK) break;
      }
      return;
    }
    if (counters.sending > 0) return; // in flight: their outcome first
    await this.deps.db.transaction(async (tx) => {
      const [locked] = await tx
        .select({ completedAt: campaigns.completedAt })
        .from(campaigns)
        .where(eq(campaigns.id, campaign.id))
        .for('update');
      if (!locked || locked.completedAt || (await unfinishedNow(tx, campaign.id)) > 0) return;
      await tx.update(campaigns).set({ completedAt: now, updatedAt: now }).where(eq(campaigns.id, campaign.id));
    });
  }
}

/** Messages still to be handed to a provider or in the middle of it. */
const unfinished = (c: CampaignCounters): number => c.scheduled + c.queued + c.sending;

/** The same, read from the delta rows by a statement of its own (after the campaign's lock was taken). */
async function unfinishedNow(tx: Pick<Db, 'execute'>, campaignId: string): Promise<number> {
  const rows = rowsOf<{ n: string | number | null }>(
    await tx.execute(sql`
      select sum(delta) as n from campaign_counts
      where campaign_id = ${campaignId}::uuid and status in ('SCHEDULED', 'QUEUED', 'SENDING')`),
  );
  return Number(rows[0]?.n ?? 0);
}
