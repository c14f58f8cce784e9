import { setTimeout as sleep } from 'node:timers/promises';
import type { DeliveryConfig } from '../config.js';
import { QUEUE_CHANNEL, type Database } from '../db/client.js';
import type { MessageRow } from '../db/schema.js';
import type { Logger } from '../log.js';
import type { MediaStore } from '../media/store.js';
import type { StatusChange, StatusListener } from '../messaging/status-updates.js';
import type { HeraldMetrics } from '../observability/metrics.js';
import type { ProviderDirectory } from '../providers/directory.js';
import { claimMessages } from './claim-messages.js';
import { Coalescer } from './coalescer.js';
import { sweepParkedReports } from './parked-reports.js';
import type { SendRateLimiter } from './rate-limit.js';
import { reconcile } from './reconcile.js';
import { recordOutcomes } from './record-outcomes.js';
import { recoverExpiredLeases } from './recover-expired-leases.js';
import { ReportQueue } from './report-queue.js';
import { MessageSender, type Outcome } from './send-message.js';

/**
 * Outcomes returning within this long of each other are recorded in one transaction. Short, so
 * that a worker killed at any moment leaves only its calls in flight sent but unrecorded.
 */
const RECORD_COALESCE_MS = 5;

export type DispatcherDeps = {
  database: Database;
  providers: ProviderDirectory;
  limiter: SendRateLimiter;
  config: DeliveryConfig;
  log: Logger;
  now: () => Date;
  onChanges: StatusListener;
  workerId: string;
  /** Where uploaded media lives, for providers that need their own copy (WhatsApp media ids). */
  mediaStore: MediaStore;
  metrics?: HeraldMetrics | undefined;
  random?: () => number;
};

/**
 * Turns queued messages into sent ones: the loop around the queue's operations. The messages
 * table is the queue; each of its operations is a file of its own with its guarantees
 * (claim-messages, record-outcomes, recover-expired-leases, reconcile, parked-reports), and
 * sending one message is send-message.ts. Here: `workers` pipelines each claim a batch, send it
 * under the providers' rate limits, and have each outcome recorded as soon as its call returns
 * (outcomes returning within a few milliseconds share a transaction), so a slow call never holds
 * finished ones unrecorded; with several pipelines the first claims single sends only; background tasks recover leases, reconcile and sweep; LISTEN/NOTIFY
 * wakes idle pipelines, polling every `pollMs` is only the fallback; `stop` drains gracefully.
 */
export class Dispatcher {
  private stopping = false;
  /** Aborted when stopping: claimed messages still waiting for their rate limit are released. */
  private readonly releaseWaiting = new AbortController();
  /** Aborted when the shutdown grace period is over: sends still in flight are abandoned. */
  private readonly abortSends = new AbortController();
  private wakeUp: (() => void) | undefined;
  /**
   * Campaign messages claimed and not yet through their provider call: at most
   * `campaignInFlight` (and one batch) per process. More would only queue at the provider (and
   * for its connections) ahead of single sends, not drain the campaign faster.
   */
  private campaignInFlight = 0;
  private wakePending = false;
  private pipelines: Promise<void>[] = [];
  private timers: NodeJS.Timeout[] = [];
  private unlisten: (() => Promise<void>) | undefined;

  private readonly sender: MessageSender;
  private readonly recorder: Coalescer<Outcome>;
  private readonly reports: ReportQueue;

  constructor(private readonly deps: DispatcherDeps) {
    const db = deps.database.db;
    this.sender = new MessageSender({
      db,
      providers: deps.providers,
      limiter: deps.limiter,
      config: deps.config,
      now: deps.now,
      mediaStore: deps.mediaStore,
      metrics: deps.metrics,
      releaseWaiting: this.releaseWaiting.signal,
      abortSends: this.abortSends.signal,
    });
    const recordDeps = {
      db,
      providers: deps.providers,
      retry: deps.config.retry,
      random: deps.random,
      now: deps.now,
      workerId: deps.workerId,
      log: deps.log,
    };
    this.recorder = new Coalescer(async (outcomes) => this.publish(await recordOutcomes(outcomes, recordDeps)), {
      delayMs: RECORD_COALESCE_MS,
      maxItems: Math.max(50, deps.config.batchSize),
    });
    this.reports = new ReportQueue({ db, now: deps.now, log: deps.log, publish: (changes) => this.publish(changes) });
  }

  async start(): Promise<void> {
    this.unlisten = await this.deps.database.listen(QUEUE_CHANNEL, () => this.wake());
    this.deps.providers.startReporting(this.reports.apply);
    const { leaseMs, reconcileAfterMs, workers } = this.deps.config;
    this.every(Math.max(250, Math.floor(leaseMs / 4)), () => this.recoverExpiredLeases());
    this.every(Math.max(100, Math.floor(reconcileAfterMs / 2)), () =>
      reconcile(this.deps.database.db, this.deps.providers, this.reports.apply, {
        now: this.deps.now,
        reconcileAfterMs,
      }),
    );
    this.every(this.deps.config.parkedReports.sweepMs, () => this.sweepParkedReports());
    // With several pipelines the first claims single sends only: a single send then never
    // waits for a batch of campaign messages to finish before it is claimed.
    this.pipelines = Array.from({ length: workers }, (_, i) => this.pipeline(!(i === 0 && workers > 1)));
  }

  /** Claims now instead of at the next poll (a message became due). */
  wake(): void {
    this.wakePending = true;
    this.wakeUp?.();
  }

  /** Stops claiming, gives in-flight sends `graceMs`, then releases what is left. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.releaseWaiting.abort();
    this.wake();
    for (const t of this.timers) clearInterval(t);
    const abortLater = setTimeout(() => this.abortSends.abort(), graceMs);
    await Promise.allSettled(this.pipelines);
    clearTimeout(abortLater);
    await this.unlisten?.().catch(() => {});
    await this.deps.providers.stop();
  }

  private every(ms: number, task: () => Promise<unknown>): void {
    let running = false;
    const timer = setInterval(() => {
      if (running || this.stopping) return;
      running = true;
      task()
        .catch((err) => this.deps.log.error({ err }, 'delivery background task failed'))
        .finally(() => (running = false));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private async pipeline(takesCampaigns: boolean): Promise<void> {
    while (!this.stopping) {
      try {
        const claimed = await this.claim(takesCampaigns);
        if (claimed.length === 0) await this.idle();
        else await this.process(claimed);
      } catch (err) {
        this.deps.log.error({ err }, 'dispatch cycle failed');
        await sleep(this.deps.config.pollMs);
      }
    }
  }

  private idle(): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.deps.config.pollMs);
      const previous = this.wakeUp;
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakePending = false;
        previous?.();
        done();
      };
    }).finally(() => (this.wakeUp = undefined));
  }

  private async claim(takesCampaigns: boolean): Promise<MessageRow[]> {
    const { leaseMs, batchSize } = this.deps.config;
    // Reserved before the claim, so that pipelines claiming at once do not exceed it together.
    const cap = Math.min(batchSize, this.deps.config.campaignInFlight);
    const campaignLimit = takesCampaigns ? Math.max(0, cap - this.campaignInFlight) : 0;
    this.campaignInFlight += campaignLimit;
    let claimedCampaign = 0;
    try {
      const { rows, changes } = await claimMessages(this.deps.database.db, {
        now: this.deps.now(),
        leaseMs,
        batchSize,
        campaignLimit,
        workerId: this.deps.workerId,
      });
      claimedCampaign = rows.filter((r) => r.campaignId !== null).length;
      this.publish(changes);
      return rows;
    } finally {
      this.campaignInFlight -= campaignLimit - claimedCampaign;
    }
  }

  /** Sends a claimed batch; each outcome is recorded as soon as its call returns. */
  private async process(rows: MessageRow[]): Promise<void> {
    const send = async (row: MessageRow) => {
      try {
        return await this.sender.send(row);
      } finally {
        if (row.campaignId !== null) this.campaignInFlight--;
      }
    };
    const done = await Promise.allSettled(rows.map(async (row) => this.recorder.add(await send(row))));
    // The next claim waits until the whole batch is on record (or left to its lease).
    const failed = done.find((d): d is PromiseRejectedResult => d.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async recoverExpiredLeases(): Promise<void> {
    const changes = await recoverExpiredLeases(this.deps.database.db, this.deps.now());
    if (changes.length > 0) {
      this.deps.log.warn({ count: changes.length }, 'recovered messages from expired leases');
      this.publish(changes);
      this.wake();
    }
  }

  private async sweepParkedReports(): Promise<void> {
    const { expired, overCap } = await sweepParkedReports(
      this.deps.database.db,
      this.deps.config.parkedReports,
      this.deps.now(),
    );
    // Counts only: a report's ids and payload are the provider's and the recipient's business.
    if (expired > 0) this.deps.log.info({ expired }, 'expired parked provider reports');
    if (Object.keys(overCap).length > 0)
      this.deps.log.warn({ dropped: overCap }, 'parked provider reports over the cap dropped, oldest first');
  }

  private publish(changes: StatusChange[]): void {
    if (changes.length > 0) this.deps.onChanges(changes);
  }
}
