import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import { applyProviderEvents, type StatusChange } from '../messaging/status-updates.js';
import type { ProviderStatusEvent } from '../providers/provider.js';

/**
 * Applies provider reports in the order they arrive, one transaction at a time: reports
 * arriving together (many sandbox timers in one tick) share it, and a later report of a
 * message (READ) can never overtake an earlier one (DELIVERED) in a parallel transaction.
 * Each caller resolves once its report is durable.
 */
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
      const batch = this.queue.splice(0, this.queue.length);
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
