import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, subWindows, type SendRateLimiter } from '../src/delivery/rate-limit.js';

// The send rate limiter: never more than the limit in any sliding 1 s window, in one process
// (memory) and across limiter instances sharing Redis, without being needlessly slow.

const now = () => performance.timeOrigin + performance.now();

/** The most events inside any window [t, t + windowMs). */
function maxInSlidingWindow(timestamps: readonly number[], windowMs = 1000): number {
  const ts = [...timestamps].sort((a, b) => a - b);
  let max = 0;
  for (let first = 0, last = 0; last < ts.length; last++) {
    while (ts[last]! - ts[first]! >= windowMs) first++;
    max = Math.max(max, last - first + 1);
  }
  return max;
}

/** `count` concurrent acquires; the time each one resolved. */
async function acquireAll(limiter: SendRateLimiter, key: string, perSecond: number, count: number): Promise<number[]> {
  const stamps: number[] = [];
  await Promise.all(
    Array.from({ length: count }, () => limiter.acquire(key, perSecond).then(() => stamps.push(now()))),
  );
  return stamps;
}

/** Sends per second from the start to the last send. */
const averageRate = (stamps: number[], start: number) => (stamps.length / (Math.max(...stamps) - start)) * 1000;

describe('send rate limiter', () => {
  it('counts events in sliding windows, not fixed ones', () => {
    expect(maxInSlidingWindow([])).toBe(0);
    expect(maxInSlidingWindow([0, 500, 999])).toBe(3);
    expect(maxInSlidingWindow([0, 999, 1000])).toBe(2);
    // 3 at the end of one fixed second and 3 at the start of the next: 6 within 20 ms.
    expect(maxInSlidingWindow([990, 995, 999, 1000, 1005, 1010, 3000])).toBe(6);
  });

  it('chooses sub-windows that bound every 1 s window, with at least one send each', () => {
    for (let n = 1; n <= 2000; n++) {
      const { windowMs, points } = subWindows(n);
      expect(points).toBeGreaterThanOrEqual(1);
      // A 1 s window meets at most ceil(1000 / W) + 1 windows; for N = 1 each window holds its opening send only.
      if (n > 1) expect(points * (Math.ceil(1000 / windowMs) + 1)).toBeLessThanOrEqual(n);
      else expect(windowMs).toBe(1000);
    }
    expect(subWindows(50)).toEqual({ windowMs: 100, points: 4 });
    expect(() => subWindows(0)).toThrow(RangeError);
  });

  it('holds 50/s in memory over 120 concurrent sends, at a useful rate', async () => {
    const limiter = createRateLimiter({});
    try {
      const start = now();
      const stamps = await acquireAll(limiter, 'whatsapp:+14155550100', 50, 120);
      expect(stamps).toHaveLength(120);
      expect(maxInSlidingWindow(stamps)).toBeLessThanOrEqual(50);
      expect(averageRate(stamps, start)).toBeGreaterThanOrEqual(30);
    } finally {
      await limiter.close();
    }
  });

  it('keeps separate keys and limits apart', async () => {
    const limiter = createRateLimiter({});
    try {
      const start = now();
      // Each fits in one window (4 or 7 per 100 ms); shared counters would make one wait 100 ms.
      await Promise.all([
        acquireAll(limiter, 'a', 50, 4),
        acquireAll(limiter, 'b', 50, 4),
        acquireAll(limiter, 'a', 80, 7),
      ]);
      expect(now() - start).toBeLessThan(90);
    } finally {
      await limiter.close();
    }
  });

  it('waits while limited and rejects only when the signal aborts', async () => {
    const limiter = createRateLimiter({});
    try {
      await limiter.acquire('sender', 2); // 1 per 1 s window
      const controller = new AbortController();
      const waiting = limiter.acquire('sender', 2, controller.signal);
      const reason = new Error('shutting down');
      setTimeout(() => controller.abort(reason), 50);
      const start = now();
      await expect(waiting).rejects.toBe(reason);
      expect(now() - start).toBeLessThan(500);
      await expect(limiter.acquire('sender', 2, AbortSignal.abort(reason))).rejects.toBe(reason);
    } finally {
      await limiter.close();
    }
  });

  // CI sets REDIS_URL; an unreachable Redis then fails this test (ioredis gives up and acquire rejects).
  it.skipIf(!process.env.REDIS_URL)('holds 50/s across two limiters sharing Redis', async () => {
    const url = process.env.REDIS_URL!;
    const prefix = `herald-test:${randomUUID()}`;
    const client = new Redis(url);
    // Two independent limiters, as two processes would have: one from the URL, one from a client.
    const limiters = [createRateLimiter({ redis: url, prefix }), createRateLimiter({ redis: client, prefix })];
    try {
      const start = now();
      const [a, b] = await Promise.all(limiters.map((limiter) => acquireAll(limiter, 'whatsapp:+14155550100', 50, 60)));
      const stamps = [...a!, ...b!];
      expect(stamps).toHaveLength(120);
      expect(maxInSlidingWindow(stamps)).toBeLessThanOrEqual(50);
      // Separate budgets would let about 80 through in a second; shared, it is at most 50.
      expect(averageRate(stamps, start)).toBeGreaterThanOrEqual(30);
    } finally {
      await Promise.all(limiters.map((limiter) => limiter.close()));
      client.disconnect();
    }
  });
});
