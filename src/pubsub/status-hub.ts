import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { StatusChange } from '../messaging/status-updates.js';
import { createPostgresEventTarget } from './postgres-event-target.js';

// Committed status changes, fanned out to live subscribers. The transport is an EventTarget:
// Redis pub/sub (@graphql-yoga/redis-event-target) when REDIS_URL is set, else PostgreSQL's
// LISTEN/NOTIFY on PostgreSQL (./postgres-event-target.ts), else (PGlite, one process) in-process,
// so a change committed by any Herald process (API or worker) reaches subscribers on all of
// them. Each process listens once on one topic and fans out itself, so the cost of an event is
// one message per process, not per subscriber.
//
// Slow subscribers: each has a bounded queue (`maxQueued`). A subscriber that falls that far
// behind is dropped, its stream ending with SubscriberTooSlowError, rather than letting memory
// grow; clients resubscribe (messageStatusChanged replays the history on subscribe).

const TOPIC = 'herald:status';
/** Ids of API keys just revoked, so every process closes their open sessions (tenancy/key-watch.ts). */
const REVOKED_KEYS_TOPIC = 'herald:revoked-keys';

/** A provider's error text can be long; the live event carries its start (the history keeps it whole). */
const LIVE_ERROR_MESSAGE_CHARS = 1000;

function shortenErrorMessage(item: unknown): unknown {
  const change = item as StatusChange;
  return change.errorMessage && change.errorMessage.length > LIVE_ERROR_MESSAGE_CHARS
    ? { ...change, errorMessage: `${change.errorMessage.slice(0, LIVE_ERROR_MESSAGE_CHARS)}…` }
    : change;
}

export class SubscriberTooSlowError extends Error {
  constructor() {
    super('subscription dropped: the client did not keep up with its events; subscribe again');
  }
}

type Subscriber = {
  accepts: (change: StatusChange) => boolean;
  push: (change: StatusChange) => void;
  end: () => void;
};

export type StatusStream = AsyncIterableIterator<StatusChange> & {
  /** Ends the stream (the client went away). */
  close(): void;
};

export class StatusHub {
  private readonly byTenant = new Map<string, Set<Subscriber>>();
  private readonly listener = (event: Event) => this.deliver((event as CustomEvent<StatusChange[]>).detail);
  private readonly revocationListeners = new Set<(keyId: string) => void>();
  private readonly revocationListener = (event: Event) => {
    const keyId = (event as CustomEvent<unknown>).detail;
    if (typeof keyId === 'string') for (const l of this.revocationListeners) l(keyId);
  };

  private constructor(
    private readonly target: EventTarget,
    private readonly maxQueued: number,
    private readonly closeTransport: () => Promise<void>,
  ) {
    target.addEventListener(TOPIC, this.listener);
    target.addEventListener(REVOKED_KEYS_TOPIC, this.revocationListener);
  }

  /**
   * The transport the configuration calls for: Redis, else PostgreSQL, else in-process.
   * `publishOnly`: this process only publishes (a dispatch process); on PostgreSQL it then does
   * not LISTEN, so its own subscribers, if any, would hear nothing.
   */
  static open(
    config: Pick<Config, 'redisUrl' | 'databaseUrl'>,
    log: Logger,
    { publishOnly = false }: { publishOnly?: boolean } = {},
  ): Promise<StatusHub> {
    if (config.redisUrl) return StatusHub.redis(config.redisUrl);
    if (config.databaseUrl) return StatusHub.postgres(config.databaseUrl, log, { publishOnly });
    return Promise.resolve(StatusHub.inProcess());
  }

  static inProcess(maxQueued = 1000): StatusHub {
    const target = new EventTarget();
    setMaxListeners(0, target);
    return new StatusHub(target, maxQueued, async () => {});
  }

  static async redis(url: string, maxQueued = 1000): Promise<StatusHub> {
    const publishClient = new Redis(url);
    const subscribeClient = new Redis(url);
    // Subscribed before the first publish can matter.
    await subscribeClient.subscribe(TOPIC, REVOKED_KEYS_TOPIC);
    const target = createRedisEventTarget({ publishClient, subscribeClient }) as unknown as EventTarget;
    return new StatusHub(target, maxQueued, async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    });
  }

  static async postgres(
    url: string,
    log: Logger,
    { publishOnly = false, maxQueued = 1000 }: { publishOnly?: boolean; maxQueued?: number } = {},
  ): Promise<StatusHub> {
    const { target, close } = await createPostgresEventTarget(
      url,
      (err, what) => log.error({ err }, `status events: ${what}`),
      { publishOnly, shrink: shortenErrorMessage },
    );
    return new StatusHub(target, maxQueued, close);
  }

  /** Publishes changes that have been committed. */
  readonly publish = (changes: StatusChange[]): void => {
    if (changes.length > 0) this.target.dispatchEvent(new CustomEvent(TOPIC, { detail: changes }));
  };

  /** Tells every process (this one included) that an API key was revoked. */
  readonly publishKeyRevoked = (keyId: string): void => {
    this.target.dispatchEvent(new CustomEvent(REVOKED_KEYS_TOPIC, { detail: keyId }));
  };

  /** `listener` hears every key revoked by any process. */
  onKeyRevoked(listener: (keyId: string) => void): void {
    this.revocationListeners.add(listener);
  }

  /** Live changes of one tenant that pass `accepts`, in the order they were published. */
  subscribe(tenantId: string, accepts: (change: StatusChange) => boolean): StatusStream {
    const queue: StatusChange[] = [];
    let waiting: ((r: IteratorResult<StatusChange>) => void) | undefined;
    let failWaiting: ((err: unknown) => void) | undefined;
    let ended = false;
    let failure: Error | undefined;

    const subscribers = this.byTenant.get(tenantId) ?? new Set<Subscriber>();
    this.byTenant.set(tenantId, subscribers);
    const detach = () => {
      subscribers.delete(subscriber);
      if (subscribers.size === 0) this.byTenant.delete(tenantId);
    };
    const end = (err?: Error) => {
      if (ended) return;
      ended = true;
      failure = err;
      detach();
      if (err && failWaiting) failWaiting(err);
      else waiting?.({ value: undefined, done: true });
      waiting = failWaiting = undefined;
    };
    const subscriber: Subscriber = {
      accepts,
      end: () => end(),
      push: (change) => {
        if (waiting) {
          const resolve = waiting;
          waiting = failWaiting = undefined;
          resolve({ value: change, done: false });
        } else if (queue.length >= this.maxQueued) {
          queue.length = 0;
          end(new SubscriberTooSlowError());
        } else {
          queue.push(change);
        }
      },
    };
    subscribers.add(subscriber);

    const stream: StatusStream = {
      next: () => {
        if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
        if (failure) return Promise.reject(failure);
        if (ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          waiting = resolve;
          failWaiting = reject;
        });
      },
      return: () => {
        end();
        return Promise.resolve({ value: undefined, done: true });
      },
      close: () => end(),
      [Symbol.asyncIterator]: () => stream,
    };
    return stream;
  }

  /** Subscribers currently attached in this process (for metrics and tests). */
  get size(): number {
    let n = 0;
    for (const s of this.byTenant.values()) n += s.size;
    return n;
  }

  async close(): Promise<void> {
    this.target.removeEventListener(TOPIC, this.listener);
    this.target.removeEventListener(REVOKED_KEYS_TOPIC, this.revocationListener);
    this.revocationListeners.clear();
    for (const subscribers of [...this.byTenant.values()]) for (const s of [...subscribers]) s.end();
    await this.closeTransport();
  }

  private deliver(changes: StatusChange[] | null): void {
    for (const raw of changes ?? []) {
      // Over Redis or PostgreSQL the change arrives as JSON: its dates as strings.
      const change: StatusChange =
        typeof raw.occurredAt === 'string'
          ? {
              ...raw,
              occurredAt: new Date(raw.occurredAt),
              ...(typeof raw.reportedAt === 'string' ? { reportedAt: new Date(raw.reportedAt) } : {}),
            }
          : raw;
      for (const s of this.byTenant.get(change.tenantId) ?? []) if (s.accepts(change)) s.push(change);
    }
  }
}
