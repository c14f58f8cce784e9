import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryDelayMs } from '../src/delivery/backoff.js';
import type { MessageQuery } from './client/sdk.js';
import { eventually, TestClock } from './support/clock.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// The delivery engine on the sandbox provider, driven through the GraphQL API. Time is an
// injected clock: tests move it forward instead of sleeping.

type Message = NonNullable<MessageQuery['message']>;

const clock = new TestClock();
let h: TestHerald;
let sdk: Sdk;

beforeAll(async () => {
  h = await startHerald(
    {
      HERALD_WORKERS: '2',
      HERALD_POLL_MS: '20',
      HERALD_RETRY_BASE_MS: '1000',
      HERALD_RETRY_CAP_MS: '60000',
      HERALD_MAX_ATTEMPTS: '4',
      HERALD_SEND_TIMEOUT_MS: '200',
      HERALD_SANDBOX_DELAY_MS: '20',
    },
    // Half of the backoff ceiling every time: a predictable schedule.
    { now: clock.now, random: () => 0.5 },
  );
  sdk = h.sdk();
});
afterAll(() => h?.stop());

async function sendSms(to: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await sdk.SendSms({ input: { to, text: 'delivery test', ...extra } });
  if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
  return r.sendSms.messageId;
}

const load = async (id: string): Promise<Message> => (await sdk.Message({ id })).message!;

const until = (id: string, accept: (m: Message) => boolean) => eventually(() => load(id), accept);

const statusesOf = (m: Message) => m.events.filter((e) => e.kind === 'status').map((e) => e.status);

describe('backoff', () => {
  it('full jitter under an exponential ceiling, capped, with Retry-After as a floor', () => {
    const policy = { baseMs: 1000, capMs: 10_000, maxAttempts: 8 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(policy, n, 0, () => 0.999999))).toEqual([
      999, 1999, 3999, 7999, 9999, 9999,
    ]);
    expect(retryDelayMs(policy, 3, 0, () => 0)).toBe(0);
    expect(retryDelayMs(policy, 1, 5000, () => 0.5)).toBe(5000);
  });
});

describe('sandbox delivery', () => {
  it('takes a message from QUEUED to READ, recording every step', async () => {
    const id = await sendSms('+918800001234');
    const m = await until(id, (x) => x.status === 'READ');
    expect(statusesOf(m)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ']);
    expect(m.provider).toBe('sandbox');
    expect(m.providerMessageId).toMatch(/^sbx_/);
    expect(m.attempts).toBe(1);
  });

  it('delivered but never read, and undelivered after sent', async () => {
    const noread = await sendSms('+61491570400');
    const undelivered = await sendSms('+61491570500');
    expect((await until(noread, (x) => x.status === 'DELIVERED')).status).toBe('DELIVERED');
    const u = await until(undelivered, (x) => x.status === 'UNDELIVERED');
    expect(statusesOf(u)).toEqual(['QUEUED', 'SENDING', 'SENT', 'UNDELIVERED']);
    expect(u.lastError?.code).toBe('SANDBOX_UNREACHABLE');
  });

  it('a permanent error fails at once, keeping the provider error', async () => {
    const id = await sendSms('+61491570001');
    const m = await until(id, (x) => x.status === 'FAILED');
    expect(m.attempts).toBe(1);
    expect(m.lastError).toMatchObject({ code: 'SANDBOX_REJECTED', retryable: false });
  });

  it('retries a transient error on the backoff schedule, then sends', async () => {
    const id = await sendSms('+61491570012'); // fails twice
    const first = await until(id, (x) => x.attempts === 1 && x.status === 'QUEUED');
    expect(first.lastError).toMatchObject({ code: 'SANDBOX_UNAVAILABLE', retryable: true });
    // Attempt 1 failed: the next one is due 0.5 x 1000 ms later, not before.
    expect(Date.parse(first.nextAttemptAt!) - clock.now().getTime()).toBe(500);
    clock.advance(499);
    h.herald.delivery!.dispatcher.wake();
    await new Promise((r) => setTimeout(r, 100));
    expect((await load(id)).attempts).toBe(1);

    clock.advance(1);
    const second = await until(id, (x) => x.attempts === 2 && x.status === 'QUEUED');
    expect(Date.parse(second.nextAttemptAt!) - clock.now().getTime()).toBe(1000); // 0.5 x 2000 ms
    clock.advance(1000);
    const done = await until(id, (x) => x.status === 'READ');
    expect(done.attempts).toBe(3);
    expect(done.lastError).toBeNull();
    expect(statusesOf(done)).toEqual([
      'QUEUED',
      'SENDING',
      'QUEUED',
      'SENDING',
      'QUEUED',
      'SENDING',
      'SENT',
      'DELIVERED',
      'READ',
    ]);
  });

  it('honours Retry-After over a shorter backoff', async () => {
    const id = await sendSms('+61491570300');
    const limited = await until(id, (x) => x.attempts === 1 && x.status === 'QUEUED');
    expect(limited.lastError?.code).toBe('RATE_LIMITED');
    expect(Date.parse(limited.nextAttemptAt!) - clock.now().getTime()).toBe(2000);
    clock.advance(2000);
    expect((await until(id, (x) => x.status === 'READ')).attempts).toBe(2);
  });

  it('counts a timeout as retryable', async () => {
    const id = await sendSms('+61491570200');
    const timedOut = await until(id, (x) => x.attempts === 1 && x.status === 'QUEUED');
    expect(timedOut.lastError).toMatchObject({ code: 'TIMEOUT', retryable: true });
    clock.advance(500);
    expect((await until(id, (x) => x.status === 'READ')).attempts).toBe(2);
  });

  it('gives up after the maximum number of attempts', async () => {
    const id = await sendSms('+61491570019'); // would fail 9 times; the cap is 4 attempts
    for (let n = 1; n < 4; n++) {
      await until(id, (x) => x.attempts === n && x.status === 'QUEUED');
      clock.advance(60_000);
    }
    const m = await until(id, (x) => x.status === 'FAILED');
    expect(m.attempts).toBe(4);
    expect(m.lastError?.message).toMatch(/gave up after 4 attempts/);
  });
});

describe('scheduling, expiry, cancel and retry', () => {
  it('keeps a message SCHEDULED until sendAt, then sends it', async () => {
    const sendAt = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const id = await sendSms('+918800001234', { sendAt });
    await new Promise((r) => setTimeout(r, 100));
    expect((await load(id)).status).toBe('SCHEDULED');
    clock.advance(3_600_000);
    const m = await until(id, (x) => x.status === 'READ');
    expect(statusesOf(m)).toEqual(['SCHEDULED', 'SENDING', 'SENT', 'DELIVERED', 'READ']);
  });

  it('expires a message whose validUntil passes before it could be sent', async () => {
    const t = clock.now().getTime();
    const id = await sendSms('+918800001234', {
      sendAt: new Date(t + 60_000).toISOString(),
      validUntil: new Date(t + 120_000).toISOString(),
    });
    clock.advance(180_000);
    const m = await until(id, (x) => x.status === 'EXPIRED');
    expect(m.attempts).toBe(0);
    expect(m.lastError?.code).toBe('EXPIRED');
  });

  it('expires instead of retrying past validUntil', async () => {
    const id = await sendSms('+61491570300', { validUntil: new Date(clock.now().getTime() + 1000).toISOString() });
    const m = await until(id, (x) => x.status === 'EXPIRED');
    expect(m.attempts).toBe(1);
  });

  it('cancels a scheduled message; a second cancel is refused with its state', async () => {
    const id = await sendSms('+918800001234', { sendAt: new Date(clock.now().getTime() + 600_000).toISOString() });
    const canceled = await sdk.CancelMessage({ id });
    expect(canceled.cancelMessage).toMatchObject({ __typename: 'Message', status: 'CANCELED' });
    const again = await sdk.CancelMessage({ id });
    expect(again.cancelMessage).toMatchObject({
      __typename: 'InvalidStateError',
      code: 'INVALID_STATE',
      status: 'CANCELED',
    });
    clock.advance(600_000);
    await new Promise((r) => setTimeout(r, 100));
    expect((await load(id)).status).toBe('CANCELED');
    const unknown = await sdk.CancelMessage({ id: '01900000-0000-7000-8000-000000000000' });
    expect(unknown.cancelMessage.__typename).toBe('NotFoundError');
  });

  it('retries a failed message with a fresh attempt budget; other states are refused', async () => {
    const id = await sendSms('+61491570001');
    await until(id, (x) => x.status === 'FAILED');
    const retried = await sdk.RetryMessage({ id });
    expect(retried.retryMessage).toMatchObject({ __typename: 'Message', status: 'QUEUED', attempts: 0 });
    const failedAgain = await until(id, (x) => x.status === 'FAILED' && x.attempts === 1);
    expect(statusesOf(failedAgain)).toEqual(['QUEUED', 'SENDING', 'FAILED', 'QUEUED', 'SENDING', 'FAILED']);

    const ok = await sendSms('+918800001234');
    await until(ok, (x) => x.status === 'READ');
    const refused = await sdk.RetryMessage({ id: ok });
    expect(refused.retryMessage).toMatchObject({ __typename: 'InvalidStateError', status: 'READ' });
  });
});
