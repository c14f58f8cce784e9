import { and, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { apiKeys } from '../db/schema.js';

// Long-lived sessions (WebSocket connections, SSE and WebSocket subscriptions) authenticate
// once, so revoking a key must reach them. Bounds:
// - revoked through this process: its sessions close at once;
// - revoked through another process: at once when the processes share Redis (the notice
//   travels over the status hub), otherwise, or should a notice be lost, within `recheckMs`,
//   when the keys of open sessions are looked up again.

export type KeyWatchOptions = {
  /** How often the keys of open sessions are checked against the database. */
  recheckMs: number;
  /** Called once per revoked key seen here (drop cached principals). */
  forget: (keyId: string) => void;
  /** Tells the other processes (the status hub); absent in a single process. */
  broadcast?: (keyId: string) => void;
  onError: (err: unknown) => void;
};

export class KeyWatch {
  private readonly sessions = new Map<string, Set<() => void>>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly db: Db,
    private readonly opts: KeyWatchOptions,
  ) {}

  /** Calls `onRevoked` once if the key is revoked while watched; returns the unwatch function. */
  watch(keyId: string, onRevoked: () => void): () => void {
    let set = this.sessions.get(keyId);
    if (!set) {
      set = new Set();
      this.sessions.set(keyId, set);
    }
    set.add(onRevoked);
    return () => {
      set.delete(onRevoked);
      if (set.size === 0 && this.sessions.get(keyId) === set) this.sessions.delete(keyId);
    };
  }

  /** Open sessions being watched in this process (tests, metrics). */
  get size(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.size;
    return n;
  }

  /** The key was revoked by this process: end its sessions here and tell the others. */
  revoked(keyId: string): void {
    this.end(keyId);
    this.opts.broadcast?.(keyId);
  }

  /** Another process revoked the key. */
  heard(keyId: string): void {
    this.end(keyId);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.recheck(), this.opts.recheckMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Looks up the keys of open sessions; ends those revoked meanwhile. */
  async recheck(): Promise<void> {
    if (this.checking || this.sessions.size === 0) return;
    this.checking = true;
    try {
      const ids = [...this.sessions.keys()];
      const rows = await this.db
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(and(inArray(apiKeys.id, ids), isNotNull(apiKeys.revokedAt)));
      for (const { id } of rows) this.end(id);
    } catch (err) {
      this.opts.onError(err);
    } finally {
      this.checking = false;
    }
  }

  private end(keyId: string): void {
    this.opts.forget(keyId);
    const set = this.sessions.get(keyId);
    if (!set) return;
    this.sessions.delete(keyId);
    for (const onRevoked of set) onRevoked();
  }
}
