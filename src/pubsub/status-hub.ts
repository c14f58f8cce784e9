import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { StatusChange } from '../messaging/status-updates.js';
import type { TemplateChange } from '../templates/lifecycle.js';
import type { Channel, MessageStatus } from '../vocabulary.js';
import { createPostgresEventTarget } from './postgres-event-target.js';

// Committed status changes, fanned out to live subscribers. The transport is an EventTarget:
// Redis pub/sub (@graphql-yoga/redis-event-target) when REDIS_URL is set, else PostgreSQL's
// LISTEN/NOTIFY on PostgreSQL (./postgres-event-target.ts), else (PGlite, one process) in-process,
// so a change committed by any Herald process (API or worker) reaches subscribers on all of
// them. Each process listens once on one topic and fans out itself, so the cost of an event is
// one message per process, not per subscriber. Its subscribers are the distinct live
// subscriptions of this process (graphql/live/ groups the sockets and streams that would receive
// the same payload), found per event through a per-tenant index.
//
// Slow subscribers: each has a bounded queue (`maxQueued`). A subscriber that falls that far
// behind is dropped, its stream ending with SubscriberTooSlowError, rather than letting memory
// grow; clients resubscribe (messageStatusChanged replays the history on subscribe).

const TOPIC = 'herald:status';
/** Ids of API keys just revoked, so every process closes their open sessions (tenancy/key-watch.ts). */
const REVOKED_KEYS_TOPIC = 'herald:revoked-keys';
/** Template review and quality changes (templates/lifecycle.ts), for templateStatusChanged. */
const TEMPLATES_TOPIC = 'herald:templates';

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

/** What a live subscriber follows: one message, or the tenant's changes that pass a filter. */
export type LiveMatch = { messageId: string } | { filter: EventFilter };

/** messageEvents' filter: every key given must match (a tag is one of the change's tags). */
export type EventFilter = {
  channel?: Channel;
  status?: MessageStatus;
  tag?: string;
  externalRef?: string;
};

type Subscriber = {
  match: LiveMatch;
  push: (change: StatusChange) => void;
  end: () => void;
};

const passes = (f: EventFilter, c: StatusChange): boolean =>
  (f.channel === undefined || c.channel === f.channel) &&
  (f.status === undefined || c.status === f.status) &&
  (f.tag === undefined || c.tags.includes(f.tag)) &&
  (f.externalRef === undefined || c.externalRef === f.externalRef);

export type StatusStream = AsyncIterableIterator<StatusChange> & {
  /** Ends the stream (the client went away). */
  close(): void;
};

/**
 * One tenant's subscribers, each in exactly one bucket: by message id, else by its filter's most
 * selective key (externalRef, tag, status, channel), else with those that take everything. An
 * event looks only into the buckets it can match, so its cost follows the subscribers it may
 * reach, not all those connected.
 */
class TenantIndex {
  readonly byMessage = new Map<string, Set<Subscriber>>();
  readonly byExternalRef = new Map<string, Set<Subscriber>>();
  readonly byTag = new Map<string, Set<Subscriber>>();
  readonly byStatus = new Map<string, Set<Subscriber>>();
  readonly byChannel = new Map<string, Set<Subscriber>>();
  readonly all = new Set<Subscriber>();
  size = 0;

  private bucket(match: LiveMatch): [Map<string, Set<Subscriber>>, string] | undefined {
    if ('messageId' in match) return [this.byMessage, match.messageId];
    const f = match.filter;
    if (f.externalRef !== undefined) return [this.byExternalRef, f.externalRef];
    if (f.tag !== undefined) return [this.byTag, f.tag];
    if (f.status !== undefined) return [this.byStatus, f.status];
    if (f.channel !== undefined) return [this.byChannel, f.channel];
    return undefined;
  }

  add(s: Subscriber): void {
    const b = this.bucket(s.match);
    if (!b) this.all.add(s);
    else {
      const set = b[0].get(b[1]) ?? new Set();
      b[0].set(b[1], set.add(s));
    }
    this.size++;
  }

  delete(s: Subscriber): void {
    const b = this.bucket(s.match);
    const set = b ? b[0].get(b[1]) : this.all;
    if (!set?.delete(s)) return;
    if (b && set.size === 0) b[0].delete(b[1]);
    this.size--;
  }

  /** Calls `deliver` for every subscriber the change matches, each once. */
  each(c: StatusChange, deliver: (s: Subscriber) => void): void {
    const filtered = (set: Set<Subscriber> | undefined) => {
      if (set) for (const s of set) if ('filter' in s.match && passes(s.match.filter, c)) deliver(s);
    };
    const forMessage = this.byMessage.get(c.messageId);
    if (forMessage) for (const s of forMessage) deliver(s);
    if (c.externalRef !== null) filtered(this.byExternalRef.get(c.externalRef));
    // A tag repeated on a message would reach its subscribers twice.
    for (const tag of new Set(c.tags)) filtered(this.byTag.get(tag));
    filtered(this.byStatus.get(c.status));
    filtered(this.byChannel.get(c.channel));
    for (const s of this.all) deliver(s);
  }
}

export class StatusHub {
  private readonly byTenant = new Map<string, TenantIndex>();
  /** Changes heard, delivered in order on a later turn of the event loop (see `enqueue`). */
  private pending: StatusChange[] = [];
  private draining = false;
  private readonly listener = (event: Event) => this.enqueue((event as CustomEvent<StatusChange[]>).detail);
  private readonly revocationListeners = new Set<(keyId: string) => void>();
  private readonly revocationListener = (event: Event) => {
    const keyId = (event as CustomEvent<unknown>).detail;
    if (typeof keyId === 'string') for (const l of this.revocationListeners) l(keyId);
  };

  private readonly templateListeners = new Set<(changes: TemplateChange[]) => void>();
  private readonly templateListener = (event: Event) => {
    const detail = (event as CustomEvent<unknown>).detail;
    if (!Array.isArray(detail)) return;
    // Across processes the dates arrive as text.
    const changes = detail.map((c: TemplateChange) => ({ ...c, occurredAt: new Date(c.occurredAt) }));
    for (const l of this.templateListeners) l(changes);
  };

  private constructor(
    private readonly target: EventTarget,
    private readonly maxQueued: number,
    private readonly closeTransport: () => Promise<void>,
  ) {
    target.addEventListener(TOPIC, this.listener);
    target.addEventListener(REVOKED_KEYS_TOPIC, this.revocationListener);
    target.addEventListener(TEMPLATES_TOPIC, this.templateListener);
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
    await subscribeClient.subscribe(TOPIC, REVOKED_KEYS_TOPIC, TEMPLATES_TOPIC);
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

  /** Publishes committed template changes to every process (this one included). */
  readonly publishTemplateChanges = (changes: TemplateChange[]): void => {
    if (changes.length > 0) this.target.dispatchEvent(new CustomEvent(TEMPLATES_TOPIC, { detail: changes }));
  };

  /** `listener` hears the template changes of every tenant, from any process; returns the unsubscribe. */
  onTemplateChanges(listener: (changes: TemplateChange[]) => void): () => void {
    this.templateListeners.add(listener);
    return () => this.templateListeners.delete(listener);
  }

  /** `listener` hears every key revoked by any process. */
  onKeyRevoked(listener: (keyId: string) => void): void {
    this.revocationListeners.add(listener);
  }

  /** Live changes of one tenant that `match`, in the order they were published. */
  subscribe(tenantId: string, match: LiveMatch): StatusStream {
    const queue: StatusChange[] = [];
    let waiting: ((r: IteratorResult<StatusChange>) => void) | undefined;
    let failWaiting: ((err: unknown) => void) | undefined;
    let ended = false;
    let failure: Error | undefined;

    const index = this.byTenant.get(tenantId) ?? new TenantIndex();
    this.byTenant.set(tenantId, index);
    const detach = () => {
      index.delete(subscriber);
      if (index.size === 0 && this.byTenant.get(tenantId) === index) this.byTenant.delete(tenantId);
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
      match,
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
    index.add(subscriber);

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
    for (const index of this.byTenant.values()) n += index.size;
    return n;
  }

  async close(): Promise<void> {
    this.target.removeEventListener(TOPIC, this.listener);
    this.target.removeEventListener(REVOKED_KEYS_TOPIC, this.revocationListener);
    this.target.removeEventListener(TEMPLATES_TOPIC, this.templateListener);
    this.revocationListeners.clear();
    const all: Subscriber[] = [];
    for (const index of this.byTenant.values()) collectAll(index, all);
    for (const s of all) s.end();
    await this.closeTransport();
  }

  /**
   * Delivery happens on a later turn of the event loop (setImmediate), in the order heard: a
   * publisher (a mutation answering its client, a webhook acknowledging) never waits for the
   * fan-out, and changes published together reach every subscriber in their order.
   */
  private enqueue(changes: StatusChange[] | null): void {
    if (!changes?.length) return;
    for (const c of changes) this.pending.push(c);
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => {
      this.draining = false;
      const batch = this.pending;
      this.pending = [];
      for (const raw of batch) this.deliver(raw);
    });
  }

  private deliver(raw: StatusChange): void {
    // Over Redis or PostgreSQL the change arrives as JSON: its dates as strings.
    const change: StatusChange =
      typeof raw.occurredAt === 'string'
        ? {
            ...raw,
            occurredAt: new Date(raw.occurredAt),
            ...(typeof raw.reportedAt === 'string' ? { reportedAt: new Date(raw.reportedAt) } : {}),
          }
        : raw;
    this.byTenant.get(change.tenantId)?.each(change, (s) => s.push(change));
  }
}

function collectAll(index: TenantIndex, into: Subscriber[]): void {
  for (const map of [index.byMessage, index.byExternalRef, index.byTag, index.byStatus, index.byChannel])
    for (const set of map.values()) into.push(...set);
  into.push(...index.all);
}
