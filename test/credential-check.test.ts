import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundGuard } from '../src/net/outbound.js';
import { checkCredentials, type CredentialCheckContext } from '../src/providers/credential-check.js';
import { eventually, TestClock } from './support/clock.js';
import { startHerald, type TestHerald } from './support/herald.js';

// Each provider kind's credential check against local servers speaking its wire format: the
// account (Twilio), the phone number (Graph API), an SMTP login (smtp-server), for good, bad
// and unreachable credentials; SMSMedia answers "not checkable" without a request. Then through
// Herald: configureProvider answers the check beside the stored configuration, testProvider
// checks again, diagnostics and `herald doctor` report each provider; and an email through
// SMTP (which never reports delivery) is not counted as stuck.

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const SUSPENDED_SID = `AC${'fedcba9876543210'.repeat(2)}`;
/** An account whose error echoes the Authorization header. */
const ECHO_SID = `AC${'0000000000000000'.repeat(2)}`;
const PHONE_ID = '106540352242922';
const ACCESS_TOKEN = 'EAAGtoken-good-0123456789abcdef';
/** A phone number id whose error echoes the Authorization header, as a careless proxy might. */
const ECHO_PHONE_ID = '999';
const SMTP_USER = 'herald';
const SMTP_PASSWORD = 'smtp-secret-Pa55word';

/** Local Twilio (account fetch) and Graph (phone number fetch) APIs; every request counted. */
function providerApi(req: IncomingMessage, res: ServerResponse) {
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const url = new URL(req.url ?? '/', 'http://fake');
  const account = /^\/2010-04-01\/Accounts\/([^/]+)\.json$/.exec(url.pathname);
  if (account && req.method === 'GET') {
    const [user, pass] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':');
    if (account[1] === ECHO_SID)
      return json(401, { code: 20003, message: `Authenticate (${req.headers.authorization})`, status: 401 });
    if (user !== account[1] || pass !== AUTH_TOKEN)
      return json(401, {
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
    const suspended = account[1] === SUSPENDED_SID;
    return json(200, {
      sid: account[1],
      friendly_name: suspended ? 'Old Co' : 'Acme Billing',
      status: suspended ? 'suspended' : 'active',
      type: 'Full',
    });
  }
  const phone = /^\/(v\d+\.\d+)\/(\d+)$/.exec(url.pathname);
  if (phone && req.method === 'GET') {
    if (phone[2] === ECHO_PHONE_ID)
      return json(401, {
        error: { message: `Invalid header: ${req.headers.authorization}`, type: 'OAuthException', code: 190 },
      });
    if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`)
      return json(401, {
        error: {
          message: 'Invalid OAuth access token - Cannot parse access token',
          type: 'OAuthException',
          code: 190,
          fbtrace_id: 'AbCdEf',
        },
      });
    if (phone[2] !== PHONE_ID)
      return json(400, {
        error: {
          message: `Unsupported get request. Object with ID '${phone[2]}' does not exist`,
          type: 'GraphMethodException',
          code: 100,
          error_subcode: 33,
        },
      });
    return json(200, { verified_name: 'Acme', display_phone_number: '+1 555-010-0100', id: PHONE_ID });
  }
  json(404, { error: 'no such route' });
}

let api: Server;
let apiUrl: string;
let apiRequests = 0;
let smtp: SMTPServer;
let smtpPort: number;
let silent: ReturnType<typeof createTcpServer>;
let silentUrl: string;
const silentSockets = new Set<Socket>();
/** A port nothing listens on. */
let closedPort: number;

beforeAll(async () => {
  api = createServer((req, res) => {
    apiRequests++;
    providerApi(req, res);
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

  // Plain SMTP with AUTH (no STARTTLS: tenant providers verify certificates, a self-signed one would fail).
  smtp = new SMTPServer({
    logger: false,
    closeTimeout: 200,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) return callback(null, { user: SMTP_USER });
      callback(Object.assign(new Error('5.7.8 Error: authentication failed'), { responseCode: 535 }));
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  smtpPort = (smtp.server.address() as AddressInfo).port;

  // Accepts connections and never answers: a provider that hangs.
  silent = createTcpServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;

  const probe = createTcpServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
});

afterAll(async () => {
  for (const s of silentSockets) s.destroy();
  await Promise.all([
    new Promise((r) => api?.close(r)),
    new Promise((r) => smtp?.close(() => r(undefined))),
    new Promise((r) => silent?.close(r)),
  ]);
});

const ctx = (over: Partial<CredentialCheckContext> = {}): CredentialCheckContext => ({
  outbound: new OutboundGuard({ allowPrivate: true }),
  timeoutMs: 1_000,
  now: () => new Date('2026-12-01T00:00:00Z'),
  ...over,
});

describe('credential checks, each kind against its wire format', () => {
  it('twilio: fetches the account; a wrong token, a suspended account, an unreachable API', async () => {
    const settings = { accountSid: ACCOUNT_SID, baseUrl: apiUrl };
    expect(await checkCredentials('twilio', settings, { authToken: AUTH_TOKEN }, ctx())).toEqual({
      result: 'OK',
      message: 'Twilio account "Acme Billing" is active',
      checkedAt: new Date('2026-12-01T00:00:00Z'),
    });
    const bad = await checkCredentials('twilio', settings, { authToken: 'wrong-token-0123456789' }, ctx());
    expect(bad).toMatchObject({ result: 'BAD_CREDENTIALS', message: 'Twilio answered 401: Authenticate' });
    expect(
      await checkCredentials(
        'twilio',
        { accountSid: SUSPENDED_SID, baseUrl: apiUrl },
        { authToken: AUTH_TOKEN },
        ctx(),
      ),
    ).toMatchObject({ result: 'BAD_CREDENTIALS', message: 'Twilio account "Old Co" is suspended' });
    const down = await checkCredentials(
      'twilio',
      { accountSid: ACCOUNT_SID, baseUrl: `http://127.0.0.1:${closedPort}` },
      { authToken: AUTH_TOKEN },
      ctx(),
    );
    expect(down).toMatchObject({
      result: 'UNREACHABLE',
      message: expect.stringMatching(/not reachable: ECONNREFUSED/),
    });
  });

  it('whatsapp-cloud: fetches the phone number; a bad token, an unknown number, an unreachable API', async () => {
    const settings = { phoneNumberId: PHONE_ID, baseUrl: apiUrl };
    expect(await checkCredentials('whatsapp-cloud', settings, { accessToken: ACCESS_TOKEN }, ctx())).toMatchObject({
      result: 'OK',
      message: 'phone number +1 555-010-0100 (Acme) is reachable with this token',
    });
    expect(
      await checkCredentials('whatsapp-cloud', settings, { accessToken: 'EAAGtoken-expired-000000' }, ctx()),
    ).toMatchObject({
      result: 'BAD_CREDENTIALS',
      message: 'Meta answered 401: Invalid OAuth access token - Cannot parse access token (code 190)',
    });
    expect(
      await checkCredentials(
        'whatsapp-cloud',
        { phoneNumberId: '123', baseUrl: apiUrl },
        { accessToken: ACCESS_TOKEN },
        ctx(),
      ),
    ).toMatchObject({
      result: 'BAD_CREDENTIALS',
      message: expect.stringMatching(/^Meta answered 400: .*'123' does not exist/),
    });
    expect(
      await checkCredentials(
        'whatsapp-cloud',
        { phoneNumberId: PHONE_ID, baseUrl: `http://127.0.0.1:${closedPort}` },
        { accessToken: ACCESS_TOKEN },
        ctx(),
      ),
    ).toMatchObject({ result: 'UNREACHABLE' });
  });

  it('smtp: connects and logs in without sending; a wrong password, nobody listening', async () => {
    const settings = { host: '127.0.0.1', port: smtpPort, user: SMTP_USER };
    expect(await checkCredentials('smtp', settings, { password: SMTP_PASSWORD }, ctx())).toMatchObject({
      result: 'OK',
      message: `127.0.0.1:${smtpPort} accepted the login of herald`,
    });
    const bad = await checkCredentials('smtp', settings, { password: 'not-the-password' }, ctx());
    expect(bad).toMatchObject({
      result: 'BAD_CREDENTIALS',
      message: expect.stringMatching(/refused the login: .*535/),
    });
    expect(bad.message).not.toContain('not-the-password');
    expect(
      await checkCredentials('smtp', { ...settings, port: closedPort }, { password: SMTP_PASSWORD }, ctx()),
    ).toMatchObject({ result: 'UNREACHABLE', message: expect.stringMatching(/not reachable/) });
  });

  it('smsmedia cannot be checked (no harmless call in its API) and asks nothing; the sandbox needs nothing', async () => {
    const before = apiRequests;
    for (const apiKey of ['good-api-key', 'bad-api-key'])
      expect(await checkCredentials('smsmedia', { baseUrl: apiUrl }, { apiKey }, ctx())).toMatchObject({
        result: 'NOT_CHECKABLE',
        message: expect.stringMatching(/first send tells/),
      });
    expect(
      await checkCredentials(
        'smsmedia',
        { baseUrl: `http://127.0.0.1:${closedPort}` },
        { apiKey: 'x'.repeat(12) },
        ctx(),
      ),
    ).toMatchObject({ result: 'NOT_CHECKABLE' });
    expect(apiRequests).toBe(before);
    expect(await checkCredentials('sandbox', {}, {}, ctx())).toMatchObject({ result: 'OK' });
    expect(await checkCredentials('constructor', {}, {}, ctx())).toMatchObject({ result: 'NOT_CHECKABLE' });
  });

  it('a provider that does not answer is unreachable once the timeout has passed', async () => {
    const started = Date.now();
    const hung = await checkCredentials(
      'twilio',
      { accountSid: ACCOUNT_SID, baseUrl: silentUrl },
      { authToken: AUTH_TOKEN },
      ctx({ timeoutMs: 300 }),
    );
    expect(hung).toMatchObject({
      result: 'UNREACHABLE',
      message: expect.stringMatching(/did not answer within 300 ms/),
    });
    const smtpHung = await checkCredentials(
      'smtp',
      { host: '127.0.0.1', port: Number(new URL(silentUrl).port), user: SMTP_USER },
      { password: SMTP_PASSWORD },
      ctx({ timeoutMs: 300 }),
    );
    expect(smtpHung).toMatchObject({ result: 'UNREACHABLE' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('an answer that never ends is judged by its first bytes, not read whole', async () => {
    // 401 and then an endless body: read whole, it would end only at the timeout (UNREACHABLE).
    const endless = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    await new Promise<void>((r) => endless.listen(0, '127.0.0.1', r));
    try {
      const answer = await checkCredentials(
        'twilio',
        { accountSid: ACCOUNT_SID, baseUrl: `http://127.0.0.1:${(endless.address() as AddressInfo).port}` },
        { authToken: AUTH_TOKEN },
        ctx({ timeoutMs: 3_000 }),
      );
      expect(answer).toMatchObject({ result: 'BAD_CREDENTIALS', message: expect.stringMatching(/answered 401/) });
    } finally {
      endless.closeAllConnections();
      await new Promise((r) => endless.close(r));
    }
  });

  it('never answers a secret, even when the provider echoes it; connects only where the guard allows', async () => {
    const echoed = await checkCredentials(
      'whatsapp-cloud',
      { phoneNumberId: ECHO_PHONE_ID, baseUrl: apiUrl },
      { accessToken: ACCESS_TOKEN },
      ctx(),
    );
    expect(echoed.result).toBe('BAD_CREDENTIALS');
    expect(echoed.message).toContain('Bearer [redacted]');
    expect(echoed.message).not.toContain(ACCESS_TOKEN);
    const basic = await checkCredentials(
      'twilio',
      { accountSid: ECHO_SID, baseUrl: apiUrl },
      { authToken: AUTH_TOKEN },
      ctx(),
    );
    expect(basic).toMatchObject({
      result: 'BAD_CREDENTIALS',
      message: 'Twilio answered 401: Authenticate (Basic [redacted])',
    });

    const guarded = ctx({ outbound: new OutboundGuard({ allowPrivate: false }) });
    const before = apiRequests;
    expect(
      await checkCredentials(
        'twilio',
        { accountSid: ACCOUNT_SID, baseUrl: apiUrl },
        { authToken: AUTH_TOKEN },
        guarded,
      ),
    ).toMatchObject({ result: 'UNREACHABLE', message: expect.stringMatching(/destination not allowed$/) });
    expect(
      await checkCredentials(
        'smtp',
        { host: '127.0.0.1', port: smtpPort, user: SMTP_USER },
        { password: SMTP_PASSWORD },
        guarded,
      ),
    ).toMatchObject({ result: 'UNREACHABLE', message: expect.stringMatching(/destination not allowed$/) });
    expect(apiRequests).toBe(before);
  });
});

describe('through Herald', () => {
  const clock = new TestClock();
  let h: TestHerald;
  let tenantKey: string;

  beforeAll(async () => {
    h = await startHerald(
      {
        HERALD_WORKERS: '1',
        HERALD_POLL_MS: '20',
        // The sandbox's reports never come within the test: its messages stay SENT.
        HERALD_SANDBOX_DELAY_MS: '3600000',
        HERALD_STUCK_SENT_AFTER_MS: '60000',
      },
      { now: clock.now },
    );
    const tenant = await h.sdk().CreateTenant({ name: 'Checked Co' });
    if (tenant.createTenant.__typename !== 'IssuedApiKey') throw new Error('no tenant');
    tenantKey = tenant.createTenant.key;
  });
  afterAll(() => h?.stop());

  async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, key = tenantKey): Promise<T> {
    const res = await fetch(h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: T; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  const CONFIGURE = `mutation($input: ConfigureProviderInput!) { configureProvider(input: $input) {
    __typename ... on ProviderConfig { name enabled credentialCheck { result message checkedAt } }
    ... on ValidationError { field message } } }`;
  const TEST = `mutation($name: String!) { testProvider(name: $name) {
    __typename ... on CredentialCheck { result message } ... on NotFoundError { message } } }`;

  function doctor(): Promise<{ code: number | null; stdout: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['bin/herald.mjs', 'doctor'], {
        cwd: join(import.meta.dirname, '..'),
        env: { ...process.env, HERALD_URL: h.url, HERALD_KEY: tenantKey },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.on('exit', (code) => resolve({ code, stdout }));
    });
  }

  it('configureProvider stores the provider whatever the check says and answers the check beside it', async () => {
    const bad = await gql(CONFIGURE, {
      input: {
        name: 'sms',
        kind: 'twilio',
        settings: { accountSid: ACCOUNT_SID, baseUrl: apiUrl, from: '+15005550006' },
        secrets: { authToken: 'wrong-token-0123456789' },
      },
    });
    expect(bad.configureProvider).toMatchObject({
      __typename: 'ProviderConfig',
      name: 'sms',
      enabled: true,
      credentialCheck: { result: 'BAD_CREDENTIALS', message: 'Twilio answered 401: Authenticate' },
    });
    expect(bad.configureProvider.credentialCheck.checkedAt).toBe(clock.now().toISOString());
    // Listed later, there is no check to show: testProvider runs one.
    const listed = await gql('{ providers { name credentialCheck { result } } }');
    expect(listed.providers).toEqual([{ name: 'sms', credentialCheck: null }]);
    expect((await gql(TEST, { name: 'sms' })).testProvider).toMatchObject({ result: 'BAD_CREDENTIALS' });

    // Doctor shows it and fails.
    const failing = await doctor();
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(
      /^provider sms\s+FAIL\s+twilio, BAD_CREDENTIALS: Twilio answered 401: Authenticate$/m,
    );

    // Secrets omitted keep the stored (wrong) ones; new ones fix it.
    const fixed = await gql(CONFIGURE, {
      input: {
        name: 'sms',
        kind: 'twilio',
        settings: { accountSid: ACCOUNT_SID, baseUrl: apiUrl, from: '+15005550006' },
        secrets: { authToken: AUTH_TOKEN },
      },
    });
    expect(fixed.configureProvider.credentialCheck).toMatchObject({ result: 'OK' });
    expect((await gql(TEST, { name: 'sms' })).testProvider).toEqual({
      __typename: 'CredentialCheck',
      result: 'OK',
      message: 'Twilio account "Acme Billing" is active',
    });
    expect((await gql(TEST, { name: 'nope' })).testProvider.__typename).toBe('NotFoundError');
    expect((await gql(TEST, { name: 'NUL\u0000' })).testProvider.__typename).toBe('NotFoundError');
    // Another tenant's provider of the same name is not found.
    expect((await gql(TEST, { name: 'sms' }, h.adminKey)).testProvider.__typename).toBe('NotFoundError');
    expect((await gql(TEST, { name: 'x'.repeat(5000) })).testProvider.__typename).toBe('NotFoundError');
  });

  it('diagnostics and herald doctor report each enabled provider: not checkable is a caveat', async () => {
    await gql(CONFIGURE, {
      input: {
        name: 'wa',
        kind: 'whatsapp-cloud',
        settings: { phoneNumberId: PHONE_ID, baseUrl: apiUrl },
        secrets: { accessToken: ACCESS_TOKEN },
      },
    });
    await gql(CONFIGURE, {
      input: { name: 'media', kind: 'smsmedia', settings: { baseUrl: apiUrl }, secrets: { apiKey: 'key-12345678' } },
    });
    await gql(CONFIGURE, {
      input: {
        name: 'mail',
        kind: 'smtp',
        settings: { host: '127.0.0.1', port: smtpPort, user: SMTP_USER, from: 'billing@herald.example' },
        secrets: { password: SMTP_PASSWORD },
      },
    });
    const { diagnostics } = await gql<{ diagnostics: { name: string; status: string; detail: string }[] }>(
      '{ diagnostics { name status detail } }',
    );
    const byName = new Map(diagnostics.map((c) => [c.name, c]));
    expect(byName.get('provider sms')).toMatchObject({ status: 'OK', detail: expect.stringMatching(/^twilio, OK: /) });
    expect(byName.get('provider wa')).toMatchObject({
      status: 'OK',
      detail: expect.stringMatching(/\+1 555-010-0100/),
    });
    expect(byName.get('provider media')).toMatchObject({
      status: 'WARN',
      detail: expect.stringMatching(/NOT_CHECKABLE/),
    });
    expect(byName.get('provider mail')).toMatchObject({
      status: 'OK',
      detail: expect.stringMatching(/accepted the login/),
    });
    // Another tenant's providers are not this one's business.
    const other = await gql<{ diagnostics: { name: string }[] }>('{ diagnostics { name } }', {}, h.adminKey);
    expect(other.diagnostics.map((c) => c.name)).not.toContain('provider sms');

    const passing = await doctor();
    expect(passing.stdout).toMatch(/^provider media\s+WARN\s+smsmedia, NOT_CHECKABLE/m);
    expect(passing.code).toBe(0);

    // A provider that went away fails the doctor: unreachable.
    await gql(CONFIGURE, {
      input: {
        name: 'wa',
        kind: 'whatsapp-cloud',
        settings: { phoneNumberId: PHONE_ID, baseUrl: `http://127.0.0.1:${closedPort}` },
      },
    });
    const down = await doctor();
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(
      /^provider wa\s+FAIL\s+whatsapp-cloud, UNREACHABLE: 127\.0\.0\.1:\d+ is not reachable/m,
    );
    // Disabled, it is not checked.
    await gql('mutation { setProviderEnabled(name: "wa", enabled: false) { __typename } }');
    const after = await gql<{ diagnostics: { name: string }[] }>('{ diagnostics { name } }');
    expect(after.diagnostics.map((c) => c.name)).not.toContain('provider wa');
  });

  it('an email through SMTP ends SENT and is never counted as stuck; a message whose provider reports delivery is', async () => {
    const route = await gql('mutation { setRoute(input: { channel: EMAIL, provider: "mail" }) { __typename } }');
    expect(route.setRoute.__typename).toBe('Route');
    const sdk = h.sdk(tenantKey);
    const email = await sdk.SendEmail({ input: { to: ['ana@example.com'], subject: 'Invoice', text: 'Due soon.' } });
    if (email.sendEmail.__typename !== 'Message') throw new Error(JSON.stringify(email.sendEmail));
    // SMS stays on the installation's sandbox, which reports delivery (later than this test looks).
    const sms = await sdk.SendSms({ input: { to: '+918800001234', text: 'will go quiet' } });
    if (sms.sendSms.__typename !== 'Message') throw new Error(JSON.stringify(sms.sendSms));
    for (const id of [email.sendEmail.messageId, sms.sendSms.messageId])
      await eventually(
        () => sdk.Message({ id }),
        (r) => r.message?.status === 'SENT',
      );

    clock.advance(3_600_000);
    const health = await sdk.DeliveryHealth({});
    expect(health.deliveryHealth.stuckSent).toBe(1);
    expect(health.deliveryHealth.stuckMessages.map((m) => m.messageId)).toEqual([sms.sendSms.messageId]);
    const email2 = await sdk.Message({ id: email.sendEmail.messageId });
    expect(email2.message).toMatchObject({ status: 'SENT' });

    const metrics = await (
      await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${h.adminKey}` } })
    ).text();
    expect(metrics).toContain('herald_messages_stuck{state="sent"} 1');
  });
});

describe("the installation's providers (environment) in diagnostics", () => {
  let h: TestHerald;

  beforeAll(async () => {
    h = await startHerald({
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_BASE_URL: apiUrl,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_ACCESS_TOKEN: 'EAAGtoken-revoked-0123456789',
      WHATSAPP_BASE_URL: apiUrl,
    });
  });
  afterAll(() => h?.stop());

  const diagnostics = async (key: string) => {
    const res = await fetch(h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ diagnostics { name status detail } }' }),
    });
    const body = (await res.json()) as { data: { diagnostics: { name: string; status: string; detail: string }[] } };
    return new Map(body.data.diagnostics.map((c) => [c.name, c]));
  };

  it('the operator sees each checked: a good login OK, a revoked token FAIL, no secret in the answer', async () => {
    const checks = await diagnostics(h.adminKey);
    expect(checks.get('provider twilio (installation)')).toMatchObject({
      status: 'OK',
      detail: 'twilio, OK: Twilio account "Acme Billing" is active',
    });
    expect(checks.get('provider whatsapp-cloud (installation)')).toMatchObject({
      status: 'FAIL',
      detail: expect.stringMatching(/^whatsapp-cloud, BAD_CREDENTIALS: /),
    });
    expect(JSON.stringify([...checks.values()])).not.toMatch(/f00dfeed|EAAGtoken/);
  });

  it("another tenant's diagnostics leave them out (they are the installation's business)", async () => {
    const tenant = await h.sdk().CreateTenant({ name: 'Not The Operator' });
    if (tenant.createTenant.__typename !== 'IssuedApiKey') throw new Error('no tenant');
    const checks = await diagnostics(tenant.createTenant.key);
    expect(checks.has('database')).toBe(true);
    expect([...checks.keys()].filter((name) => name.endsWith('(installation)'))).toEqual([]);
  });
});
