import { percentile } from './load.js';

// Open-loop load: requests start on a fixed schedule (`rate` per second) whether or not earlier
// ones have answered, so a slow server shows as latency, not as a slower client. At most
// `maxInFlight` are outstanding; a start that would exceed it is skipped and counted.

export async function paced(
  rate: number,
  durationMs: number,
  maxInFlight: number,
  fire: (seq: number) => Promise<void>,
): Promise<{ issued: number; skipped: number }> {
  const start = performance.now();
  const pending = new Set<Promise<void>>();
  let issued = 0;
  let skipped = 0;
  for (let elapsed = 0; elapsed < durationMs; elapsed = performance.now() - start) {
    const due = Math.floor((elapsed * rate) / 1000) + 1;
    while (issued + skipped < due) {
      if (pending.size >= maxInFlight) {
        skipped++;
        continue;
      }
      const p: Promise<void> = fire(issued++).finally(() => pending.delete(p));
      pending.add(p);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.allSettled([...pending]);
  return { issued, skipped };
}

/** Nearest-rank percentiles of unsorted numbers. */
export function summarize(values: number[]): { n: number; p50: number; p99: number; max: number; min: number } {
  const s = Float64Array.from(values).sort();
  return {
    n: s.length,
    p50: percentile(s, 50),
    p99: percentile(s, 99),
    max: percentile(s, 100),
    min: percentile(s, 0),
  };
}
