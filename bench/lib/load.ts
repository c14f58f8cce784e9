import { treeCpuSeconds } from './proc.js';

/** One request; resolves when it succeeded, throws (with a short reason) when it did not. */
export type Attempt = (seq: number) => Promise<void>;

export type LoadOptions = {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** When given, the server's CPU use over the measured window is reported too. */
  serverPid?: number;
};

export type LoadResult = {
  /** Successful requests sent and answered inside the measured window. */
  ok: number;
  errors: number;
  seconds: number;
  /** Successful requests per second. */
  rps: number;
  /** Latency of successful requests, in milliseconds. */
  p50: number;
  p99: number;
  max: number;
  /** Distinct failure reasons with their counts (first 5). */
  failures: Map<string, number>;
  /** CPU time over wall time in the window: 1.0 = one core busy the whole time. */
  serverCpu: number | undefined;
  clientCpu: number;
};

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Closed-loop load: `concurrency` clients each send a request, wait for its answer and send the
 * next, for a warm-up and then the measured window. Only requests both sent and answered inside
 * the window count (a slow first request of the warm-up must not show up as the window's max);
 * the requests in flight at either edge, at most `concurrency` each, are left out.
 */
export async function runLoad(opts: LoadOptions, attempt: Attempt): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 18);
  let ok = 0;
  let errors = 0;
  const failures = new Map<string, number>();
  let seq = 0;

  const begin = performance.now();
  const start = begin + opts.warmupMs;
  const end = start + opts.durationMs;

  // CPU readings at both edges of the window, taken from timers since the clients are busy.
  type Reading = { at: number; server: number | undefined; client: number };
  const read = (): Reading => {
    const usage = process.cpuUsage();
    return {
      at: performance.now(),
      server: opts.serverPid === undefined ? undefined : treeCpuSeconds(opts.serverPid),
      client: (usage.user + usage.system) / 1e6,
    };
  };
  const readings: Reading[] = [];
  const timers = [opts.warmupMs, opts.warmupMs + opts.durationMs].map((ms) =>
    setTimeout(() => readings.push(read()), ms),
  );

  async function client(): Promise<void> {
    for (;;) {
      const sent = performance.now();
      if (sent >= end) return;
      let failure: string | undefined;
      try {
        await attempt(seq++);
      } catch (err) {
        failure = err instanceof Error ? err.message : String(err);
      }
      const done = performance.now();
      if (sent < start || done > end) continue;
      if (failure !== undefined) {
        errors++;
        if (failures.has(failure) || failures.size < 5) failures.set(failure, (failures.get(failure) ?? 0) + 1);
        continue;
      }
      if (ok === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[ok++] = done - sent;
    }
  }

  await Promise.all(Array.from({ length: opts.concurrency }, client));
  // The closing timer may not have had its turn yet when the last client returns.
  timers.forEach(clearTimeout);
  while (readings.length < 2) readings.push(read());

  const sorted = latencies.subarray(0, ok).sort();
  const seconds = opts.durationMs / 1000;
  const [a, b] = readings;
  const window = a && b ? (b.at - a.at) / 1000 : NaN;
  const serverCpu = a?.server !== undefined && b?.server !== undefined ? (b.server - a.server) / window : undefined;
  return {
    ok,
    errors,
    seconds,
    rps: ok / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    failures,
    serverCpu,
    clientCpu: a && b ? (b.client - a.client) / window : NaN,
  };
}
