import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// API keys look like `hk_3fKq9ZxW1_<43 chars of secret>`. The first 12 characters are the
// public prefix: stored in clear, shown in listings, used to find the row. Only a SHA-256 of
// the whole key is stored; keys carry 256 random bits, so a slow hash would add nothing.

export const KEY_PREFIX_LENGTH = 12;
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export function generateApiKey(): string {
  return `hk_${randomToken(KEY_PREFIX_LENGTH - 3)}_${randomBytes(32).toString('base64url')}`;
}

export const keyPrefix = (key: string): string => key.slice(0, KEY_PREFIX_LENGTH);

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export function hashMatches(key: string, storedHash: string): boolean {
  const a = Buffer.from(hashKey(key), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
