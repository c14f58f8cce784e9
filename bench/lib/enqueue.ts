import { Pool } from 'undici';
import type { HeraldProcess } from './server.js';

// Fills Herald's queue fast through the public API: the REST SMS endpoint takes up to 100
// recipients per request, one message each, stored in one writer transaction.

export const benchPhone = (seq: number) => `+9188000${String(seq % 100_000).padStart(5, '0')}`;

/** Accepts `count` SMS (recipients numbered from `first`); resolves with the seconds it took. */
export async function enqueueSms(
  herald: HeraldProcess,
  count: number,
  text: string,
  first = 0,
  concurrency = 8,
): Promise<number> {
  const pool = new Pool(herald.url, { connections: concurrency });
  const started = performance.now();
  let next = 0;
  async function client(): Promise<void> {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + 100);
      const mobile = Array.from({ length: next - from }, (_, i) => benchPhone(first + from + i));
      const res = await pool.request({
        path: '/api/sms/send-sms-api',
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: herald.apiKey },
        body: JSON.stringify({ mobile, smstext: text, senderid: 'HERALD' }),
      });
      const body = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`enqueue: HTTP ${res.statusCode}: ${body.slice(0, 200)}`);
    }
  }
  try {
    await Promise.all(Array.from({ length: concurrency }, client));
  } finally {
    await pool.close();
  }
  return (performance.now() - started) / 1000;
}
