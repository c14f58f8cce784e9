import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageQuery } from './client/sdk.js';
import { eventually, TestClock } from './support/clock.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// Reports parked for provider ids Herald has not recorded (yet) do not stay forever: older than
// HERALD_PARKED_REPORT_MAX_AGE_MS they expire, and beyond HERALD_PARKED_REPORTS_MAX per provider
// the oldest are dropped. Observed through behaviour: a send that records the id later applies
// the reports still parked and not the dropped ones. The sandbox's ids are known in advance
// (send time and message id), so reports can be posted before the scheduled send.

type Message = NonNullable<MessageQuery['message']>;

const SECRET = 'whsec_sandbox_parked_0123456789';
const HOUR = 3_600_000;
const CAP = 3;
const clock = new TestClock();
let h: TestHerald;
let sdk: Sdk;

beforeAll(async () => {
  h = await startHerald(
    {
      HERALD_WORKERS: '1',
      HERALD_POLL_MS: '20',
      HERALD_SANDBOX_DELAY_MS: String(10 * HOUR),
      HERALD_RECONCILE_AFTER_MS: String(24 * HOUR),
      HERALD_SANDBOX_WEBHOOK_SECRET: SECRET,
      HERALD_PARKED_REPORT_MAX_AGE_MS: String(HOUR),
      HERALD_PARKED_REPORTS_MAX: String(CAP),
      HERALD_PARKED_REPORT_SWEEP_MS: '50',
    },
    { now: clock.now },
  );
  sdk = h.sdk();
});
afterAll(() => h?.stop());

const load = async (id: string): Promise<Message> => (await sdk.Message({ id })).message!;

function park(providerMessageId: string): Promise<Response> {
  const t = Math.floor(clock.now().getTime() / 1000);
  const body = JSON.stringify({ events: [{ providerMessageId, status: 'delivered', timestamp: t }] });
  const signature = `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;
  return fetch(`${h.url}/webhooks/sandbox`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'herald-sandbox-signature': signature },
    body,
  });
}

/** A scheduled email and the sandbox id it will get when sent at `sendAt`. */
async function scheduled(sendAt: number, to: string): Promise<{ id: string; pmid: string }> {
  const r = await sdk.SendEmail({
    input: { to: [to], subject: 'Later', text: 'x', sendAt: new Date(sendAt).toISOString() },
  });
  if (r.sendEmail.__typename !== 'Message') throw new Error(JSON.stringify(r.sendEmail));
  return { id: r.sendEmail.messageId, pmid: `sbx_n_${sendAt}_${r.sendEmail.messageId}` };
}

type LogLine = { level: number; msg: string; expired?: number; dropped?: Record<string, number> };
const logs = async (msg: string): Promise<LogLine[]> =>
  h
    .logLines()
    .map((l) => JSON.parse(l) as LogLine)
    .filter((l) => l.msg === msg);

const WAITING = ['SCHEDULED', 'QUEUED', 'SENDING'];

/** Once all are sent: the status of each (DELIVERED when a parked report was applied). */
async function outcomes(ids: string[]): Promise<Record<string, string>> {
  const done = await Promise.all(
    ids.map((id) =>
      eventually(
        () => load(id),
        (m) => !WAITING.includes(m.status),
      ),
    ),
  );
  return Object.fromEntries(done.map((m) => [m.messageId, m.status]));
}

describe('parked provider reports', () => {
  it('expire after HERALD_PARKED_REPORT_MAX_AGE_MS; younger ones are still applied', async () => {
    const sendAt = clock.now().getTime() + 2 * HOUR;
    const old = await scheduled(sendAt, 'old@example.com');
    const young = await scheduled(sendAt, 'young@example.com');
    expect((await park(old.pmid)).status).toBe(200);

    clock.advance(HOUR + 1000);
    expect((await park(young.pmid)).status).toBe(200);
    const expired = await eventually(
      () => logs('expired parked provider reports'),
      (ls) => ls.length > 0,
    );
    expect(expired.reduce((n, l) => n + (l.expired ?? 0), 0)).toBe(1);

    clock.advance(sendAt - clock.now().getTime()); // sent exactly at sendAt: the id parked for
    expect(await outcomes([old.id, young.id])).toEqual({ [old.id]: 'SENT', [young.id]: 'DELIVERED' });
    expect((await load(old.id)).events.filter((e) => e.kind === 'provider')).toEqual([]);
  });

  it('keep at most HERALD_PARKED_REPORTS_MAX per provider, dropping the oldest, logged at warn with counts only', async () => {
    const sendAt = clock.now().getTime() + 10 * 60_000;
    const messages: Array<{ id: string; pmid: string }> = [];
    for (let i = 0; i < CAP + 2; i++) messages.push(await scheduled(sendAt, `capped-${i}@example.com`));
    for (const m of messages) {
      expect((await park(m.pmid)).status).toBe(200);
      clock.advance(1000); // each parked a second after the one before
    }
    const warned = await eventually(
      () => logs('parked provider reports over the cap dropped, oldest first'),
      (ls) => ls.reduce((n, l) => n + (l.dropped?.sandbox ?? 0), 0) >= 2,
    );
    expect(warned.reduce((n, l) => n + (l.dropped?.sandbox ?? 0), 0)).toBe(2);
    expect(warned.every((l) => l.level === 40)).toBe(true);
    const text = warned.map((l) => JSON.stringify(l)).join('\n');
    for (const m of messages) {
      expect(text).not.toContain(m.id);
      expect(text).not.toContain(m.pmid);
    }

    clock.advance(sendAt - clock.now().getTime());
    const got = await outcomes(messages.map((m) => m.id));
    expect(messages.map((m) => got[m.id])).toEqual(['SENT', 'SENT', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    expect(h.logLines().some((l) => (JSON.parse(l) as LogLine).level >= 50)).toBe(false);
  });
});
