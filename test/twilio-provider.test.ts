import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OutboundMessage, Provider, SendFailure, SendResult } from '../src/providers/provider.js';
import { createTwilioProvider, mapTwilioStatus, type TwilioConfig } from '../src/providers/twilio.js';
import { parseRetryAfter } from '../src/net/http-headers.js';
import { startFakeTwilio, type FakeTwilio } from './support/fake-twilio.js';

// The Twilio adapter against a real local HTTP server speaking Twilio's wire format.

let fake: FakeTwilio;
const providers: Provider[] = [];

beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterEach(() => fake.reset());
afterAll(async () => {
  await Promise.all(providers.map((p) => p.stop?.()));
  await fake.close();
});

const provider = (cfg: Partial<TwilioConfig> = {}): Provider => {
  const p = createTwilioProvider({
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    baseUrl: fake.url,
    from: '+15005550006',
    ...cfg,
  });
  providers.push(p);
  return p;
};

const sms = (overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: '0190c5e0-0000-7000-8000-000000000001',
  tenantId: '0190c5e0-0000-7000-8000-000000000002',
  channel: 'SMS',
  recipient: '+14155550100',
  sender: null,
  templateName: null,
  templateLanguage: null,
  templateParams: null,
  body: 'Your code is 123456',
  subject: null,
  mediaType: null,
  mediaId: null,
  channelOptions: {},
  validUntil: null,
  attempt: 1,
  ...overrides,
});

const send = (
  p: Provider,
  message = sms(),
  timeoutMs = 5_000,
  signal = new AbortController().signal,
): Promise<SendResult> => p.send(message, { timeoutMs, signal });

const failure = (result: SendResult): SendFailure => {
  expect(result.ok).toBe(false);
  return result as SendFailure;
};

describe('request shape', () => {
  it('posts the form to the Messages resource with Basic auth and answers the sid', async () => {
    const p = provider({ statusCallbackUrl: 'https://herald.example.com/webhooks/twilio' });
    const result = await send(p, sms({ validUntil: new Date(Date.now() + 600_000) }));

    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages.json`);
    expect(req.authorization).toBe(`Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`);
    expect(req.contentType).toBe('application/x-www-form-urlencoded');
    const { ValidityPeriod, ...rest } = req.params;
    expect(rest).toEqual({
      To: '+14155550100',
      From: '+15005550006',
      Body: 'Your code is 123456',
      StatusCallback: 'https://herald.example.com/webhooks/twilio',
    });
    expect(Number(ValidityPeriod)).toBeGreaterThanOrEqual(598);
    expect(Number(ValidityPeriod)).toBeLessThanOrEqual(600);

    expect(result).toMatchObject({ ok: true, providerMessageId: req.sid });
    expect(req.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(result).toHaveProperty('raw.status', 'queued');
  });

  it('sends only the fields that apply, and caps ValidityPeriod at 36,000 s', async () => {
    const p = provider();
    await send(p, sms({ body: 'a & b = c + d, ünïcode 🙂' }));
    await send(p, sms({ validUntil: new Date(Date.now() + 48 * 3600_000) }));
    expect(fake.requests[0]!.params).toEqual({
      To: '+14155550100',
      From: '+15005550006',
      Body: 'a & b = c + d, ünïcode 🙂',
    });
    expect(fake.requests[1]!.params.ValidityPeriod).toBe('36000');
  });

  it("uses the message's sender, else the Messaging Service, else the configured From", async () => {
    const service = `MG${'a'.repeat(32)}`;
    const p = provider({ messagingServiceSid: service });
    await send(p, sms({ sender: '+15005550001' }));
    const viaService = await send(p, sms());
    expect(fake.requests[0]!.params).toMatchObject({ From: '+15005550001' });
    expect(fake.requests[0]!.params).not.toHaveProperty('MessagingServiceSid');
    expect(fake.requests[1]!.params).toMatchObject({ MessagingServiceSid: service });
    expect(fake.requests[1]!.params).not.toHaveProperty('From');
    expect(viaService).toHaveProperty('raw.status', 'accepted');

    const none = failure(await send(provider({ from: undefined }), sms()));
    expect(none).toMatchObject({ code: 'NO_SENDER', retryable: false });
  });

  it('refuses an expired message without calling Twilio', async () => {
    const result = failure(await send(provider(), sms({ validUntil: new Date(Date.now() - 1000) })));
    expect(result).toMatchObject({ code: 'EXPIRED', retryable: false });
    expect(fake.requests).toHaveLength(0);
  });

  it('reuses keep-alive connections under concurrency', async () => {
    const p = provider({ connections: 16 });
    const before = fake.connections();
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => send(p, sms({ body: `n${i}` }))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => r.ok && r.providerMessageId)).size).toBe(1000);
    expect(fake.connections() - before).toBeLessThanOrEqual(16);
  });
});

describe('error mapping', () => {
  it('429 is retryable and honours Retry-After in seconds', async () => {
    fake.script({ status: 429, retryAfter: 3, times: 1 });
    const result = failure(await send(provider()));
    expect(result).toMatchObject({ code: '20429', retryable: true, retryAfterMs: 3000 });
    expect(result.message).toMatch(/rate limit/);
    expect((await send(provider())).ok).toBe(true); // the rule was used up
  });

  it('429 honours Retry-After as an HTTP-date, and code 20429 alone', async () => {
    fake.script({ status: 429, retryAfter: new Date(Date.now() + 10_000).toUTCString(), times: 1 });
    const dated = failure(await send(provider()));
    expect(dated.retryable).toBe(true);
    expect(dated.retryAfterMs).toBeGreaterThan(8_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(10_000);

    fake.script({ status: 400, code: 20429, times: 1 });
    const coded = failure(await send(provider()));
    expect(coded).toMatchObject({ code: '20429', retryable: true });
    expect(coded).not.toHaveProperty('retryAfterMs');
  });

  it('5xx is retryable, with or without a Twilio body', async () => {
    fake.script({ status: 500, times: 1 });
    expect(failure(await send(provider()))).toMatchObject({ code: '20500', retryable: true });
    fake.script({ status: 502, rawBody: '<html>Bad Gateway</html>', times: 1 });
    const gateway = failure(await send(provider()));
    expect(gateway).toMatchObject({ code: 'HTTP_502', retryable: true });
    expect(gateway.message).toMatch(/unavailable \(HTTP 502\)/);
  });

  it('a slow answer is a retryable TIMEOUT within the deadline', async () => {
    fake.script({ delayMs: 2_000 }); // every request until reset: a late one of an earlier test cannot use it up
    const started = performance.now();
    const result = failure(await send(provider(), sms(), 200));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it("the caller's abort resolves at once as a retryable failure", async () => {
    fake.script({ delayMs: 2_000 }); // every request until reset: a late one of an earlier test cannot use it up
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = failure(await send(provider(), sms(), 5_000, controller.signal));
    expect(result).toMatchObject({ code: 'ABORTED', retryable: true });
  });

  it("a deadline on the caller's signal is a TIMEOUT too", async () => {
    fake.script({ delayMs: 2_000 }); // every request until reset: a late one of an earlier test cannot use it up
    const result = failure(await send(provider(), sms(), 5_000, AbortSignal.timeout(100)));
    expect(result).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('network errors are retryable', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const refused = failure(await send(provider({ baseUrl: `http://127.0.0.1:${port}` })));
    expect(refused).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(refused.message).toMatch(/ECONNREFUSED/);

    fake.script({ drop: true, times: 1 });
    expect(failure(await send(provider()))).toMatchObject({ code: 'NETWORK', retryable: true });
  });

  it('bad credentials are permanent, clearly worded, and never leak the token', async () => {
    const token = 'f'.repeat(32);
    const result = failure(await send(provider({ authToken: token })));
    expect(result).toMatchObject({
      code: '20003',
      retryable: false,
      message: 'authentication failed: check the account SID and auth token',
    });
    expect(fake.requests[0]!.status).toBe(401);
    const serialized = JSON.stringify(result);
    expect(serialized).not.toContain(token);
    expect(serialized).not.toContain(Buffer.from(`${fake.accountSid}:${token}`).toString('base64'));

    fake.script({ status: 403, rawBody: 'Forbidden', times: 1 });
    expect(failure(await send(provider()))).toMatchObject({
      code: 'HTTP_403',
      retryable: false,
      message: expect.stringMatching(/authentication failed/),
    });
  });

  it('redacts the token even when the upstream echoes it', async () => {
    fake.script({ status: 400, code: 21211, message: `bad request from ${fake.authToken}`, times: 1 });
    const result = failure(await send(provider()));
    expect(JSON.stringify(result)).not.toContain(fake.authToken);
    expect(result.message).toContain('[redacted]');
  });

  it('21211 invalid To (validated by the fake like Twilio) is permanent', async () => {
    const result = failure(await send(provider(), sms({ recipient: '4155550100' })));
    expect(result).toMatchObject({ code: '21211', retryable: false });
    expect(result.message).toBe(
      "the recipient is not a valid phone number: The 'To' number 4155550100 is not a valid phone number.",
    );
    expect(result.raw).toMatchObject({
      status: 400,
      body: { code: 21211, more_info: 'https://www.twilio.com/docs/errors/21211' },
    });
  });

  it.each([
    [21610, /unsubscribed/],
    [21408, /region is not enabled/],
    [21614, /not a mobile number/],
    [21617, /Twilio refused the message \(error 21617\)/],
  ])('%i is permanent', async (code, message) => {
    fake.script({ to: '+14155550199', code, message: 'Twilio says no', times: 1 });
    const result = failure(await send(provider(), sms({ recipient: '+14155550199' })));
    expect(result).toMatchObject({ code: String(code), retryable: false });
    expect(result.message).toMatch(message);
    expect(result.message).toMatch(/Twilio says no$/);
  });

  it('scripts per recipient leave other recipients alone', async () => {
    fake.script({ to: '+14155550199', status: 500 });
    const p = provider();
    const [bad, good] = await Promise.all([send(p, sms({ recipient: '+14155550199' })), send(p, sms())]);
    expect(bad.ok).toBe(false);
    expect(good.ok).toBe(true);
  });
});

describe('helpers', () => {
  it('maps every Twilio status to Herald', () => {
    const table = Object.fromEntries(
      [
        'queued',
        'accepted',
        'scheduled',
        'sending',
        'sent',
        'delivered',
        'undelivered',
        'failed',
        'read',
        'canceled',
        'received',
      ].map((s) => [s, mapTwilioStatus(s)]),
    );
    expect(table).toEqual({
      queued: 'SENT',
      accepted: 'SENT',
      scheduled: 'SENT',
      sending: 'SENT',
      sent: 'SENT',
      delivered: 'DELIVERED',
      undelivered: 'UNDELIVERED',
      failed: 'FAILED',
      read: 'READ',
      canceled: 'CANCELED',
      received: undefined,
    });
  });

  it('parses Retry-After', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('declares SMS with a documented default rate', () => {
    expect(provider().capabilities).toEqual({ channels: ['SMS'], media: [], maxPerSecond: 10 });
    expect(provider({ maxPerSecond: 1 }).capabilities.maxPerSecond).toBe(1);
  });
});

describe("the fake's status callbacks (the e2e bench drives Herald with them)", () => {
  it('posts sent, delivered, read in order, each signed so that the Twilio webhook verifies and parses it', async () => {
    const received: Array<{ headers: Record<string, string>; body: Buffer }> = [];
    const receiver = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        // The first attempt of "delivered" fails: the fake retries it before it reports "read".
        const status = received.length === 1 ? 503 : 200;
        received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/twilio`;
    const reporting = await startFakeTwilio({
      record: false,
      statusCallbacks: { statuses: ['sent', 'delivered', 'read'] },
    });
    const p = createTwilioProvider({
      accountSid: reporting.accountSid,
      authToken: reporting.authToken,
      baseUrl: reporting.url,
      from: '+15005550006',
      statusCallbackUrl: callbackUrl,
    });
    try {
      const result = await send(p);
      if (!result.ok) throw new Error(result.message);
      await vi.waitFor(() => expect(reporting.callbacks()).toMatchObject({ delivered: 3, pending: 0 }), {
        timeout: 5_000,
      });
      expect(reporting.callbacks()).toEqual({ delivered: 3, retried: 1, abandoned: 0, pending: 0 });

      const webhook = p.webhook!;
      const parsed = received.map((r) => {
        const req = {
          method: 'POST',
          publicUrl: callbackUrl,
          headers: r.headers,
          rawBody: r.body,
          receivedAt: new Date(),
        };
        expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
        expect(webhook.verify(req)).toEqual({ ok: true });
        const events = webhook.parse(req);
        if (!events.ok) throw new Error(events.reason);
        return events.events.map((e) => [e.providerMessageId, e.status]);
      });
      const sid = result.providerMessageId;
      expect(parsed).toEqual([[[sid, 'SENT']], [[sid, 'DELIVERED']], [[sid, 'DELIVERED']], [[sid, 'READ']]]);
      // A signature over another URL (or with another token) does not verify.
      const forged = {
        method: 'POST',
        publicUrl: `${callbackUrl}x`,
        headers: received[0]!.headers,
        rawBody: received[0]!.body,
        receivedAt: new Date(),
      };
      expect(webhook.verify(forged).ok).toBe(false);
    } finally {
      await p.stop?.();
      await reporting.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
