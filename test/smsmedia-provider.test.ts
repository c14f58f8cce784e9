import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InboundWebhook, OutboundMessage, Provider, SendFailure, SendResult } from '../src/providers/provider.js';
import { createSmsMediaProvider, mapSmsMediaStatus, type SmsMediaConfig } from '../src/providers/smsmedia.js';
import { eventually } from './support/clock.js';
import { startFakeSmsMedia, type FakeSmsMedia } from './support/fake-smsmedia.js';
import { startHerald, type TestHerald } from './support/herald.js';

// The SMSMedia adapter against a real local HTTP server speaking the integration guide's
// endpoints (test/support/fake-smsmedia.ts), its delivery-report webhook, and SMS through
// Herald end to end: GraphQL sendSms -> dispatcher -> SMSMedia -> SENT -> report -> DELIVERED.

let fake: FakeSmsMedia;
const providers: Provider[] = [];
const TOKEN = 'whtok_0123456789abcdef';

beforeAll(async () => {
  fake = await startFakeSmsMedia();
});
afterEach(() => fake.reset());
afterAll(async () => {
  await Promise.all(providers.map((p) => p.stop?.()));
  await fake.close();
});

const provider = (cfg: Partial<SmsMediaConfig> = {}): Provider => {
  const p = createSmsMediaProvider({ apiKey: fake.apiKey, baseUrl: fake.url, senderId: 'HERALD', ...cfg });
  providers.push(p);
  return p;
};

const base: OutboundMessage = {
  id: '0190c5e0-0000-7000-8000-00000000a001',
  tenantId: '0190c5e0-0000-7000-8000-000000000002',
  channel: 'SMS',
  recipient: '+918800001234',
  sender: null,
  templateName: null,
  templateLanguage: null,
  templateParams: null,
  body: null,
  subject: null,
  mediaType: null,
  mediaId: null,
  channelOptions: {},
  validUntil: null,
  attempt: 1,
};

const sms = (o: Partial<OutboundMessage> = {}): OutboundMessage => ({
  ...base,
  body: 'Your code is 123456',
  channelOptions: { encoding: 'GSM7', segments: 1, flash: false },
  ...o,
});
const whatsApp = (o: Partial<OutboundMessage> = {}): OutboundMessage => ({
  ...base,
  channel: 'WHATSAPP',
  templateName: 'invoice_due',
  templateLanguage: 'en',
  templateParams: ['John Doe', 'INV-1001', '2025-04-15', '250.00'],
  mediaType: 'NONE',
  ...o,
});
const email = (o: Partial<OutboundMessage> = {}): OutboundMessage => ({
  ...base,
  channel: 'EMAIL',
  recipient: 'ana@example.com',
  subject: 'Greetings',
  body: 'Hello',
  channelOptions: { to: ['ana@example.com'], cc: [], bcc: [] },
  ...o,
});

const send = (
  p: Provider,
  message: OutboundMessage,
  timeoutMs = 5_000,
  signal = new AbortController().signal,
): Promise<SendResult> => p.send(message, { timeoutMs, signal });

const failure = (result: SendResult): SendFailure => {
  expect(result.ok).toBe(false);
  return result as SendFailure;
};

describe('request shape (the guide: GET with query parameters)', () => {
  it('WhatsApp template: mobile without the plus, mediatype none, serviceid 18, param1..N', async () => {
    const result = await send(provider(), whatsApp());
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req).toMatchObject({
      method: 'GET',
      path: '/api/whatsapp-cloud-api/send-message-api',
      apikeyIn: 'query',
      status: 200,
    });
    expect(req.query).toEqual([
      ['apikey', fake.apiKey],
      ['mobile', '918800001234'],
      ['templatename', 'invoice_due'],
      ['mediatype', 'none'],
      ['serviceid', '18'],
      ['param1', 'John Doe'],
      ['param2', 'INV-1001'],
      ['param3', '2025-04-15'],
      ['param4', '250.00'],
    ]);
    expect(result).toEqual({
      ok: true,
      providerMessageId: req.messageId,
      raw: { status: 'success', messageId: req.messageId },
    });
  });

  it('WhatsApp with header media: mediatype and mediaid', async () => {
    await send(provider(), whatsApp({ mediaType: 'DOCUMENT', mediaId: 'doc_invoice_123', templateParams: ['Ana'] }));
    expect(fake.requests[0]!.query).toEqual([
      ['apikey', fake.apiKey],
      ['mobile', '918800001234'],
      ['templatename', 'invoice_due'],
      ['mediatype', 'document'],
      ['mediaid', 'doc_invoice_123'],
      ['serviceid', '18'],
      ['param1', 'Ana'],
    ]);
  });

  it('SMS: senderid, mobile, smstext, nonenglish, flash, serviceid 6 (DLT ids when present)', async () => {
    const p = provider();
    await send(p, sms());
    await send(
      p,
      sms({
        sender: 'ACMEIN',
        body: 'आपका कोड 123456 है',
        channelOptions: {
          encoding: 'UCS2',
          segments: 1,
          flash: true,
          dltEntityId: '1101456789012345678',
          dltTemplateId: '1107161234567890123',
        },
      }),
    );
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(fake.requests[0]!.path).toBe('/api/sms/send-sms-api');
    expect(fake.requests[0]!.query).toEqual([
      ['apikey', fake.apiKey],
      ['senderid', 'HERALD'],
      ['mobile', '918800001234'],
      ['smstext', 'Your code is 123456'],
      ['nonenglish', 'false'],
      ['flash', 'false'],
      ['serviceid', '6'],
    ]);
    expect(fake.requests[1]!.query).toEqual([
      ['apikey', fake.apiKey],
      ['senderid', 'ACMEIN'],
      ['mobile', '918800001234'],
      ['smstext', 'आपका कोड 123456 है'],
      ['nonenglish', 'true'],
      ['flash', 'true'],
      ['serviceid', '6'],
      ['peid', '1101456789012345678'],
      ['templateid', '1107161234567890123'],
    ]);
  });

  it('email: emailids (comma-separated), emailbody (html over text), emailsubject, serviceid 10', async () => {
    const p = provider();
    await send(p, email({ channelOptions: { to: ['ana@example.com', 'bo@example.com'], cc: [], bcc: [] } }));
    await send(p, email({ channelOptions: { to: ['ana@example.com'], html: '<p>Hello <b>Ana</b></p>' } }));
    expect(fake.requests[0]!.path).toBe('/api/email/send-email-api');
    expect(fake.requests[0]!.query).toEqual([
      ['apikey', fake.apiKey],
      ['emailids', 'ana@example.com,bo@example.com'],
      ['emailbody', 'Hello'],
      ['emailsubject', 'Greetings'],
      ['serviceid', '10'],
    ]);
    expect(fake.requests[1]!.params.emailbody).toBe('<p>Hello <b>Ana</b></p>');
    expect(fake.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('the service ids are configurable', async () => {
    await send(provider({ serviceIds: { SMS: 61 } }), sms());
    expect(fake.requests[0]!.params.serviceid).toBe('61');
    expect(fake.requests[0]!.status).toBe(400); // the fake (like SMSMedia) expects 6 on this endpoint
  });

  it('long requests go as POST JSON, the key in the apikey header and the body, never in the URL', async () => {
    const html = `<p>${'Your invoice is attached. '.repeat(200)}</p>`;
    const result = await send(provider(), email({ channelOptions: { to: ['ana@example.com'], html } }));
    expect(result.ok).toBe(true);
    const req = fake.requests[0]!;
    expect(req).toMatchObject({ method: 'POST', path: '/api/email/send-email-api', query: [], status: 200 });
    expect(req.body).toEqual({
      apikey: fake.apiKey,
      emailids: 'ana@example.com',
      emailbody: html,
      emailsubject: 'Greetings',
      serviceid: 10,
    });

    await send(provider({ method: 'post' }), sms());
    expect(fake.requests[1]!).toMatchObject({ method: 'POST', query: [], status: 200 });
    expect(fake.requests[1]!.body).toEqual({
      apikey: fake.apiKey,
      senderid: 'HERALD',
      mobile: '918800001234',
      smstext: 'Your code is 123456',
      nonenglish: false,
      flash: false,
      serviceid: 6,
    });
  });

  it('forced GET of a too-long request: a permanent failure pointing at SMSMEDIA_METHOD', async () => {
    const html = `<p>${'x'.repeat(10_000)}</p>`;
    const result = failure(
      await send(provider({ method: 'get' }), email({ channelOptions: { to: ['ana@example.com'], html } })),
    );
    expect(result).toMatchObject({ code: 'HTTP_414', retryable: false });
    expect(result.message).toMatch(/SMSMEDIA_METHOD/);
    expect(JSON.stringify(result)).not.toContain(fake.apiKey);
  });

  it('refuses what the API cannot carry, without calling it', async () => {
    const p = provider({ senderId: undefined });
    expect(failure(await send(p, sms()))).toMatchObject({ code: 'NO_SENDER', retryable: false });
    expect(
      failure(await send(p, email({ channelOptions: { to: ['ana@example.com'], bcc: ['audit@example.com'] } }))),
    ).toMatchObject({
      code: 'UNSUPPORTED_OPTION',
      retryable: false,
    });
    expect(failure(await send(p, whatsApp({ templateName: null })))).toMatchObject({
      code: 'NO_TEMPLATE',
      retryable: false,
    });
    expect(failure(await send(p, sms({ sender: 'X', validUntil: new Date(Date.now() - 1) })))).toMatchObject({
      code: 'EXPIRED',
      retryable: false,
    });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('answers', () => {
  it.each([
    [{ message_id: 'mid-1' }, 'mid-1'],
    [{ id: 4242 }, '4242'],
    [{ status: 'success', data: { messageId: 'mid-2' } }, 'mid-2'],
    [{ status: 'success', data: [{ message_id: 'mid-3' }] }, 'mid-3'],
  ])('the message id is read from %j', async (json, id) => {
    fake.script({ json, times: 1 });
    expect(await send(provider(), sms())).toMatchObject({ ok: true, providerMessageId: id });
  });

  it('a plain-text id is the id; an accepted answer without one gets a synthetic id', async () => {
    fake.script({ rawBody: 'MSG-20250415-0001', contentType: 'text/plain', times: 1 });
    expect(await send(provider(), sms())).toMatchObject({ ok: true, providerMessageId: 'MSG-20250415-0001' });

    fake.script({ rawBody: 'Message submitted successfully', contentType: 'text/plain', times: 1 });
    const noted = await send(provider(), sms());
    expect(noted).toMatchObject({
      ok: true,
      providerMessageId: `herald-${base.id}`,
      raw: { status: 200, syntheticId: true },
    });

    fake.script({ json: { status: 'success' }, times: 1 });
    expect(await send(provider(), sms())).toMatchObject({ ok: true, providerMessageId: `herald-${base.id}` });
  });

  it('a 200 that says it failed is a permanent failure with the upstream message', async () => {
    fake.script({ json: { status: 'error', message: 'Insufficient balance', errorCode: 'E102' }, times: 1 });
    const result = failure(await send(provider(), sms()));
    expect(result).toMatchObject({
      code: 'E102',
      retryable: false,
      message: 'SMSMedia refused the message: Insufficient balance',
    });
  });

  it('an HTML page with 200 is not SMSMedia answering: retryable', async () => {
    fake.script({ status: 200, rawBody: '<html><body>Please log in to the Wi-Fi</body></html>', times: 1 });
    expect(failure(await send(provider(), sms()))).toMatchObject({ code: 'HTTP_200', retryable: true });
  });
});

describe('error mapping', () => {
  it('a wrong API key is a permanent authentication failure that never shows the key', async () => {
    const wrong = 'smk_wrong/key+with=chars&more';
    const result = failure(await send(provider({ apiKey: wrong }), sms()));
    expect(fake.requests[0]!.status).toBe(401);
    expect(result).toMatchObject({ code: 'AUTH_FAILED', retryable: false });
    expect(result.message).toMatch(/^SMSMedia authentication failed: check SMSMEDIA_API_KEY/);
    const serialized = JSON.stringify(result);
    for (const form of [wrong, encodeURIComponent(wrong), new URLSearchParams({ k: wrong }).toString().slice(2)])
      expect(serialized).not.toContain(form);

    fake.script({ status: 403, times: 1 });
    expect(failure(await send(provider(), sms()))).toMatchObject({
      code: 'HTTP_403',
      retryable: false,
      message: expect.stringMatching(/authentication failed/),
    });
  });

  it('the key is redacted even when the upstream echoes it', async () => {
    fake.script({ status: 400, message: `invalid request apikey=${fake.apiKey}`, times: 1 });
    const result = failure(await send(provider(), sms()));
    expect(JSON.stringify(result)).not.toContain(fake.apiKey);
    expect(result.message).toBe('SMSMedia refused the message (HTTP 400): invalid request apikey=[redacted]');
  });

  it('400 is permanent with the upstream message (the fake validates like the guide)', async () => {
    const result = failure(await send(provider(), sms({ recipient: '+1234' })));
    expect(result).toMatchObject({ code: 'INVALID_RECIPIENT', retryable: false });
    fake.script({
      status: 400,
      message: 'Template invoice_due is not approved',
      errorCode: 'TEMPLATE_NOT_APPROVED',
      times: 1,
    });
    const template = failure(await send(provider(), whatsApp()));
    expect(template).toMatchObject({
      code: 'TEMPLATE_NOT_APPROVED',
      retryable: false,
      message: 'SMSMedia refused the message (HTTP 400): Template invoice_due is not approved',
    });
    expect(template.raw).toMatchObject({ status: 400, body: { status: 'error' } });
  });

  it('429 is retryable and honours Retry-After', async () => {
    fake.script({ status: 429, retryAfter: 7, message: 'Too many requests', times: 1 });
    const result = failure(await send(provider(), sms()));
    expect(result).toMatchObject({ code: 'HTTP_429', retryable: true, retryAfterMs: 7000 });
    expect(result.message).toMatch(/rate limit/);
  });

  it('5xx is retryable, with or without a JSON body', async () => {
    fake.script({ status: 503, message: 'Maintenance', times: 1 });
    expect(failure(await send(provider(), sms()))).toMatchObject({
      code: 'HTTP_503',
      retryable: true,
      message: 'SMSMedia is unavailable (HTTP 503): Maintenance',
    });
    fake.script({ status: 502, rawBody: '<html>Bad Gateway</html>', times: 1 });
    expect(failure(await send(provider(), sms()))).toMatchObject({
      code: 'HTTP_502',
      retryable: true,
      message: 'SMSMedia is unavailable (HTTP 502): HTTP 502',
    });
  });

  it('timeouts, aborts and network errors are retryable', async () => {
    fake.script({ delayMs: 2_000, times: 1 });
    const started = performance.now();
    expect(failure(await send(provider(), sms(), 200))).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(performance.now() - started).toBeLessThan(1_000);

    fake.script({ delayMs: 2_000, times: 1 });
    expect(failure(await send(provider(), sms(), 5_000, AbortSignal.timeout(100)))).toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
    });

    fake.script({ delayMs: 2_000, times: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(failure(await send(provider(), sms(), 5_000, controller.signal))).toMatchObject({
      code: 'ABORTED',
      retryable: true,
    });

    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const refused = failure(await send(provider({ baseUrl: `http://127.0.0.1:${port}` }), sms()));
    expect(refused).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(refused.message).toMatch(/ECONNREFUSED/);

    fake.script({ drop: true, times: 1 });
    expect(failure(await send(provider(), sms()))).toMatchObject({ code: 'NETWORK', retryable: true });
  });
});

describe('delivery-report webhook', () => {
  const hook = (token?: string) => provider({ ...(token ? { webhookToken: token } : {}) }).webhook;
  const inbound = (body: unknown, query = `?token=${TOKEN}`): InboundWebhook => ({
    method: 'POST',
    publicUrl: `https://herald.example.com/webhooks/smsmedia${query}`,
    headers: { 'content-type': 'application/json' },
    rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    receivedAt: new Date('2025-04-15T10:00:00Z'),
  });

  it('exists only with SMSMEDIA_WEBHOOK_TOKEN', () => {
    expect(hook()).toBeUndefined();
    expect(hook(TOKEN)).toBeDefined();
  });

  it('requires ?token= to match', () => {
    const w = hook(TOKEN)!;
    expect(w.verify(inbound({}))).toEqual({ ok: true });
    expect(w.verify(inbound({}, `?token=${TOKEN}x`))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not match/),
    });
    expect(w.verify(inbound({}, ''))).toMatchObject({ ok: false, reason: expect.stringMatching(/missing token/) });
    expect(w.verify(inbound({}, '?token='))).toMatchObject({ ok: false });
  });

  it('maps statuses (any case) with one dedupe key per message and status', () => {
    const w = hook(TOKEN)!;
    const parsed = w.parse(
      inbound([
        { messageId: 'm1', status: 'DELIVERED', errorCode: null },
        { messageId: 'm1', status: 'Read', errorCode: null },
        {
          messageId: 'm2',
          status: 'undelivered',
          errorCode: 'ABSENT_SUBSCRIBER',
          errorMessage: 'Handset switched off',
        },
        { messageId: 'm3', status: 'failed', errorCode: 'E31' },
        { messageId: 'm4', status: 'sent' },
        { messageId: 'm5', status: 'something-new' },
      ]),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.events.map((e) => [e.providerMessageId, e.status, e.dedupeKey, e.errorCode, e.errorMessage])).toEqual(
      [
        ['m1', 'DELIVERED', 'smsmedia:m1:delivered', undefined, undefined],
        ['m1', 'READ', 'smsmedia:m1:read', undefined, undefined],
        ['m2', 'UNDELIVERED', 'smsmedia:m2:undelivered', 'ABSENT_SUBSCRIBER', 'Handset switched off'],
        ['m3', 'FAILED', 'smsmedia:m3:failed', 'E31', 'SMSMedia error E31'],
        ['m4', 'SENT', 'smsmedia:m4:sent', undefined, undefined],
      ],
    );
    expect(
      parsed.events.every(
        (e) => e.provider === 'smsmedia' && e.occurredAt.toISOString() === '2025-04-15T10:00:00.000Z',
      ),
    ).toBe(true);
  });

  it('refuses what it cannot read', () => {
    const w = hook(TOKEN)!;
    expect(w.parse(inbound('not json'))).toMatchObject({ ok: false });
    expect(w.parse(inbound({ status: 'delivered' }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/messageId and status/),
    });
    expect(w.parse(inbound(['x']))).toMatchObject({ ok: false });
  });

  it('maps the documented statuses', () => {
    expect(['delivered', 'READ', 'Failed', 'sent', 'UNDELIVERED', 'bogus'].map(mapSmsMediaStatus)).toEqual([
      'DELIVERED',
      'READ',
      'FAILED',
      'SENT',
      'UNDELIVERED',
      undefined,
    ]);
  });
});

describe('through Herald', () => {
  let h: TestHerald;

  beforeAll(async () => {
    h = await startHerald({
      HERALD_WORKERS: '1',
      HERALD_POLL_MS: '20',
      HERALD_RECONCILE_AFTER_MS: '86400000',
      // Everything Herald would ever log, to check that the API key is in none of it.
      LOG_LEVEL: 'trace',
      HERALD_ROUTE_SMS: 'smsmedia',
      SMSMEDIA_API_KEY: fake.apiKey,
      SMSMEDIA_BASE_URL: fake.url,
      SMSMEDIA_SENDER_ID: 'HERALD',
      SMSMEDIA_WEBHOOK_TOKEN: TOKEN,
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const load = async (id: string) => (await h.sdk().Message({ id })).message!;
  const report = (body: unknown, query = `?token=${TOKEN}`) =>
    fetch(`${h.url}/webhooks/smsmedia${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('sendSms -> SENT with the SMSMedia id -> a delivery report -> DELIVERED; a wrong token changes nothing', async () => {
    const r = await h.sdk().SendSms({ input: { to: '+91 88000 01234', text: 'Your code is 123456' } });
    if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
    const id = r.sendSms.messageId;
    const sent = await eventually(
      () => load(id),
      (m) => m.status === 'SENT',
    );
    const req = fake.requests.find((q) => q.params.smstext === 'Your code is 123456')!;
    expect(req.query).toEqual([
      ['apikey', fake.apiKey],
      ['senderid', 'HERALD'],
      ['mobile', '918800001234'],
      ['smstext', 'Your code is 123456'],
      ['nonenglish', 'false'],
      ['flash', 'false'],
      ['serviceid', '6'],
    ]);
    expect(sent).toMatchObject({ provider: 'smsmedia', providerMessageId: req.messageId });

    const dlr = { messageId: req.messageId, status: 'delivered', errorCode: null };
    for (const query of ['?token=wrong-token-0123456789', '', `?token=${TOKEN.toUpperCase()}`]) {
      const refused = await report(dlr, query);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('INVALID_SIGNATURE');
    }
    const untouched = await load(id);
    expect(untouched.status).toBe('SENT');
    expect(untouched.events.filter((e) => e.kind === 'provider')).toEqual([]);

    const ok = await report(dlr);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    const again = await report(dlr); // redelivered: recorded once
    expect(again.status).toBe(200);

    const delivered = await load(id);
    expect(delivered.status).toBe('DELIVERED');
    expect(delivered.events.filter((e) => e.kind === 'status').map((e) => e.status)).toEqual([
      'QUEUED',
      'SENDING',
      'SENT',
      'DELIVERED',
    ]);
    expect(delivered.events.filter((e) => e.kind === 'provider')).toMatchObject([
      { status: 'DELIVERED', provider: 'smsmedia' },
    ]);
  });

  it('an undelivered report keeps its error code', async () => {
    const r = await h.sdk().SendSms({ input: { to: '+918800001235', text: 'Your code is 654321' } });
    if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
    const m = await eventually(
      () => load((r.sendSms as { messageId: string }).messageId),
      (m) => m.status === 'SENT',
    );
    const res = await report({ messageId: m.providerMessageId, status: 'UNDELIVERED', errorCode: 'DND_BLOCKED' });
    expect(res.status).toBe(200);
    const after = await load(m.messageId);
    expect(after).toMatchObject({ status: 'UNDELIVERED', lastError: { code: 'DND_BLOCKED' } });
  });

  it('an upstream refusal ends FAILED with the key redacted from what is stored', async () => {
    fake.script({ to: '918800001236', status: 400, message: `bad request for apikey ${fake.apiKey}` });
    const r = await h.sdk().SendSms({ input: { to: '+918800001236', text: 'Hello' } });
    if (r.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(r.sendSms));
    const m = await eventually(
      () => load((r.sendSms as { messageId: string }).messageId),
      (m) => m.status === 'FAILED',
    );
    expect(m.lastError).toMatchObject({
      code: 'HTTP_400',
      retryable: false,
      message: 'SMSMedia refused the message (HTTP 400): bad request for apikey [redacted]',
    });
    expect(JSON.stringify(m)).not.toContain(fake.apiKey);
  });

  it('the API key appears in no log line', () => {
    const lines = h.logLines();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes(fake.apiKey))).toEqual([]);
    expect(lines.filter((l) => l.includes(TOKEN))).toEqual([]);
  });
});
