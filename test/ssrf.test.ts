import { createServer, type Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { request } from 'undici';
import { nonPublicReason } from '../src/net/addresses.js';
import { defaultResolve, DestinationNotAllowedError, OutboundGuard, type ResolveAll } from '../src/net/outbound.js';
import { eventually } from './support/clock.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// SSRF: every URL a tenant chooses (webhook endpoints, a message's callbackUrl, a provider's base
// URL or SMTP host, media URLs) is refused when it points at loopback, private, link-local or
// metadata addresses, in every spelling, and nothing is stored. Names are resolved by a resolver
// this test controls, so a name can answer a public address when registered and loopback when
// Herald connects (DNS rebinding): the connection-time guard must then keep Herald off a local
// server that is really listening. With HERALD_ALLOW_PRIVATE_TARGETS on (the harness default)
// local targets work.

/** A public address for names that must pass registration (no internet here: nothing connects to it). */
const PUBLIC = '93.184.216.34';
const DOMAIN = 'herald-ssrf.test';

/** Answers per name, in order; the last one keeps being given. Other names: the system resolver. */
const answers = new Map<string, string[][]>();
const resolve: ResolveAll = async (hostname) => {
  const steps = answers.get(hostname);
  if (!steps) return defaultResolve(hostname);
  const now = steps.length > 1 ? steps.shift()! : steps[0]!;
  return now.map((address) => ({ address, family: isIP(address) }));
};
const dnsName = (label: string, ...steps: string[][]): string => {
  const name = `${label}.${DOMAIN}`;
  answers.set(name, steps);
  return name;
};

/** Hosts that all reach this machine, a private network or cloud metadata. */
const SPELLINGS = [
  '127.0.0.1',
  '[::1]',
  '0.0.0.0',
  'localhost',
  'LocalHost.',
  '127.1',
  '2130706433',
  '0x7f000001',
  '0177.0.0.1',
  '[::ffff:127.0.0.1]',
  '169.254.169.254',
  '[fd00:ec2::254]',
  '10.0.0.7',
  'metadata.google.internal',
];
/** Also refused by the registration checks that resolve names (endpoints, providers, media). */
const LOOPBACK_NAME = dnsName('loopback', ['127.0.0.1']);
const RESOLVED_SPELLINGS = [...SPELLINGS, LOOPBACK_NAME];

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A local server that would answer, counting every connection made to it. */
let target: Server;
let port: number;
let connections = 0;
let requests = 0;
let guarded: TestHerald;
let open: TestHerald;
let sdk: Sdk;
let key: string;

const urlAt = (host: string, path = '/hook') => `http://${host}:${port}${path}`;

beforeAll(async () => {
  target = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('89504e470d0a1a0a', 'hex'));
  });
  target.on('connection', () => connections++);
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  port = (target.address() as AddressInfo).port;
  guarded = await startHerald(
    {
      HERALD_ALLOW_PRIVATE_TARGETS: 'false',
      HERALD_WORKERS: '1',
      HERALD_POLL_MS: '20',
      HERALD_SANDBOX_DELAY_MS: '20',
      HERALD_CALLBACK_WORKERS: '1',
      HERALD_CALLBACK_POLL_MS: '20',
      HERALD_CALLBACK_RETRY_BASE_MS: '600000',
      HERALD_MEDIA_FETCH_TIMEOUT_MS: '3000',
    },
    // Retries wait their whole backoff (full jitter could retry a refused callback at once): a
    // delivery has one attempt within a test.
    { resolve, random: () => 0.999 },
  );
  const created = await guarded.sdk().CreateTenant({ name: 'Probe Co' });
  if (created.createTenant.__typename !== 'IssuedApiKey') throw new Error('no tenant');
  key = created.createTenant.key;
  sdk = guarded.sdk(key);
});
afterAll(async () => {
  await guarded?.stop();
  await open?.stop();
  await new Promise<void>((r) => (target ? target.close(() => r()) : r()));
});

async function gql(
  h: TestHerald,
  apiKey: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Json> {
  const res = await fetch(h.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: Json; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const CONFIGURE = `mutation($input: ConfigureProviderInput!) { configureProvider(input: $input) {
  __typename ... on ProviderConfig { name } ... on ValidationError { field message } } }`;
const SET_ROUTE = `mutation($input: SetRouteInput!) { setRoute(input: $input) { __typename ... on ValidationError { field message } } }`;
const MESSAGE = `query($id: ID!) { message(id: $id) { status lastError { code message retryable } } }`;

const messageCount = async () => (await sdk.Messages({ first: 100 })).messages.edges.length;

function expectRefused(result: Json, field: string, spelling: string): void {
  expect(result, spelling).toMatchObject({ __typename: 'ValidationError', field });
  expect(result.message, spelling).toMatch(
    new RegExp(`^${field.replace('.', '\\.')} is .*HERALD_ALLOW_PRIVATE_TARGETS`),
  );
}

describe('registration refuses every spelling of a private destination, storing nothing', () => {
  it('createWebhookEndpoint(url)', async () => {
    for (const host of RESOLVED_SPELLINGS) {
      const r = (await sdk.CreateWebhookEndpoint({ input: { url: urlAt(host) } })).createWebhookEndpoint;
      expectRefused(r, 'url', host);
    }
    expect((await sdk.WebhookEndpoints()).webhookEndpoints).toEqual([]);
  });

  it('updateWebhookEndpoint(url)', async () => {
    const url = `https://${dnsName('hooks', [PUBLIC])}/herald`;
    const created = (await sdk.CreateWebhookEndpoint({ input: { url } })).createWebhookEndpoint;
    if (created.__typename !== 'CreatedWebhookEndpoint') throw new Error(JSON.stringify(created));
    for (const host of RESOLVED_SPELLINGS) {
      const r = (await sdk.UpdateWebhookEndpoint({ id: created.endpoint.id, input: { url: urlAt(host) } }))
        .updateWebhookEndpoint;
      expectRefused(r, 'url', host);
    }
    expect((await sdk.WebhookEndpoints()).webhookEndpoints.map((e) => e.url)).toEqual([url]);
    await sdk.DeleteWebhookEndpoint({ id: created.endpoint.id });
  });

  it('callbackUrl of sendSms, sendWhatsApp and sendEmail', async () => {
    for (const host of SPELLINGS) {
      const callbackUrl = urlAt(host, '/cb');
      expectRefused(
        (await sdk.SendSms({ input: { to: '+918800001234', text: 'hi', callbackUrl } })).sendSms,
        'callbackUrl',
        host,
      );
      expectRefused(
        (await sdk.SendWhatsApp({ input: { to: '+918800001234', templateName: 'hello', callbackUrl } })).sendWhatsApp,
        'callbackUrl',
        host,
      );
      expectRefused(
        (await sdk.SendEmail({ input: { to: ['ann@example.com'], subject: 'Hi', text: 'hi', callbackUrl } })).sendEmail,
        'callbackUrl',
        host,
      );
    }
    expect(await messageCount()).toBe(0);
  });

  it('REST callbackurl', async () => {
    for (const host of SPELLINGS) {
      const res = await fetch(`${guarded.url}/api/sms/send-sms-api`, {
        method: 'POST',
        headers: { apikey: key, 'content-type': 'application/json' },
        body: JSON.stringify({
          mobile: '918800001234',
          smstext: 'hi',
          senderid: 'HERALD',
          callbackurl: urlAt(host, '/cb'),
        }),
      });
      const body = (await res.json()) as Json;
      expect(res.status, host).toBe(400);
      expect(body, host).toMatchObject({ status: 'error', error: { code: 'INVALID_INPUT', field: 'callbackurl' } });
      expect(body.error.message, host).toMatch(/^callbackurl is /);
    }
    expect(await messageCount()).toBe(0);
  });

  it('configureProvider settings.baseUrl (twilio, whatsapp-cloud, smsmedia) and settings.host (smtp)', async () => {
    const kinds = [
      {
        kind: 'twilio',
        settings: { accountSid: `AC${'0'.repeat(32)}`, from: '+15005550006' },
        secrets: { authToken: 'x'.repeat(32) },
      },
      { kind: 'whatsapp-cloud', settings: { phoneNumberId: '1234567890' }, secrets: { accessToken: 'x'.repeat(32) } },
      { kind: 'smsmedia', settings: {}, secrets: { apiKey: 'x'.repeat(32) } },
    ];
    for (const host of RESOLVED_SPELLINGS) {
      for (const k of kinds) {
        const input = {
          name: 'mine',
          kind: k.kind,
          settings: { ...k.settings, baseUrl: urlAt(host, '') },
          secrets: k.secrets,
        };
        expectRefused(
          (await gql(guarded, key, CONFIGURE, { input })).configureProvider,
          'settings.baseUrl',
          `${k.kind} ${host}`,
        );
      }
      const smtpHost = host.replace(/^\[(.*)\]$/, '$1');
      const input = { name: 'mail', kind: 'smtp', settings: { host: smtpHost, port } };
      expectRefused(
        (await gql(guarded, key, CONFIGURE, { input })).configureProvider,
        'settings.host',
        `smtp ${smtpHost}`,
      );
    }
    expect((await gql(guarded, key, '{ providers { name } }')).providers).toEqual([]);
  });

  it('media URLs (createMediaFromUrl and REST mediaUrl)', async () => {
    for (const host of RESOLVED_SPELLINGS) {
      const r = (await sdk.CreateMediaFromUrl({ url: urlAt(host, '/banner.png') })).createMediaFromUrl;
      expect(r, host).toMatchObject({ __typename: 'MediaUrlRefusedError', field: 'url' });
      const res = await fetch(`${guarded.url}/api/media/upload`, {
        method: 'POST',
        headers: { apikey: key, 'content-type': 'application/json' },
        body: JSON.stringify({ mediaType: 'image', mediaUrl: urlAt(host, '/banner.png') }),
      });
      expect(res.status, host).toBe(400);
      expect(await res.json(), host).toMatchObject({
        status: 'error',
        error: { code: 'URL_REFUSED', field: 'mediaurl' },
      });
    }
    expect((await sdk.MediaList({ first: 10 })).mediaList.edges).toEqual([]);
  });

  it('none of it reached the local server, and nothing was logged as an error', () => {
    expect({ connections, requests }).toEqual({ connections: 0, requests: 0 });
    expect(guarded.logLines().filter((l) => (JSON.parse(l) as { level: number }).level >= 50)).toEqual([]);
  });
});

describe('at connection time: a name that resolved to a public address when registered and to loopback now', () => {
  it('webhook endpoint: the attempt reads "destination not allowed" and nothing reaches the listening server', async () => {
    const before = connections;
    const host = dnsName('rebind-endpoint', [PUBLIC], ['127.0.0.1']);
    const created = (await sdk.CreateWebhookEndpoint({ input: { url: urlAt(host) } })).createWebhookEndpoint;
    expect(created.__typename).toBe('CreatedWebhookEndpoint');
    const sent = (await sdk.SendSms({ input: { to: '+918800001234', text: 'rebinding' } })).sendSms;
    if (sent.__typename !== 'Message') throw new Error(JSON.stringify(sent));
    // The message's first event is attempted; the others wait behind it (order per message).
    const [first] = await eventually(
      async () => (await sdk.MessageCallbacks({ id: sent.messageId })).message!.callbackDeliveries,
      (ds) => ds.length > 0 && ds[0]!.attempts.length > 0 && ds[0]!.lastError !== null, // two reads: wait for both
    );
    expect(first!.attempts.map((a) => [a.statusCode, a.error])).toEqual([[null, 'destination not allowed']]);
    expect(first!.lastError).toBe('destination not allowed');
    expect(connections).toBe(before);
    if (created.__typename === 'CreatedWebhookEndpoint') await sdk.DeleteWebhookEndpoint({ id: created.endpoint.id });
  });

  it('callbackUrl: an open port and a closed one read the same', async () => {
    const before = connections;
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const errors: (string | null)[] = [];
    for (const url of [urlAt(LOOPBACK_NAME, '/cb'), `http://${LOOPBACK_NAME}:${closedPort}/cb`]) {
      const sent = (await sdk.SendSms({ input: { to: '+918800001234', text: 'probe', callbackUrl: url } })).sendSms;
      if (sent.__typename !== 'Message') throw new Error(JSON.stringify(sent));
      const [first] = await eventually(
        async () => (await sdk.MessageCallbacks({ id: sent.messageId })).message!.callbackDeliveries,
        (ds) => ds.length > 0 && ds[0]!.attempts.length > 0 && ds[0]!.lastError !== null, // two reads: wait for both
      );
      errors.push(...first!.attempts.map((a) => a.error));
    }
    expect(errors).toEqual(['destination not allowed', 'destination not allowed']);
    expect(connections).toBe(before);
  });

  /** Routes `channel` to the tenant provider `input`, sends one message and expects it refused where Herald connects. */
  async function expectRefusedAtConnection(
    channel: 'SMS' | 'EMAIL',
    input: { name: string },
    send: () => Promise<{ __typename: string; messageId?: string }>,
  ) {
    const before = connections;
    expect((await gql(guarded, key, CONFIGURE, { input })).configureProvider.__typename).toBe('ProviderConfig');
    expect((await gql(guarded, key, SET_ROUTE, { input: { channel, provider: input.name } })).setRoute.__typename).toBe(
      'Route',
    );
    try {
      const sent = await send();
      if (sent.__typename !== 'Message') throw new Error(JSON.stringify(sent));
      const m = await eventually(
        async () => (await gql(guarded, key, MESSAGE, { id: sent.messageId })).message,
        (x: Json) => x.status === 'FAILED',
      );
      expect(m.lastError).toEqual({
        code: 'DESTINATION_NOT_ALLOWED',
        message: 'destination not allowed',
        retryable: false,
      });
      expect(connections).toBe(before);
    } finally {
      await gql(guarded, key, SET_ROUTE, { input: { channel, provider: 'sandbox' } });
    }
  }

  it('tenant provider base URL: the message fails with DESTINATION_NOT_ALLOWED, not retried', async () => {
    const host = dnsName('rebind-twilio', [PUBLIC], ['127.0.0.1']);
    const input = {
      name: 'rebound',
      kind: 'twilio',
      settings: { accountSid: `AC${'0'.repeat(32)}`, from: '+15005550006', baseUrl: urlAt(host, '') },
      secrets: { authToken: 'x'.repeat(32) },
    };
    await expectRefusedAtConnection(
      'SMS',
      input,
      async () => (await sdk.SendSms({ input: { to: '+918800001234', text: 'via a rebound Twilio' } })).sendSms,
    );
  });

  it('tenant SMTP host: the email fails with DESTINATION_NOT_ALLOWED', async () => {
    const host = dnsName('rebind-smtp', [PUBLIC], ['127.0.0.1']);
    const input = { name: 'mail', kind: 'smtp', settings: { host, port, from: 'herald@example.com' } };
    await expectRefusedAtConnection(
      'EMAIL',
      input,
      async () => (await sdk.SendEmail({ input: { to: ['ann@example.com'], subject: 'Hi', text: 'hi' } })).sendEmail,
    );
  });

  it('media URL: the check before the request passes, the connection itself is refused', async () => {
    const before = connections;
    const host = dnsName('rebind-media', [PUBLIC], ['127.0.0.1']);
    const r = (await sdk.CreateMediaFromUrl({ url: urlAt(host, '/banner.png') })).createMediaFromUrl;
    expect(r).toMatchObject({ __typename: 'MediaUrlRefusedError', field: 'url' });
    expect(connections).toBe(before);
    expect((await sdk.MediaList({ first: 10 })).mediaList.edges).toEqual([]);
  });

  it('refusals are tenant errors, not faults of Herald: nothing logged at error level', () => {
    expect(guarded.logLines().filter((l) => (JSON.parse(l) as { level: number }).level >= 50)).toEqual([]);
  });
});

describe('the guarded agent', () => {
  it('refuses address literals in any spelling where it connects (URLs stored before the guard existed)', async () => {
    const before = connections;
    const agent = new OutboundGuard({ allowPrivate: false }).agent();
    try {
      for (const host of ['127.0.0.1', '127.1', '2130706433', '[::ffff:127.0.0.1]', '[::1]', 'localhost']) {
        const err = await request(urlAt(host), { dispatcher: agent }).catch((e: unknown) => e);
        expect(err, host).toBeInstanceOf(DestinationNotAllowedError);
      }
    } finally {
      await agent.close();
    }
    expect(connections).toBe(before);
  });
});

describe('the guarded agent, for destinations it allows', () => {
  // Nothing public is reachable here: this guard counts 127.0.0.1 as public, the rest as usual.
  const lenient = new OutboundGuard({
    allowPrivate: false,
    resolve,
    reasonFor: (a) => (a === '127.0.0.1' ? undefined : nonPublicReason(a)),
  });
  const allowedName = dnsName('allowed', ['127.0.0.1']);

  it('connects through its own lookup and answers as usual (HTTP)', async () => {
    const before = requests;
    const agent = lenient.agent({ connect: { timeout: 2000 } });
    try {
      const res = await request(urlAt(allowedName), { dispatcher: agent });
      await res.body.dump();
      expect(res.statusCode).toBe(200);
    } finally {
      await agent.close();
    }
    expect(requests).toBe(before + 1);
  });

  it('opens TCP connections for SMTP the same way', async () => {
    const before = connections;
    const socket = await lenient.connectSocket(allowedName, port, 2000);
    socket.destroy();
    await eventually(
      async () => connections,
      (n) => n === before + 1,
    );
    await expect(lenient.connectSocket(dnsName('nowhere', []), port, 2000)).rejects.toThrow(/ENOTFOUND/);
    await expect(lenient.connectSocket('10.0.0.7', port, 2000)).rejects.toBeInstanceOf(DestinationNotAllowedError);
  });
});

describe('HERALD_ALLOW_PRIVATE_TARGETS', () => {
  it('on (the harness default), local receivers are registered and reached', async () => {
    open = await startHerald({
      HERALD_WORKERS: '1',
      HERALD_POLL_MS: '20',
      HERALD_CALLBACK_WORKERS: '1',
      HERALD_CALLBACK_POLL_MS: '20',
    });
    const admin = open.sdk();
    const before = requests;
    const created = (await admin.CreateWebhookEndpoint({ input: { url: urlAt('localhost'), events: ['QUEUED'] } }))
      .createWebhookEndpoint;
    expect(created.__typename).toBe('CreatedWebhookEndpoint');
    const sent = (
      await admin.SendSms({ input: { to: '+918800001234', text: 'on premise', callbackUrl: urlAt('127.1', '/cb') } })
    ).sendSms;
    expect(sent.__typename).toBe('Message');
    await eventually(
      async () => requests,
      (n) => n >= before + 2,
    );
  });

  it('is read from the environment; HERALD_MEDIA_ALLOW_PRIVATE_URLS is its older name', () => {
    expect(loadConfig({}).outbound.allowPrivateTargets).toBe(false);
    expect(loadConfig({ HERALD_ALLOW_PRIVATE_TARGETS: 'true' }).outbound.allowPrivateTargets).toBe(true);
    expect(loadConfig({ HERALD_MEDIA_ALLOW_PRIVATE_URLS: 'true' }).outbound.allowPrivateTargets).toBe(true);
    expect(
      loadConfig({ HERALD_MEDIA_ALLOW_PRIVATE_URLS: 'true', HERALD_ALLOW_PRIVATE_TARGETS: 'false' }).outbound
        .allowPrivateTargets,
    ).toBe(false);
  });
});
