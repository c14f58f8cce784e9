import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InboundWebhook, OutboundMessage, Provider, SendFailure, SendResult } from '../src/providers/provider.js';
import {
  classifyWhatsAppError,
  createWhatsAppCloudProvider,
  mapWhatsAppStatus,
  type WhatsAppCloudConfig,
  type WhatsAppCloudProvider,
} from '../src/providers/whatsapp-cloud.js';
import type { MessageQuery } from './client/sdk.js';
import { eventually } from './support/clock.js';
import { startFakeWhatsApp, type FakeWhatsApp } from './support/fake-whatsapp.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// The WhatsApp Cloud API adapter against a real local HTTP server speaking the Graph API's wire
// format, then the whole round trip through Herald: GraphQL send, dispatcher, fake Meta,
// signed status notification to /webhooks/whatsapp-cloud, status in GraphQL.

const VERIFY_TOKEN = 'verify-me-0123456789';
const TO = '+14155550100';

let fake: FakeWhatsApp;
const providers: Provider[] = [];

beforeAll(async () => {
  fake = await startFakeWhatsApp({
    templates: [
      { name: 'hello_world', languages: ['en_US'] },
      { name: 'order_update', languages: ['en', 'pt_BR'], bodyParams: 2 },
      { name: 'invoice_ready', bodyParams: 1, header: 'document' },
      { name: 'promo_image', bodyParams: 0, header: 'image' },
      { name: 'promo_video', bodyParams: 1, header: 'video' },
    ],
  });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await Promise.all(providers.map((p) => p.stop?.()));
  await fake.close();
});

const provider = (cfg: Partial<WhatsAppCloudConfig> = {}): WhatsAppCloudProvider => {
  const p = createWhatsAppCloudProvider({
    accessToken: fake.accessToken,
    phoneNumberId: fake.phoneNumberId,
    appSecret: fake.appSecret,
    verifyToken: VERIFY_TOKEN,
    baseUrl: fake.url,
    apiVersion: fake.apiVersion,
    ...cfg,
  });
  providers.push(p);
  return p;
};

const template = (overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: '0190c5e0-0000-7000-8000-000000000001',
  tenantId: '0190c5e0-0000-7000-8000-000000000002',
  channel: 'WHATSAPP',
  recipient: TO,
  sender: null,
  templateName: 'order_update',
  templateLanguage: 'en',
  templateParams: ['Ada', '#1001'],
  body: null,
  subject: null,
  mediaType: 'NONE',
  mediaId: null,
  channelOptions: {},
  validUntil: null,
  attempt: 1,
  ...overrides,
});

const send = (
  p: Provider,
  message = template(),
  timeoutMs = 5_000,
  signal = new AbortController().signal,
): Promise<SendResult> => p.send(message, { timeoutMs, signal });

const failure = (result: { ok: boolean }): SendFailure => {
  expect(result.ok).toBe(false);
  return result as SendFailure;
};

describe('request shape', () => {
  it('POSTs the template to /{version}/{phone-number-id}/messages with the bearer token, and answers the wamid', async () => {
    const result = await send(provider());
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/${fake.apiVersion}/${fake.phoneNumberId}/messages`);
    expect(req.authorization).toBe(`Bearer ${fake.accessToken}`);
    expect(req.contentType).toBe('application/json');
    expect(req.json).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '14155550100',
      type: 'template',
      template: {
        name: 'order_update',
        language: { code: 'en' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ada' },
              { type: 'text', text: '#1001' },
            ],
          },
        ],
      },
      biz_opaque_callback_data: '0190c5e0-0000-7000-8000-000000000001',
    });
    expect(req.status).toBe(200);
    expect(req.wamid).toMatch(/^wamid\.[A-Za-z0-9_-]{20,}$/);
    expect(result).toMatchObject({
      ok: true,
      providerMessageId: req.wamid,
      raw: { messaging_product: 'whatsapp', contacts: [{ wa_id: '14155550100' }] },
    });
  });

  it('omits components when there are neither media nor parameters, and passes the language through', async () => {
    const result = await send(
      provider(),
      template({ templateName: 'hello_world', templateLanguage: 'en_US', templateParams: [] }),
    );
    expect(result.ok).toBe(true);
    expect(fake.requests[0]!.json!.template).toEqual({ name: 'hello_world', language: { code: 'en_US' } });
  });

  it('puts header media by id, and by link when the media id is an http(s) URL', async () => {
    const p = provider();
    const byId = await send(
      p,
      template({
        templateName: 'invoice_ready',
        templateParams: ['INV-7'],
        mediaType: 'DOCUMENT',
        mediaId: '1037543291543636',
      }),
    );
    const image = await send(
      p,
      template({
        templateName: 'promo_image',
        templateParams: [],
        mediaType: 'IMAGE',
        mediaId: 'https://cdn.example.com/a.png',
      }),
    );
    const video = await send(
      p,
      template({
        templateName: 'promo_video',
        templateLanguage: 'en_US',
        templateParams: ['50%'],
        mediaType: 'VIDEO',
        mediaId: 'HTTP://cdn.example.com/v.mp4',
      }),
    );
    expect([byId.ok, image.ok, video.ok]).toEqual([true, true, true]);
    const components = fake.requests.map((r) => (r.json!.template as { components: unknown }).components);
    expect(components).toEqual([
      [
        { type: 'header', parameters: [{ type: 'document', document: { id: '1037543291543636' } }] },
        { type: 'body', parameters: [{ type: 'text', text: 'INV-7' }] },
      ],
      [{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/a.png' } }] }],
      [
        { type: 'header', parameters: [{ type: 'video', video: { link: 'HTTP://cdn.example.com/v.mp4' } }] },
        { type: 'body', parameters: [{ type: 'text', text: '50%' }] },
      ],
    ]);
  });

  it('refuses what cannot be a WhatsApp template send without calling Meta', async () => {
    const p = provider();
    expect(failure(await send(p, template({ channel: 'SMS' })))).toMatchObject({
      code: 'UNSUPPORTED_CHANNEL',
      retryable: false,
    });
    expect(failure(await send(p, template({ templateName: null })))).toMatchObject({
      code: 'INVALID_MESSAGE',
      retryable: false,
    });
    expect(failure(await send(p, template({ mediaType: 'IMAGE', mediaId: null })))).toMatchObject({
      code: 'INVALID_MESSAGE',
      retryable: false,
    });
    expect(failure(await send(p, template({ recipient: 'someone@example.com' })))).toMatchObject({
      code: 'INVALID_RECIPIENT',
      retryable: false,
    });
    expect(failure(await send(p, template({ validUntil: new Date(Date.now() - 1000) })))).toMatchObject({
      code: 'EXPIRED',
      retryable: false,
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('reuses keep-alive connections under concurrency', async () => {
    const p = provider({ connections: 8 });
    const before = fake.connections();
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => send(p, template({ templateParams: ['Ada', `#${i}`] }))),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => r.ok && r.providerMessageId)).size).toBe(300);
    expect(fake.connections() - before).toBeLessThanOrEqual(8);
  });

  it('declares WhatsApp with header media and 80 messages/s per phone number', () => {
    expect(provider().capabilities).toEqual({
      channels: ['WHATSAPP'],
      media: ['IMAGE', 'VIDEO', 'DOCUMENT'],
      maxPerSecond: 80,
    });
  });
});

describe('error mapping', () => {
  type Row = [
    name: string,
    setup: () => void,
    message: Partial<OutboundMessage>,
    expected: Partial<SendFailure>,
    text: RegExp,
  ];
  const rows: Row[] = [
    [
      '130429 throughput: retryable, exponential backoff',
      () => fake.script({ code: 130429, message: '(#130429) Rate limit hit', times: 1 }),
      {},
      { code: '130429', retryable: true },
      /throughput limit was reached, retrying later: \(#130429\) Rate limit hit/,
    ],
    [
      '131056 pair rate limit: retryable after ~6 s',
      () =>
        fake.script({
          to: '14155550100',
          code: 131056,
          message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
          times: 1,
        }),
      {},
      { code: '131056', retryable: true, retryAfterMs: 6000 },
      /pair rate limit/,
    ],
    [
      '131026 undeliverable: permanent',
      () => fake.script({ code: 131026, message: '(#131026) Message Undeliverable.', times: 1 }),
      {},
      { code: '131026', retryable: false },
      /^the message is undeliverable.*: \(#131026\) Message Undeliverable\.$/,
    ],
    [
      '131047 outside the 24 h window: permanent',
      () =>
        fake.script({
          code: 131047,
          message: '(#131047) Re-engagement message',
          details: 'Message failed to send because more than 24 hours have passed',
          times: 1,
        }),
      {},
      { code: '131047', retryable: false },
      /outside the customer service window\): Message failed to send because more than 24 hours have passed$/,
    ],
    [
      '132000 parameter count (validated by the fake, like Meta): permanent',
      () => {},
      { templateParams: ['only one'] },
      { code: '132000', retryable: false },
      /^the number of parameters does not match the template: body: number of localizable_params \(1\) does not match the expected number of params \(2\)$/,
    ],
    [
      '132001 unknown template (validated by the fake): permanent',
      () => {},
      { templateName: 'no_such_template' },
      { code: '132001', retryable: false },
      /^the template does not exist in this language, or is not approved: template name \(no_such_template\) does not exist in en$/,
    ],
    [
      '132001 template not approved in this language: permanent',
      () => {},
      { templateLanguage: 'de' },
      { code: '132001', retryable: false },
      /does not exist in de$/,
    ],
    [
      '131049 marketing cap: permanent, retry much later by hand',
      () =>
        fake.script({
          code: 131049,
          message: '(#131049) This message was not delivered to maintain healthy ecosystem engagement.',
          times: 1,
        }),
      {},
      { code: '131049', retryable: false },
      /marketing message limit\); retry it a day or more later/,
    ],
    [
      '100 invalid parameter (an unknown phone number id, as Meta answers): permanent',
      () => {},
      {},
      { code: '100', retryable: false },
      /^WhatsApp refused a parameter of the request: Unsupported post request\. Object with ID '1234567' does not exist/,
    ],
    [
      'an unlisted 4xx code: permanent, with the code',
      () => fake.script({ code: 135000, message: '(#135000) Generic user error', times: 1 }),
      {},
      { code: '135000', retryable: false },
      /^WhatsApp refused the message \(error 135000\): \(#135000\) Generic user error$/,
    ],
    [
      '500 with a Graph body: retryable',
      () => fake.script({ status: 500, code: 1, message: 'An unknown error occurred', times: 1 }),
      {},
      { code: '1', retryable: true },
      /unavailable \(HTTP 500\)/,
    ],
    [
      '131000 something went wrong: retryable',
      () => fake.script({ status: 500, code: 131000, message: '(#131000) Something went wrong', times: 1 }),
      {},
      { code: '131000', retryable: true },
      /unknown reason, retrying later/,
    ],
    [
      '502 from a gateway (HTML): retryable',
      () => fake.script({ status: 502, rawBody: '<html>Bad Gateway</html>', times: 1 }),
      {},
      { code: 'HTTP_502', retryable: true },
      /unavailable \(HTTP 502\): HTTP 502/,
    ],
    [
      '429 with Retry-After: retryable after it',
      () =>
        fake.script({
          status: 429,
          code: 4,
          message: '(#4) Application request limit reached',
          retryAfter: 3,
          times: 1,
        }),
      {},
      { code: '4', retryable: true, retryAfterMs: 3000 },
      /call rate limit/,
    ],
  ];

  it.each(rows)('%s', async (_name, setup, message, expected, text) => {
    setup();
    const p = _name.startsWith('100 ') ? provider({ phoneNumberId: '1234567' }) : provider();
    const result = failure(await send(p, template(message)));
    expect(result).toMatchObject(expected);
    if (expected.retryAfterMs === undefined) expect(result.retryAfterMs).toBeUndefined();
    expect(result.message).toMatch(text);
    expect(fake.requests).toHaveLength(1);
  });

  it('keeps the Graph error (with fbtrace_id) in raw for support cases', async () => {
    fake.script({ code: 131026, message: '(#131026) Message Undeliverable.', times: 1 });
    const result = failure(await send(provider()));
    expect(result.raw).toMatchObject({
      status: 400,
      body: { error: { code: 131026, type: 'OAuthException', fbtrace_id: expect.any(String) } },
    });
  });

  it('an invalid or expired token is permanent, clearly worded, and never leaks the token', async () => {
    const token = `EAAwrong${'x'.repeat(40)}`;
    const result = failure(await send(provider({ accessToken: token })));
    expect(result).toMatchObject({ code: '190', retryable: false });
    expect(result.message).toBe(
      'the access token is invalid or expired: Invalid OAuth access token - Cannot parse access token',
    );
    expect(fake.requests[0]!.status).toBe(401);
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('redacts the token even when the upstream echoes it', async () => {
    fake.script({
      code: 100,
      message: `(#100) bad token ${fake.accessToken}`,
      details: `Bearer ${fake.accessToken}`,
      times: 1,
    });
    const result = failure(await send(provider()));
    expect(JSON.stringify(result)).not.toContain(fake.accessToken);
    expect(result.message).toContain('[redacted]');
  });

  it('a slow answer is a retryable TIMEOUT within the deadline; an abort resolves at once', async () => {
    fake.script({ delayMs: 2_000, times: 2 });
    const started = performance.now();
    expect(failure(await send(provider(), template(), 200))).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(performance.now() - started).toBeLessThan(1_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(failure(await send(provider(), template(), 5_000, controller.signal))).toMatchObject({
      code: 'ABORTED',
      retryable: true,
    });
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

  it('a 200 without a message id is a retryable surprise, not a success', async () => {
    fake.script({ status: 200, rawBody: '<html>captive portal</html>', times: 1 });
    expect(failure(await send(provider()))).toMatchObject({ code: 'HTTP_200', retryable: true });
  });

  it('classifies by code first, then by HTTP status', () => {
    expect(classifyWhatsAppError(190, 400)).toMatchObject({
      retryable: false,
      text: 'the access token is invalid or expired',
    });
    expect(classifyWhatsAppError(undefined, 401)).toMatchObject({
      retryable: false,
      text: 'the access token is invalid or expired',
    });
    expect(classifyWhatsAppError(230, 403)).toMatchObject({
      retryable: false,
      text: expect.stringMatching(/permission/),
    });
    expect(classifyWhatsAppError(130429, 400)).toMatchObject({ retryable: true });
    expect(classifyWhatsAppError(131056, 400)).toMatchObject({ retryable: true, retryAfterMs: 6000 });
    expect(classifyWhatsAppError(99999, 503)).toMatchObject({ retryable: true });
    expect(classifyWhatsAppError(undefined, 429)).toMatchObject({ retryable: true });
    expect(classifyWhatsAppError(99999, 400)).toMatchObject({ retryable: false });
  });
});

describe('media upload', () => {
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.alloc(2048, 7),
    Buffer.from([0, 255, 13, 10]),
  ]);

  it('POSTs multipart file, type and messaging_product to /{phone-number-id}/media; the id is usable as a header', async () => {
    const p = provider();
    const result = await p.uploadMedia({ bytes: png, mimeType: 'image/png', filename: 'banner ü.png' });
    expect(result).toMatchObject({ ok: true, id: expect.stringMatching(/^\d{16}$/) });
    const id = (result as { id: string }).id;
    const req = fake.requests[0]!;
    expect(req.path).toBe(`/${fake.apiVersion}/${fake.phoneNumberId}/media`);
    expect(req.authorization).toBe(`Bearer ${fake.accessToken}`);
    expect(req.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(req.form).toEqual({
      messaging_product: 'whatsapp',
      type: 'image/png',
      file: { filename: 'banner ü.png', type: 'image/png', size: png.length },
    });
    const stored = fake.media.get(id)!;
    expect(stored.mimeType).toBe('image/png');
    expect(stored.filename).toBe('banner ü.png');
    expect(Buffer.compare(stored.bytes, png)).toBe(0);

    const sent = await send(
      p,
      template({ templateName: 'promo_image', templateParams: [], mediaType: 'IMAGE', mediaId: id }),
    );
    expect(sent.ok).toBe(true);
    expect(fake.requests[1]!.json!.template).toMatchObject({
      components: [{ type: 'header', parameters: [{ type: 'image', image: { id } }] }],
    });
  });

  it('refuses types and sizes WhatsApp does not take, before uploading', async () => {
    const p = provider();
    expect(failure(await p.uploadMedia({ bytes: png, mimeType: 'image/gif', filename: 'a.gif' }))).toMatchObject({
      code: 'MEDIA_TYPE_UNSUPPORTED',
      retryable: false,
    });
    const big = failure(
      await p.uploadMedia({ bytes: Buffer.alloc(5 * 1024 * 1024 + 1), mimeType: 'image/jpeg', filename: 'big.jpg' }),
    );
    expect(big).toMatchObject({ code: 'MEDIA_TOO_LARGE', retryable: false });
    expect(big.message).toMatch(/up to 5 MB/);
    expect(
      failure(await p.uploadMedia({ bytes: Buffer.alloc(0), mimeType: 'application/pdf', filename: 'x.pdf' })),
    ).toMatchObject({ code: 'MEDIA_EMPTY' });
    expect(fake.requests).toHaveLength(0);
  });

  it('classifies upload failures like sends, without the token', async () => {
    fake.script({ endpoint: 'media', status: 503, code: 2, message: 'Service temporarily unavailable', times: 1 });
    expect(
      failure(await provider().uploadMedia({ bytes: png, mimeType: 'image/png', filename: 'a.png' })),
    ).toMatchObject({ code: '2', retryable: true });
    const token = `EAAwrong${'y'.repeat(40)}`;
    const denied = failure(
      await provider({ accessToken: token }).uploadMedia({ bytes: png, mimeType: 'image/png', filename: 'a.png' }),
    );
    expect(denied).toMatchObject({
      code: '190',
      retryable: false,
      message: expect.stringMatching(/^the access token is invalid or expired/),
    });
    expect(JSON.stringify(denied)).not.toContain(token);
    expect(fake.media.size).toBe(0);
  });
});

describe('webhook (the adapter)', () => {
  const inbound = (
    body: string,
    headers: Record<string, string> = {},
    publicUrl = 'https://herald.example.com/webhooks/whatsapp-cloud',
  ): InboundWebhook => ({
    method: 'POST',
    publicUrl,
    headers,
    rawBody: Buffer.from(body),
    receivedAt: new Date('2025-01-01T00:00:00Z'),
  });
  const hook = () => provider().webhook!;

  it('verifies X-Hub-Signature-256 over the raw body with the app secret', () => {
    const { body, headers } = fake.statusNotification({ wamid: 'wamid.A', status: 'delivered' });
    expect(hook().verify(inbound(body, headers))).toEqual({ ok: true });
    // Computed independently of both the fake and the adapter.
    const mine = `sha256=${createHmac('sha256', fake.appSecret).update(body).digest('hex')}`;
    expect(
      hook().verify(inbound(body, { 'x-hub-signature-256': mine.toUpperCase().replace('SHA256=', 'sha256=') })),
    ).toEqual({ ok: true });
    expect(hook().verify(inbound(body, {}))).toMatchObject({ ok: false, reason: /missing/ });
    expect(hook().verify(inbound(body, { 'x-hub-signature-256': 'sha1=abc' }))).toMatchObject({
      ok: false,
      reason: /sha256=/,
    });
    expect(hook().verify(inbound(body, { 'x-hub-signature-256': fake.sign(body, 'another-secret') }))).toMatchObject({
      ok: false,
      reason: /does not match/,
    });
    expect(hook().verify(inbound(body.replace('delivered', 'read'), headers))).toMatchObject({ ok: false });
    // No app secret, no webhook at all (404): reports could not be authenticated.
    expect(provider({ appSecret: undefined }).webhook).toBeUndefined();
  });

  it('maps statuses, timestamps, errors and dedupe keys', () => {
    const { body } = fake.statusNotification([
      { wamid: 'wamid.S', status: 'sent', timestamp: 1_700_000_000 },
      { wamid: 'wamid.S', status: 'delivered', timestamp: 1_700_000_001 },
      { wamid: 'wamid.S', status: 'read', timestamp: 1_700_000_002 },
      {
        wamid: 'wamid.F',
        status: 'failed',
        timestamp: 1_700_000_003,
        errors: [{ code: 131026, title: 'Message undeliverable', details: 'Message Undeliverable.' }],
      },
      { wamid: 'wamid.X', status: 'deleted' },
    ]);
    const parsed = hook().parse(inbound(body));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.inbound).toBeUndefined();
    expect(parsed.events.map(({ raw: _raw, ...e }) => e)).toEqual([
      {
        provider: 'whatsapp-cloud',
        providerMessageId: 'wamid.S',
        status: 'SENT',
        occurredAt: new Date(1_700_000_000_999),
        errorCode: undefined,
        errorMessage: undefined,
        dedupeKey: 'whatsapp-cloud:wamid.S:sent',
      },
      {
        provider: 'whatsapp-cloud',
        providerMessageId: 'wamid.S',
        status: 'DELIVERED',
        occurredAt: new Date(1_700_000_001_999),
        errorCode: undefined,
        errorMessage: undefined,
        dedupeKey: 'whatsapp-cloud:wamid.S:delivered',
      },
      {
        provider: 'whatsapp-cloud',
        providerMessageId: 'wamid.S',
        status: 'READ',
        occurredAt: new Date(1_700_000_002_999),
        errorCode: undefined,
        errorMessage: undefined,
        dedupeKey: 'whatsapp-cloud:wamid.S:read',
      },
      {
        provider: 'whatsapp-cloud',
        providerMessageId: 'wamid.F',
        status: 'FAILED',
        occurredAt: new Date(1_700_000_003_999),
        errorCode: '131026',
        errorMessage: 'Message undeliverable: Message Undeliverable.',
        dedupeKey: 'whatsapp-cloud:wamid.F:failed',
      },
    ]);
    expect(parsed.events[0]!.raw).toMatchObject({ id: 'wamid.S', status: 'sent', pricing: { category: 'utility' } });
    // Whole seconds from Meta: the latest moment of that second not after Herald received it.
    const at = (timestamp: number, received: string) =>
      (
        hook().parse({
          ...inbound(fake.statusNotification({ wamid: 'wamid.T', status: 'read', timestamp }).body),
          receivedAt: new Date(received),
        }) as {
          events: Array<{ occurredAt: Date }>;
        }
      ).events[0]!.occurredAt.toISOString();
    expect(at(1_700_000_000, '2023-11-14T22:13:20.250Z')).toBe('2023-11-14T22:13:20.250Z');
    expect(at(1_700_000_000, '2023-11-14T22:13:25.000Z')).toBe('2023-11-14T22:13:20.999Z');
    expect(at(1_700_000_000, '2023-11-14T22:13:19.000Z')).toBe('2023-11-14T22:13:20.000Z');
    expect(['sent', 'delivered', 'read', 'failed', 'deleted', 'warning'].map(mapWhatsAppStatus)).toEqual([
      'SENT',
      'DELIVERED',
      'READ',
      'FAILED',
      undefined,
      undefined,
    ]);
  });

  it('parses messages users sent (for opt-out handling) and reports no status for them', () => {
    const { body } = fake.inboundNotification([
      { from: '14155550100', text: 'STOP', id: 'wamid.IN1', timestamp: 1_700_000_010 },
      {
        from: '14155550101',
        button: { text: 'Stop promotions', payload: 'OPT_OUT' },
        id: 'wamid.IN2',
        contextId: 'wamid.OURS',
      },
    ]);
    const parsed = hook().parse(inbound(body));
    expect(parsed).toMatchObject({ ok: true, events: [] });
    if (!parsed.ok) return;
    expect(parsed.inbound).toEqual([
      {
        provider: 'whatsapp-cloud',
        channel: 'WHATSAPP',
        providerMessageId: 'wamid.IN1',
        from: '+14155550100',
        to: fake.phoneNumberId,
        occurredAt: new Date(1_700_000_010_999),
        kind: 'text',
        text: 'STOP',
        payload: undefined,
        inReplyTo: undefined,
        dedupeKey: 'whatsapp-cloud:inbound:wamid.IN1',
      },
      {
        provider: 'whatsapp-cloud',
        channel: 'WHATSAPP',
        providerMessageId: 'wamid.IN2',
        from: '+14155550101',
        to: fake.phoneNumberId,
        occurredAt: expect.any(Date),
        kind: 'button',
        text: 'Stop promotions',
        payload: 'OPT_OUT',
        inReplyTo: 'wamid.OURS',
        dedupeKey: 'whatsapp-cloud:inbound:wamid.IN2',
      },
    ]);
  });

  it("ignores other phone numbers' notifications, other fields and other objects; refuses what it cannot read", () => {
    const other = fake.statusNotification({ wamid: 'wamid.O', status: 'delivered' }, { phoneNumberId: '999999999' });
    expect(hook().parse(inbound(other.body))).toEqual({ ok: true, events: [] });
    const template = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }],
    });
    // Template fields are read (templates/lifecycle.ts applies them): one without the template is refused.
    expect(hook().parse(inbound(template))).toMatchObject({ ok: false, reason: /message_template_id/ });
    expect(hook().parse(inbound(JSON.stringify({ object: 'page', entry: [] })))).toEqual({ ok: true, events: [] });

    expect(hook().parse(inbound('{"object":'))).toMatchObject({ ok: false, reason: 'the body is not JSON' });
    expect(hook().parse(inbound('{"entry":[]}'))).toMatchObject({ ok: false, reason: /object/ });
    const noId = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ changes: [{ field: 'messages', value: { statuses: [{ status: 'read' }] } }] }],
    });
    expect(hook().parse(inbound(noId))).toMatchObject({
      ok: false,
      reason: /entry\.0\.changes\.0\.value\.statuses\.0\.id/,
    });
    const badTime = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          changes: [
            { field: 'messages', value: { statuses: [{ id: 'wamid.T', status: 'read', timestamp: 'yesterday' }] } },
          ],
        },
      ],
    });
    expect(hook().parse(inbound(badTime))).toMatchObject({ ok: false, reason: /timestamp/ });
  });

  it('answers the verification handshake only with the verify token', () => {
    const get = (query: string) =>
      hook().handshake!({
        ...inbound(''),
        method: 'GET',
        publicUrl: `https://herald.example.com/webhooks/whatsapp-cloud?${query}`,
      });
    expect(get(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`)).toEqual({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: '1158201444',
    });
    expect(get('hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444')).toBeNull();
    expect(get(`hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`)).toBeNull();
    expect(get(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}`)).toBeNull();
    const noToken = provider({ verifyToken: undefined }).webhook!;
    expect(
      noToken.handshake!({
        ...inbound(''),
        method: 'GET',
        publicUrl: 'https://h.example.com/webhooks/whatsapp-cloud?hub.mode=subscribe&hub.verify_token=&hub.challenge=1',
      }),
    ).toBeNull();
  });
});

// --- through Herald ------------------------------------------------------------------------

type Message = NonNullable<MessageQuery['message']>;

describe('through Herald', () => {
  let h: TestHerald;
  let sdk: Sdk;
  /** Every GraphQL answer the tests saw, to check no secret is ever in one. */
  const answers: string[] = [];

  const env = (overrides: Record<string, string> = {}) => ({
    HERALD_WORKERS: '1',
    HERALD_POLL_MS: '20',
    HERALD_RETRY_BASE_MS: '50',
    HERALD_RECONCILE_AFTER_MS: '86400000',
    LOG_LEVEL: 'debug',
    HERALD_ROUTE_WHATSAPP: 'whatsapp-cloud',
    WHATSAPP_ACCESS_TOKEN: fake.accessToken,
    WHATSAPP_PHONE_NUMBER_ID: fake.phoneNumberId,
    WHATSAPP_APP_SECRET: fake.appSecret,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_BASE_URL: fake.url,
    WHATSAPP_API_VERSION: fake.apiVersion,
    ...overrides,
  });

  beforeAll(async () => {
    h = await startHerald(env());
    sdk = h.sdk();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const load = async (id: string, on = sdk): Promise<Message> => {
    const r = await on.Message({ id });
    answers.push(JSON.stringify(r));
    return r.message!;
  };
  const reportsOf = (m: Message) => m.events.filter((e) => e.kind === 'provider').map((e) => e.status);
  const statusesOf = (m: Message) => m.events.filter((e) => e.kind === 'status').map((e) => e.status);

  async function sendWhatsApp(input: Parameters<Sdk['SendWhatsApp']>[0]['input'], on = sdk): Promise<string> {
    const r = await on.SendWhatsApp({ input });
    answers.push(JSON.stringify(r));
    if (r.sendWhatsApp.__typename !== 'Message') throw new Error(JSON.stringify(r.sendWhatsApp));
    return r.sendWhatsApp.messageId;
  }

  const post = (n: { body: string; headers: Record<string, string> }, base = h.url) =>
    fetch(`${base}/webhooks/whatsapp-cloud`, { method: 'POST', headers: n.headers, body: n.body });

  it('sends through the fake Meta, and a signed delivered notification moves the message to DELIVERED', async () => {
    const id = await sendWhatsApp({
      to: '+1 415 555 0100',
      templateName: 'invoice_ready',
      language: 'en',
      params: ['INV-1001'],
      mediaType: 'DOCUMENT',
      mediaId: 'https://files.example.com/INV-1001.pdf',
    });
    const sent = await eventually(
      () => load(id),
      (m) => m.status === 'SENT',
    );
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.path).toBe(`/${fake.apiVersion}/${fake.phoneNumberId}/messages`);
    expect(req.authorization).toBe(`Bearer ${fake.accessToken}`);
    expect(req.json).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '14155550100',
      type: 'template',
      template: {
        name: 'invoice_ready',
        language: { code: 'en' },
        components: [
          {
            type: 'header',
            parameters: [{ type: 'document', document: { link: 'https://files.example.com/INV-1001.pdf' } }],
          },
          { type: 'body', parameters: [{ type: 'text', text: 'INV-1001' }] },
        ],
      },
      biz_opaque_callback_data: id,
    });
    expect(sent).toMatchObject({ provider: 'whatsapp-cloud', providerMessageId: req.wamid, attempts: 1 });

    const res = await post(fake.statusNotification({ wamid: req.wamid!, status: 'delivered' }));
    expect(res.status).toBe(200);
    // Answered 200 means committed.
    const delivered = await load(id);
    expect(delivered.status).toBe('DELIVERED');
    expect(statusesOf(delivered)).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']);
    expect(reportsOf(delivered)).toEqual(['DELIVERED']);
    expect(delivered.events.find((e) => e.kind === 'provider')?.provider).toBe('whatsapp-cloud');

    // Meta redelivers; then read arrives, and a late "sent" changes nothing.
    expect((await post(fake.statusNotification({ wamid: req.wamid!, status: 'delivered' }))).status).toBe(200);
    expect(
      (
        await post(
          fake.statusNotification([
            { wamid: req.wamid!, status: 'read' },
            { wamid: req.wamid!, status: 'sent', timestamp: 1 },
          ]),
        )
      ).status,
    ).toBe(200);
    const read = await load(id);
    expect(read.status).toBe('READ');
    expect(reportsOf(read).sort()).toEqual(['DELIVERED', 'READ', 'SENT']);
  });

  it('a failed notification ends the message FAILED with the code and title', async () => {
    const id = await sendWhatsApp({ to: TO, templateName: 'hello_world', language: 'en_US' });
    const m = await eventually(
      () => load(id),
      (x) => x.status === 'SENT',
    );
    const res = await post(
      fake.statusNotification({
        wamid: m.providerMessageId!,
        status: 'failed',
        errors: [{ code: 131026, title: 'Message undeliverable' }],
      }),
    );
    expect(res.status).toBe(200);
    const failed = await load(id);
    expect(failed.status).toBe('FAILED');
    expect(failed.lastError).toMatchObject({ code: '131026', message: 'Message undeliverable' });
  });

  it('a forged signature is a 401 and changes nothing', async () => {
    const id = await sendWhatsApp({ to: TO, templateName: 'hello_world', language: 'en_US' });
    const m = await eventually(
      () => load(id),
      (x) => x.status === 'SENT',
    );
    const before = await load(id);
    const genuine = fake.statusNotification({ wamid: m.providerMessageId!, status: 'read' });
    const forged = [
      { body: genuine.body, headers: { 'content-type': 'application/json' } },
      fake.statusNotification({ wamid: m.providerMessageId!, status: 'read' }, { secret: 'not-the-app-secret' }),
      { body: genuine.body.replace('"read"', '"delivered"'), headers: genuine.headers },
      { body: genuine.body, headers: { ...genuine.headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` } },
      // Signed with the access token instead of the app secret: a classic misconfiguration.
      fake.statusNotification({ wamid: m.providerMessageId!, status: 'read' }, { secret: fake.accessToken }),
    ];
    for (const attack of forged) {
      const res = await post(attack);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_SIGNATURE');
    }
    expect(await load(id)).toEqual(before);
  });

  it('answers the GET verification handshake with the challenge, only for the verify token', async () => {
    const get = (token: string) =>
      fetch(
        `${h.url}/webhooks/whatsapp-cloud?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`,
      );
    const ok = await get(VERIFY_TOKEN);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const refused = await get('not-the-verify-token');
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('1158201444');
  });

  it('acknowledges messages users send, and changes no message', async () => {
    const id = await sendWhatsApp({ to: TO, templateName: 'hello_world', language: 'en_US' });
    const m = await eventually(
      () => load(id),
      (x) => x.status === 'SENT',
    );
    const notification = fake.inboundNotification({
      from: TO,
      text: 'STOP-PLEASE-do-not-log-me',
      contextId: m.providerMessageId!,
    });
    const res = await post(notification);
    expect(res.status).toBe(200);
    expect((await post(notification)).status).toBe(200); // redelivered: recorded once
    expect(await load(id)).toEqual(m);
    expect(h.logLines().join('\n')).not.toContain('do-not-log-me');

    // Recorded for the tenant whose message was answered (opt-outs start here).
    const inbound = await fetch(h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.adminKey}` },
      body: JSON.stringify({ query: '{ inboundMessages { from kind text inReplyToMessageId provider } }' }),
    });
    const body = (await inbound.json()) as { data: { inboundMessages: unknown[] } };
    expect(body.data.inboundMessages).toEqual([
      { from: TO, kind: 'text', text: 'STOP-PLEASE-do-not-log-me', inReplyToMessageId: id, provider: 'whatsapp-cloud' },
    ]);
  });

  it('a misconfigured token fails the message permanently, clearly, after exactly one attempt', async () => {
    const wrong = `EAAwrongtoken${'z'.repeat(60)}`;
    const other = await startHerald(
      env({ WHATSAPP_ACCESS_TOKEN: wrong, HERALD_RETRY_BASE_MS: '10', HERALD_RETRY_CAP_MS: '20' }),
    );
    try {
      const osdk = other.sdk();
      const id = await sendWhatsApp({ to: '+14155550123', templateName: 'hello_world', language: 'en_US' }, osdk);
      const failed = await eventually(
        () => load(id, osdk),
        (x) => x.status === 'FAILED',
      );
      // Nothing else happens later: no retry storm.
      await new Promise((r) => setTimeout(r, 300));
      const after = await load(id, osdk);
      expect(after).toEqual(failed);
      expect(after.attempts).toBe(1);
      expect(after.lastError).toEqual({
        code: '190',
        message: 'the access token is invalid or expired: Invalid OAuth access token - Cannot parse access token',
        retryable: false,
      });
      expect(statusesOf(after)).toEqual(['QUEUED', 'SENDING', 'FAILED']);
      const calls = fake.requests.filter((r) => r.authorization === `Bearer ${wrong}`);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.status).toBe(401);
      const logs = other.logLines().join('\n');
      expect(logs).not.toContain(wrong);
      expect(logs).not.toContain(fake.appSecret);
      expect(answers.join('\n')).not.toContain(wrong);
    } finally {
      await other.stop();
    }
  });

  it('never puts the access token, app secret or verify token in a log line or a GraphQL answer', () => {
    const logs = h.logLines();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.some((l) => l.includes('webhook rejected'))).toBe(true);
    for (const secret of [fake.accessToken, fake.appSecret, VERIFY_TOKEN]) {
      expect(logs.filter((l) => l.includes(secret))).toEqual([]);
      expect(answers.filter((a) => a.includes(secret))).toEqual([]);
    }
    expect(answers.length).toBeGreaterThan(5);
  });
});

describe('configuration', () => {
  it('needs the token and the phone number id together; routes WhatsApp to whatsapp-cloud', async () => {
    const { loadConfig } = await import('../src/config.js');
    expect(() => loadConfig({ WHATSAPP_ACCESS_TOKEN: 'EAAx' })).toThrow(
      /WHATSAPP_PHONE_NUMBER_ID: required with WHATSAPP_ACCESS_TOKEN/,
    );
    expect(() => loadConfig({ WHATSAPP_PHONE_NUMBER_ID: '123' })).toThrow(/WHATSAPP_ACCESS_TOKEN: required/);
    expect(() => loadConfig({ WHATSAPP_ACCESS_TOKEN: 'EAAx', WHATSAPP_PHONE_NUMBER_ID: '+14155550100' })).toThrow(
      /numeric id/,
    );
    expect(() => loadConfig({ WHATSAPP_API_VERSION: '23' })).toThrow(/WHATSAPP_API_VERSION/);
    const config = loadConfig({
      WHATSAPP_ACCESS_TOKEN: 'EAAx',
      WHATSAPP_PHONE_NUMBER_ID: '123',
      HERALD_ROUTE_WHATSAPP: 'whatsapp-cloud',
      WHATSAPP_APP_SECRET: '',
    });
    expect(config.providers.whatsappCloud).toEqual({
      accessToken: 'EAAx',
      phoneNumberId: '123',
      appSecret: undefined,
      verifyToken: undefined,
      baseUrl: 'https://graph.facebook.com',
      apiVersion: 'v23.0',
    });
    const { createProviders } = await import('../src/providers/registry.js');
    const registry = createProviders(config.providers, () => new Date());
    try {
      expect(registry.forChannel('WHATSAPP').name).toBe('whatsapp-cloud');
      expect(registry.forChannel('SMS').name).toBe('sandbox');
      // No app secret: no webhook, so /webhooks/whatsapp-cloud is a 404.
      expect(registry.get('whatsapp-cloud')!.webhook).toBeUndefined();
    } finally {
      for (const p of registry.all()) await p.stop?.();
    }
    expect(loadConfig({}).providers.whatsappCloud).toBeUndefined();
  });
});
