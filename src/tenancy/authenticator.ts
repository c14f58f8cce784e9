import type { Db } from '../db/client.js';
import { hashKey } from './keys.js';
import { authenticate, touchApiKey, type Principal } from './service.js';

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves API keys with a short-lived cache so a busy client costs no extra query per request.
 * Revoking through this instance takes effect at once; other instances notice within `ttlMs`.
 * `last_used_at` is written at most once a minute per key, off the request path.
 */
export class Authenticator {
  private cache = new Map<string, { principal: Principal | null; expires: number }>();
  private lastTouched = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly opts: { ttlMs: number; now?: () => number; onError?: (err: unknown) => void },
  ) {}

  async authenticate(key: string | undefined | null): Promise<Principal | null> {
    if (!key) return null;
    const now = this.opts.now?.() ?? Date.now();
    const cacheKey = hashKey(key);
    let entry = this.cache.get(cacheKey);
    if (!entry || entry.expires <= now) {
      entry = { principal: await authenticate(this.db, key), expires: now + this.opts.ttlMs };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(cacheKey, entry);
    }
    const principal = entry.principal;
    if (principal && now - (this.lastTouched.get(principal.keyId) ?? 0) >= LAST_USED_RESOLUTION_MS) {
      this.lastTouched.set(principal.keyId, now);
      touchApiKey(this.db, principal.keyId, new Date(now)).catch((err) => this.opts.onError?.(err));
    }
    return principal;
  }

  /** Drops cached principals of a revoked key. */
  forgetKey(keyId: string): void {
    for (const [k, v] of this.cache) if (v.principal?.keyId === keyId) this.cache.delete(k);
  }
}

/** Reads the key from `Authorization: Bearer <key>` or the `apikey` header. */
export function keyFromHeaders(get: (name: string) => string | null | undefined): string | undefined {
  const auth = get('authorization');
  if (auth) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (match) return match[1];
  }
  return get('apikey') ?? undefined;
}
