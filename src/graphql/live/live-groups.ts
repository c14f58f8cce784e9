import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ExecutionResult } from 'graphql';

// Live subscriptions grouped by what they receive. Sockets and SSE streams that subscribed to
// the same thing (tenant, scopes, document, operation, variables: see live-key.ts) are members of
// one group, and the group runs the subscription once: one source (the Pothos field's
// `subscribe`, one status-hub subscriber), one graphql-js execution and one serialisation per
// event, whose bytes every member writes as they are.
//
// A field says how its subscribers may share (its `extensions.live`, live-key.ts):
//   'shared'  one stream for all: a member sees the events after it joined (messageEvents);
//   'latest'  the same, and a member joining late gets the last payload at once (a state such
//             as campaignProgress, whose first emission is the current state);
//   'own'     a group of one (messageStatusChanged replays its history to each subscriber).

/** One subscriber of a group: a graphql-ws subscription on a socket, or an SSE stream. */
export interface Member {
  /** One result, with its JSON encoded once for the whole group. */
  deliver(result: ExecutionResult, json: Buffer): void;
  /** The group's stream ended (`err` if it failed); the member is already out of the group. */
  end(err?: unknown): void;
}

export type SharePolicy = 'shared' | 'latest' | 'own';

/** Runs the group's subscription once: a stream of results, or one result (refused, failed). */
export type StartGroup = () => Promise<AsyncIterable<ExecutionResult> | ExecutionResult>;

type Group = {
  key: string;
  policy: SharePolicy;
  members: Set<Member>;
  source?: AsyncIterator<ExecutionResult>;
  last?: { result: ExecutionResult; json: Buffer };
  ended: boolean;
};

/**
 * Members written to before the event loop is given back: a broadcast to 10,000 sockets does
 * not hold it for the whole broadcast (requests and other groups' events go in between).
 */
const CHUNK = 500;

export class LiveGroups {
  private readonly groups = new Map<string, Group>();
  private ownKeys = 0;
  private memberCount = 0;

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Live subscriptions (members) in this process. */
  get members(): number {
    return this.memberCount;
  }

  /** Distinct subscriptions executed (groups) in this process. */
  get size(): number {
    return this.groups.size;
  }

  /**
   * Adds `member` to the group of `key`, starting the group if it is the first. Returns `leave`:
   * the member's way out (unsubscribed, socket closed); the last one out stops the group's source.
   */
  join(key: string, policy: SharePolicy, start: StartGroup, member: Member): () => void {
    const k = policy === 'own' ? `own:${++this.ownKeys}` : key;
    let group = this.groups.get(k);
    if (!group) {
      group = { key: k, policy, members: new Set(), ended: false };
      this.groups.set(k, group);
      void this.run(group, start);
    }
    group.members.add(member);
    this.memberCount++;
    if (group.last) member.deliver(group.last.result, group.last.json);
    const g = group;
    return () => this.leave(g, member);
  }

  private leave(group: Group, member: Member): void {
    if (!group.members.delete(member)) return;
    this.memberCount--;
    if (group.members.size === 0) this.stop(group);
  }

  /** No member left, or the stream ended: forget the group, stop its source. */
  private stop(group: Group): void {
    if (this.groups.get(group.key) === group) this.groups.delete(group.key);
    if (group.ended) return;
    group.ended = true;
    // Not awaited: a source parked in a timer (heartbeat) ends when it wakes.
    group.source?.return?.().catch(() => {});
  }

  private async run(group: Group, start: StartGroup): Promise<void> {
    let failure: unknown;
    try {
      const started = await start();
      if (!isAsyncIterable(started)) {
        await this.fanOut(group, started);
        return;
      }
      const source = started[Symbol.asyncIterator]();
      group.source = source;
      // Everyone left while it started.
      if (group.ended) return void source.return?.().catch(() => {});
      for (;;) {
        const next = await source.next();
        if (next.done || group.ended) break;
        await this.fanOut(group, next.value);
      }
    } catch (err) {
      failure = err;
    } finally {
      this.stop(group);
      const members = [...group.members];
      this.memberCount -= members.length;
      group.members.clear();
      for (const m of members) {
        try {
          m.end(failure);
        } catch (err) {
          this.onError(err);
        }
      }
    }
  }

  /** One serialisation, then the same bytes to every member, a chunk at a time. */
  private async fanOut(group: Group, result: ExecutionResult): Promise<void> {
    const json = Buffer.from(JSON.stringify(result));
    if (group.policy === 'latest') group.last = { result, json };
    const members = [...group.members];
    for (let i = 0; i < members.length; i += CHUNK) {
      if (i > 0) await nextTurn();
      for (const m of members.slice(i, i + CHUNK)) {
        // Gone meanwhile (unsubscribed, socket closed).
        if (!group.members.has(m)) continue;
        try {
          m.deliver(result, json);
        } catch (err) {
          this.onError(err);
        }
      }
    }
  }
}

function isAsyncIterable(x: unknown): x is AsyncIterable<ExecutionResult> {
  return typeof (x as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}
