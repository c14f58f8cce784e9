import { Pool } from 'undici';
import { benchPhone } from './enqueue.js';
import type { FakeTwilioProcess } from './children.js';

// The machine's ceiling for provider calls (target P3): the requests Herald's Twilio provider
// makes (same URL, headers, form body and Basic auth, see src/providers/twilio.ts), posted to the
// same fake by a plain loop with no database, no queue and no bookkeeping, `concurrency` at a time.

/** Posts `count` messages; resolves with the messages accepted per second and any failures. */
export async function bareTwilioLoop(
  fake: FakeTwilioProcess,
  count: number,
  concurrency: number,
  text: string,
): Promise<{ sent: number; failed: number; seconds: number; rate: number; failures: Map<string, number> }> {
  const pool = new Pool(fake.url, { connections: concurrency, keepAliveTimeout: 30_000 });
  const path = `/2010-04-01/Accounts/${encodeURIComponent(fake.accountSid)}/Messages.json`;
  const headers = {
    authorization: `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const failures = new Map<string, number>();
  let next = 0;
  let sent = 0;
  async function client(): Promise<void> {
    while (next < count) {
      const seq = next++;
      const body = new URLSearchParams({ To: benchPhone(seq), From: 'HERALD', Body: text }).toString();
      let why: string | undefined;
      try {
        const res = await pool.request({ path, method: 'POST', headers, body });
        // Parsed as the provider parses it: a send counts only with a message sid.
        const answer = JSON.parse(await res.body.text()) as { sid?: unknown };
        if (res.statusCode !== 201 || typeof answer.sid !== 'string') why = `HTTP ${res.statusCode}`;
      } catch (err) {
        why = err instanceof Error ? err.message : String(err);
      }
      if (why === undefined) sent++;
      else failures.set(why, (failures.get(why) ?? 0) + 1);
    }
  }
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: concurrency }, client));
  } finally {
    await pool.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { sent, failed: count - sent, seconds, rate: sent / seconds, failures };
}
