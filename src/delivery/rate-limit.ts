import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

// Send rate limits per provider or sender, shared by every process through Redis (or held in
// this process on embedded PGlite). A limited send waits; the limit is never exceeded in any
// sliding 1 s window, which fixed windows alone would allow twice over at a window boundary.

export interface SendRateLimiter {
  /**
   * Resolves when one send for `key` may go out now at `perSecond`; waits (never rejects for
   * being limited). Rejects with `signal.reason` if `signal` aborts, and with the store's error
   * if Redis fails (after ioredis' own retries), so the caller reschedules rather than
   * sending unmetered.
   */
  acquire(key: string, perSecond: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * The sub-windows that keep every sliding 1 s window at or under N = `perSecond`.
 *
 * Each window (length W) admits at most p sends, and windows never overlap. A 1 s interval
 * [t, t + 1 s) only meets windows that start inside (t − W, t + 1 s), an interval of length
 * 1 s + W; with starts at least W ≥ 1 s / k apart, that is at most k + 1 windows, so at most
 * (k + 1)·p sends. Hence, for N ≥ 2:
 *   k = min(10, N − 1),  W = ceil(1000 / k) ms,  p = floor(N / (k + 1)),
 * sustaining up to p·1000/W sends per second: 40/s for N = 50, 70/s for 80, 900/s for 1000,
 * about N − 1 for N ≤ 11. For N = 1 (k = 1, p = 1): a window opens with the send that
 * creates it, so one point per 1 s window puts consecutive sends at least 1 s apart.
 */
export function subWindows(perSecond: number): { windowMs: number; points: number } {
  if (!(perSecond >= 1)) throw new RangeError(`rate limit must be at least 1 per second, got ${perSecond}`);
  const n = Math.floor(perSecond);
  const k = Math.max(1, Math.min(10, n - 1));
  return { windowMs: Math.ceil(1000 / k), points: Math.max(1, Math.floor(n / (k + 1))) };
}

/** What a limit of `perSecond` sustains with its sub-windows (e.g. 180/s for 200). */
export function sustainedRate(perSecond: number): number {
  const { windowMs, points } = subWindows(perSecond);
  return (points * 1000) / windowMs;
}

// rate-limiter-flexible 11.4's RateLimiterRedis truncates `duration` to whole seconds (0 for
// 0.1 s, which leaves the counter without an expiry, blocking the key for ever), while
// RateLimiterMemory honours fractions. For Redis we keep its documented
// `customIncrTtlLuaScript` hook with the same script shape as the library's own, with PX
// (milliseconds) instead of EX; the hook runs only for `duration >= 1`, so `duration` is 1 and
// unused. The window starts on Redis' clock at the first send, as in memory. ioredis defines a
// script per connection under one name, so each window length gets a connection of its own.
const incrWithPx = (windowMs: number) => `
redis.call('set', KEYS[1], 0, 'PX', ${windowMs}, 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
return {consumed, redis.call('pttl', KEYS[1])}`;

export function createRateLimiter(opts: { redis?: Redis | string | undefined; prefix?: string } = {}): SendRateLimiter {
  const keyPrefix = opts.prefix ?? 'herald:send-rate';
  const limiters = new Map<number, { limiter: RateLimiterAbstract; windowMs: number }>(); // by perSecond
  const connections = new Map<number, Redis>(); // by window length, see incrWithPx

  function connection(windowMs: number): Redis {
    let redis = connections.get(windowMs);
    if (!redis) {
      redis = typeof opts.redis === 'string' ? new Redis(opts.redis) : opts.redis!.duplicate();
      connections.set(windowMs, redis);
    }
    return redis;
  }

  function limiterFor(perSecond: number) {
    let entry = limiters.get(perSecond);
    if (!entry) {
      const { windowMs, points } = subWindows(perSecond);
      const limiter =
        opts.redis === undefined
          ? new RateLimiterMemory({ keyPrefix, points, duration: windowMs / 1000 })
          : new RateLimiterRedis({
              storeClient: connection(windowMs),
              keyPrefix,
              points,
              duration: 1,
              customIncrTtlLuaScript: incrWithPx(windowMs),
            });
      entry = { limiter, windowMs };
      limiters.set(perSecond, entry);
    }
    return entry;
  }

  return {
    async acquire(key, perSecond, signal) {
      const { limiter, windowMs } = limiterFor(perSecond);
      for (;;) {
        signal?.throwIfAborted();
        try {
          await limiter.consume(key);
          return;
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err; // the store failed, not a limit
          // Limited until the window ends; jitter (up to 5% of W) keeps processes from
          // retrying in lockstep. An abort ends the sleep early and the check above throws.
          const delay = Math.max(0, err.msBeforeNext) + Math.random() * windowMs * 0.05;
          await sleep(delay, undefined, signal ? { signal } : {}).catch(() => {});
        }
      }
    },
    async close() {
      const open = [...connections.values()];
      connections.clear();
      limiters.clear();
      await Promise.all(open.map((redis) => redis.quit().catch(() => redis.disconnect())));
    },
  };
}
