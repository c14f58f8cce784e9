// Exponential backoff with full jitter: the wait before attempt n+1 is uniform in
// [0, min(cap, base * 2^(n-1))]. Jitter spreads retries of a burst that failed together;
// a provider's Retry-After is a floor.

export type RetryPolicy = { baseMs: number; capMs: number; maxAttempts: number };

export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs = 0,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(retryAfterMs, Math.floor(random() * ceiling));
}
