import type { ConsoleMessageEventsSubscription, MessageFilter, MessageRowFragment, MessageStatus } from './gql/graphql';

export type Row = Pick<
  MessageRowFragment,
  'messageId' | 'channel' | 'to' | 'status' | 'statusAt' | 'externalRef' | 'tags' | 'provider'
> & { createdAt: string | null };

type StatusEvent = ConsoleMessageEventsSubscription['messageEvents'];

/** Rows kept in the browser; older ones are dropped from the bottom (the query pages them back). */
export const MAX_ROWS = 20_000;

/**
 * The live table's rows: the `messages` page, then the `messageEvents` feed applied in batches,
 * at most once per animation frame, so 1,000 events a second cost ~60 renders, not 1,000.
 */
export class LiveRows {
  private byId = new Map<string, Row>();
  private order: string[] = [];
  private pending: StatusEvent[] = [];
  private scheduled = false;
  private listeners = new Set<() => void>();
  /** Changes on every applied batch (what React compares). */
  version = 0;
  /** Events applied so far (for the rate shown). */
  applied = 0;

  constructor(private filter: MessageFilter) {}

  rows(): { count: number; at(index: number): Row | undefined } {
    const { order, byId } = this;
    return { count: order.length, at: (index) => byId.get(order[index] ?? '') };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The query's page: replaces what is shown; events received meanwhile are applied after it. */
  reset(rows: Row[]): void {
    this.byId = new Map(rows.map((row) => [row.messageId, row]));
    this.order = rows.map((row) => row.messageId);
    this.flush();
  }

  /** An older page appended at the bottom. */
  appendOlder(rows: Row[]): void {
    for (const row of rows) {
      if (this.byId.has(row.messageId)) continue;
      this.byId.set(row.messageId, row);
      this.order.push(row.messageId);
    }
    this.flush();
  }

  push(event: StatusEvent): void {
    this.pending.push(event);
    if (this.scheduled) return;
    this.scheduled = true;
    // A hidden tab gets no animation frames: a timer keeps the batch bounded there.
    if (document.hidden) setTimeout(() => this.flush(), 500);
    else requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const events = this.pending;
    this.pending = [];
    const added: string[] = [];
    for (const event of events) {
      const row = this.byId.get(event.messageId);
      if (row) {
        // The feed is in order per message; a page read after an event may already be newer.
        if (row.statusAt > event.occurredAt) continue;
        this.byId.set(event.messageId, { ...row, status: event.status, statusAt: event.occurredAt });
      } else if (this.admits(event)) {
        this.byId.set(event.messageId, {
          messageId: event.messageId,
          channel: event.channel,
          to: event.to,
          status: event.status,
          statusAt: event.occurredAt,
          createdAt: event.previousStatus === null || event.previousStatus === undefined ? event.occurredAt : null,
          externalRef: event.externalRef ?? null,
          tags: event.tags,
          provider: null,
        });
        added.push(event.messageId);
      }
    }
    this.applied += events.length;
    if (added.length > 0) {
      added.reverse();
      this.order = added.concat(this.order);
      if (this.order.length > MAX_ROWS) {
        for (const id of this.order.splice(MAX_ROWS)) this.byId.delete(id);
      }
    }
    this.version++;
    for (const listener of this.listeners) listener();
  }

  /** Whether a message first seen in the feed belongs in the table under the filters. */
  private admits(event: StatusEvent): boolean {
    const f = this.filter;
    if (f.createdBefore && new Date(f.createdBefore) <= new Date(event.occurredAt)) return false;
    if (f.status && f.status !== event.status) return false;
    if (f.to && normalise(f.to) !== normalise(event.to)) return false;
    // Events do not name their campaign: under a campaign filter only the rows listed move.
    if (f.campaign) return false;
    // channel, tag and externalRef are filtered by the subscription itself.
    return true;
  }
}

const normalise = (to: string): string => (to.includes('@') ? to.trim().toLowerCase() : to.replace(/[^\d]/g, ''));

export const FINAL: ReadonlySet<MessageStatus> = new Set(['READ', 'FAILED', 'UNDELIVERED', 'EXPIRED', 'CANCELED']);
