import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import { applyProviderEvents, type StatusChange } from '../messaging/status-updates.js';
import type { ProviderStatusEvent } from '../providers/provider.js';

/**
 * Applies provider reports in the order they arrive, one transaction at a time: reports
 * arriving together (many sandbox timers in one tick) share it, and a later report of a
 * message (READ) can never overtake an earlier one (DELIVERED) in a parallel transaction.
 * Each caller resolves once its report is durable. A transaction takes at most about
 * MAX_EVENTS_PER_TRANSACTION reports: a campaign draining makes thousands arrive at once, and one
 * statement for all of them outgrows the query builder's stack and PostgreSQL's parameter limit.
 */
const MAX_EVENTS_PER_TRANSACTION = 500;

/** How many queued calls the next transaction takes: at least one, then up to the cap of reports. */
function batchLength(queue: ReadonlyArray<{ events: readonly unknown[] }>): number {
  let events = queue[0]!.events.length;
  let n = 1;
  while (n < queue.length && events + queue[n]!.events.length <= MAX_EVENTS_PER_TRANSACTION)
    events += queue[n++]!.events.length;
  return n;
}

export class ReportQueue {
  private flushing = false;
  private queue: Array<{ events: ProviderStatusEvent[]; resolve: () => void; reject: (err: unknown) => void }> = [];

  constructor(
    private readonly deps: {
      db: Db;
      now: () => Date;
      log: Logger;
      publish: (changes: StatusChange[]) => void;
    },
  ) {}

  readonly apply = (events: ProviderStatusEvent[]): Promise<void> =>
    new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, batchLength(this.queue));
      try {
        this.deps.publish(
          await applyProviderEvents(
            this.deps.db,
            batch.flatMap((b) => b.events),
            this.deps.now(),
          ),
        );
        for (const b of batch) b.resolve();
      } catch (err) {
        this.deps.log.warn({ err }, 'applying provider reports failed');
        for (const b of batch) b.reject(err);
      }
    }
    this.flushing = false;
  }
}
