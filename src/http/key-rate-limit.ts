// Per-API-key request limit for every API route (GraphQL, REST, uploads), checked before a
// request's body is read. A token bucket per key: `perSecond` tokens a second up to `burst`,
// one per request; a refused request takes nothing. Buckets live in one insertion-ordered Map
// capped at `maxKeys`: the least recently seen key is dropped first, so memory stays bounded
// however many keys call (a dropped key only starts again with a full bucket).
// Per process, like the authenticator cache: N API processes allow N times the rate.

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type KeyRateLimitOptions = {
  perSecond: number;
  burst: number;
  maxKeys?: number;
  /** Milliseconds, monotonic; injectable for tests. */
  now?: () => number;
};

type Bucket = { tokens: number; at: number };

export class KeyRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly opts: KeyRateLimitOptions) {
    this.maxKeys = opts.maxKeys ?? 100_000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Keys currently tracked (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  take(keyId: string): RateDecision {
    const { perSecond, burst } = this.opts;
    const now = this.now();
    const previous = this.buckets.get(keyId);
    // Re-inserted on every use: the Map's first entry is always the least recently seen key.
    if (previous) this.buckets.delete(keyId);
    const tokens = previous ? Math.min(burst, previous.tokens + ((now - previous.at) / 1000) * perSecond) : burst;
    const allowed = tokens >= 1;
    this.buckets.set(keyId, { tokens: allowed ? tokens - 1 : tokens, at: now });
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    if (allowed) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perSecond)) };
  }
}
