import { createServer } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage, Provider, SendFailure, SendResult, SendSuccess } from '../src/providers/provider.js';
import { createSmtpProvider, type SmtpConfig } from '../src/providers/smtp.js';
import { eventually } from './support/clock.js';
import { startHerald, type TestHerald } from './support/herald.js';

// The SMTP adapter against a real local SMTP server (smtp-server): STARTTLS with its built-in
// self-signed certificate, AUTH required, recipients and data answered per local part:
//
//   busy@   RCPT 450 (mailbox busy)          full@       RCPT 452 (too many recipients)
//   gone@   RCPT 550 (mailbox unavailable)   greylist@   DATA 451 (try again later)
//   slow@   DATA answered after 1.5 s
//
// and the full path through Herald: GraphQL sendEmail -> dispatcher -> SMTP -> SENT.

const USER = 'herald-relay';
const PASSWORD = 'sm7p-p4ss-w0rd-9f3c2a';

type Received = {
  from: string;
  rcptTo: string[];
  user: string | undefined;
  raw: string;
  headers: Record<string, string>;
  body: string;
};

type FakeSmtp = { port: number; received: Received[]; connections(): number; close(): Promise<void> };

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

async function startSmtp(options: Partial<SMTPServerOptions> = {}): Promise<FakeSmtp> {
  const received: Received[] = [];
  let connections = 0;
  let queued = 0;
  const server = new SMTPServer({
    logger: false,
    // Connections still open at close are cut after this long (default 30 s).
    closeTimeout: 500,
    authMethods: ['PLAIN', 'LOGIN'],
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) return callback(null, { user: USER });
      callback(smtpError(535, '5.7.8 Error: authentication failed'));
    },
    onRcptTo(address, _session, callback) {
      const local = address.address.split('@')[0];
      if (local === 'busy') return callback(smtpError(450, '4.2.1 Mailbox busy, try again later'));
      if (local === 'full') return callback(smtpError(452, '4.5.3 Too many recipients'));
      if (local === 'gone') return callback(smtpError(550, '5.1.1 Mailbox unavailable'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const rcptTo = session.envelope.rcptTo.map((a) => a.address);
        const locals = rcptTo.map((a) => a.split('@')[0]);
        if (locals.includes('greylist')) return callback(smtpError(451, '4.7.1 Greylisted, please try again later'));
        const raw = Buffer.concat(chunks).toString('utf8');
        const [head = '', ...rest] = raw.split('\r\n\r\n');
        const headers: Record<string, string> = {};
        for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
          const at = line.indexOf(':');
          if (at > 0) headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
        }
        const mailFrom = session.envelope.mailFrom;
        const accept = () => {
          received.push({
            from: mailFrom ? mailFrom.address : '',
            rcptTo,
            user: session.user,
            raw,
            headers,
            body: rest.join('\r\n\r\n'),
          });
          callback(null, `2.0.0 Ok: queued as Q${++queued}X`);
        };
        if (locals.includes('slow')) setTimeout(accept, 1_500);
        else accept();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as { port: number };
  return {
    port,
    received,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let smtp: FakeSmtp;
const providers: Provider[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
});
afterEach(() => {
  smtp.received.length = 0;
});
afterAll(async () => {
  await Promise.all(providers.map((p) => p.stop?.()));
  await smtp.close();
});

const provider = (cfg: Partial<SmtpConfig> = {}): Provider => {
  const p = createSmtpProvider({
    host: '127.0.0.1',
    port: smtp.port,
    user: USER,
    password: PASSWORD,
    from: 'Herald <noreply@herald.example>',
    tlsRejectUnauthorized: false,
    ...cfg,
  });
  providers.push(p);
  return p;
};

const email = (overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: '0190c5e0-0000-7000-8000-00000000e001',
  tenantId: '0190c5e0-0000-7000-8000-000000000002',
  channel: 'EMAIL',
  recipient: 'ana@example.com',
  sender: null,
  templateName: null,
  templateLanguage: null,
  templateParams: null,
  body: 'Invoice INV-1001 is due on 15 April.',
  subject: 'Invoice INV-1001',
  mediaType: null,
  mediaId: null,
  channelOptions: { to: ['ana@example.com'], cc: [], bcc: [] },
  validUntil: null,
  attempt: 1,
  ...overrides,
});

const send = (
  p: Provider,
  message = email(),
  timeoutMs = 5_000,
  signal = new AbortController().signal,
): Promise<SendResult> => p.send(message, { timeoutMs, signal });

const failure = (result: SendResult): SendFailure => {
  expect(result.ok).toBe(false);
  return result as SendFailure;
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('request shape', () => {
  it('sends from, to, cc, bcc, subject, text and html with Message-ID <id@herald>, answering that id', async () => {
    const message = email({
      sender: 'billing@herald.example',
      channelOptions: {
        to: ['ana@example.com', 'bo@example.com'],
        cc: ['carla@example.com'],
        bcc: ['audit@example.com'],
        html: '<p>Invoice <b>INV-1001</b> is due on 15 April.</p>',
      },
    });
    const result = await send(provider(), message);

    expect(result).toMatchObject({ ok: true, providerMessageId: `<${message.id}@herald>` });
    expect((result as SendSuccess).raw).toMatchObject({ queueId: expect.stringMatching(/^Q\d+X$/), rejected: [] });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.user).toBe(USER);
    expect(mail.from).toBe('billing@herald.example');
    expect(mail.rcptTo).toEqual(['ana@example.com', 'bo@example.com', 'carla@example.com', 'audit@example.com']);
    expect(mail.headers).toMatchObject({
      from: 'billing@herald.example',
      to: 'ana@example.com, bo@example.com',
      cc: 'carla@example.com',
      subject: 'Invoice INV-1001',
      'message-id': `<${message.id}@herald>`,
    });
    expect(mail.headers).not.toHaveProperty('bcc'); // bcc recipients are in the envelope only
    expect(mail.headers['content-type']).toMatch(/^multipart\/alternative/);
    expect(mail.body).toContain('Content-Type: text/plain');
    expect(mail.body).toContain('Invoice INV-1001 is due on 15 April.');
    expect(mail.body).toContain('Content-Type: text/html');
    expect(mail.body).toContain('<p>Invoice <b>INV-1001</b> is due on 15 April.</p>');
  });

  it('uses SMTP_FROM without a sender, the recipient without a to list, and text alone', async () => {
    const result = await send(provider(), email({ channelOptions: {} }));
    expect(result.ok).toBe(true);
    const mail = smtp.received[0]!;
    expect(mail.from).toBe('noreply@herald.example');
    expect(mail.headers.from).toBe('Herald <noreply@herald.example>');
    expect(mail.rcptTo).toEqual(['ana@example.com']);
    expect(mail.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('html alone is sent as text/html', async () => {
    await send(provider(), email({ body: null, channelOptions: { to: ['ana@example.com'], html: '<h1>Hi</h1>' } }));
    expect(smtp.received[0]!.headers['content-type']).toMatch(/^text\/html/);
    expect(smtp.received[0]!.body).toContain('<h1>Hi</h1>');
  });

  it('without any sender it is a permanent NO_SENDER, and nothing is sent', async () => {
    expect(failure(await send(provider({ from: undefined })))).toMatchObject({ code: 'NO_SENDER', retryable: false });
    expect(failure(await send(provider(), email({ channel: 'SMS' })))).toMatchObject({
      code: 'UNSUPPORTED_CHANNEL',
      retryable: false,
    });
    expect(failure(await send(provider(), email({ validUntil: new Date(Date.now() - 1000) })))).toMatchObject({
      code: 'EXPIRED',
      retryable: false,
    });
    expect(smtp.received).toHaveLength(0);
  });

  it('pools connections: 40 messages over at most SMTP_POOL_SIZE connections', async () => {
    const before = smtp.connections();
    const p = provider({ poolSize: 3 });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        send(p, email({ id: `0190c5e0-0000-7000-8000-0000000010${String(i).padStart(2, '0')}` })),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => r.ok && r.providerMessageId)).size).toBe(40);
    expect(smtp.received).toHaveLength(40);
    expect(smtp.connections() - before).toBeLessThanOrEqual(3);
  });

  it('works over implicit TLS (SMTP_SECURE, port 465 style)', async () => {
    const tls = await startSmtp({ secure: true });
    const p = provider({ port: tls.port, secure: true });
    try {
      const result = await send(p);
      expect(result.ok).toBe(true);
      expect(tls.received).toHaveLength(1);
    } finally {
      await p.stop?.(); // the server waits for open connections before closing
      await tls.close();
    }
  });
});

describe('error mapping', () => {
  it('bad credentials are a permanent SMTP_AUTH failure, clearly worded, without the password', async () => {
    const wrong = 'not-the-password-4242';
    const result = failure(await send(provider({ password: wrong })));
    expect(result).toMatchObject({ code: 'SMTP_AUTH', retryable: false });
    expect(result.message).toMatch(/^SMTP authentication failed: check SMTP_USER and SMTP_PASSWORD/);
    expect(result.message).toContain('535');
    const serialized = JSON.stringify(result);
    expect(serialized).not.toContain(wrong);
    expect(serialized).not.toContain(Buffer.from(wrong).toString('base64'));
    expect(serialized).not.toContain(Buffer.from(`\u0000${USER}\u0000${wrong}`).toString('base64'));
    expect(smtp.received).toHaveLength(0);
  });

  it('a server requiring AUTH, reached without credentials, is a permanent SMTP_AUTH failure', async () => {
    const result = failure(await send(provider({ user: undefined, password: undefined })));
    expect(result).toMatchObject({ code: 'SMTP_AUTH', retryable: false });
    expect(result.message).toContain('530');
  });

  it.each([
    ['busy@example.com', 'SMTP_450', /Mailbox busy/],
    ['full@example.com', 'SMTP_452', /Too many recipients/],
    ['greylist@example.com', 'SMTP_451', /Greylisted/],
  ])('4xx (%s) is retryable', async (to, code, text) => {
    const result = failure(await send(provider(), email({ recipient: to, channelOptions: { to: [to] } })));
    expect(result).toMatchObject({ code, retryable: true });
    expect(result.message).toMatch(/temporarily, retrying later/);
    expect(result.message).toMatch(text);
  });

  it('5xx (550 mailbox unavailable) is permanent with the server reply', async () => {
    const result = failure(
      await send(provider(), email({ recipient: 'gone@example.com', channelOptions: { to: ['gone@example.com'] } })),
    );
    expect(result).toMatchObject({ code: 'SMTP_550', retryable: false });
    expect(result.message).toBe('the SMTP server refused the recipients (server said: 550 5.1.1 Mailbox unavailable)');
    expect(result.raw).toMatchObject({ responseCode: 550, command: 'RCPT TO', rejected: ['gone@example.com'] });
  });

  it('one refused recipient among accepted ones: sent to the others, the refusal kept in raw', async () => {
    const result = await send(provider(), email({ channelOptions: { to: ['ana@example.com', 'gone@example.com'] } }));
    expect(result.ok).toBe(true);
    expect((result as SendSuccess).raw).toMatchObject({
      accepted: ['ana@example.com'],
      rejected: ['gone@example.com'],
    });
    expect(smtp.received[0]!.rcptTo).toEqual(['ana@example.com']);
  });

  it('all recipients refused, one of them temporarily: retryable', async () => {
    const result = failure(
      await send(provider(), email({ channelOptions: { to: ['gone@example.com', 'busy@example.com'] } })),
    );
    expect(result.retryable).toBe(true);
  });

  it('connection refused is a retryable NETWORK failure', async () => {
    const result = failure(await send(provider({ port: await freePort() })));
    expect(result).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(result.message).toMatch(/ECONNREFUSED/);
  });

  it('an untrusted (self-signed) certificate is a permanent SMTP_TLS failure naming the setting', async () => {
    const result = failure(await send(provider({ tlsRejectUnauthorized: true })));
    expect(result).toMatchObject({ code: 'SMTP_TLS', retryable: false });
    expect(result.message).toMatch(/SMTP_TLS_REJECT_UNAUTHORIZED=false/);
  });

  // Abandoned slow sends are still accepted 1.5 s later (at-least-once): other tests look for
  // their own mails by Message-ID.
  it('a slow server is a retryable TIMEOUT within the deadline', async () => {
    const started = performance.now();
    const result = failure(
      await send(
        provider(),
        email({ recipient: 'slow@example.com', channelOptions: { to: ['slow@example.com'] } }),
        300,
      ),
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(result.message).toMatch(/did not accept the message within 300 ms/);
  });

  it('a send that times out waiting for a pooled connection is never sent later', async () => {
    const p = provider({ poolSize: 1 });
    const slow = send(p, email({ recipient: 'slow@example.com', channelOptions: { to: ['slow@example.com'] } }));
    await new Promise((r) => setTimeout(r, 100));
    const waited = failure(await send(p, email({ id: '0190c5e0-0000-7000-8000-00000000e0ff' }), 200));
    expect(waited).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(waited.message).toMatch(/no SMTP connection became free/);
    expect((await slow).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(
      smtp.received.filter((m) => m.headers['message-id'] === '<0190c5e0-0000-7000-8000-00000000e0ff@herald>'),
    ).toEqual([]);
    // The slot went to the next send: the pool still works.
    expect((await send(p)).ok).toBe(true);
  });

  it("the caller's abort resolves at once as a retryable failure; its deadline is a TIMEOUT", async () => {
    const slow = email({ recipient: 'slow@example.com', channelOptions: { to: ['slow@example.com'] } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(failure(await send(provider(), slow, 5_000, controller.signal))).toMatchObject({
      code: 'ABORTED',
      retryable: true,
    });
    expect(failure(await send(provider(), slow, 5_000, AbortSignal.timeout(100)))).toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
    });
  });

  it('declares EMAIL with a default rate', () => {
    expect(provider().capabilities).toEqual({ channels: ['EMAIL'], media: [], maxPerSecond: 10 });
  });
});

describe('through Herald', () => {
  let h: TestHerald;

  beforeAll(async () => {
    h = await startHerald({
      HERALD_WORKERS: '1',
      HERALD_POLL_MS: '20',
      // Everything Herald would ever log, to check that the password is in none of it.
      LOG_LEVEL: 'trace',
      HERALD_ROUTE_EMAIL: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_USER: USER,
      SMTP_PASSWORD: PASSWORD,
      SMTP_FROM: 'Herald <noreply@herald.example>',
      SMTP_TLS_REJECT_UNAUTHORIZED: 'false',
      SMTP_POOL_SIZE: '2',
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const load = async (id: string) => (await h.sdk().Message({ id })).message!;

  it('sendEmail ends SENT with the Message-ID, the mail received by the SMTP server', async () => {
    const r = await h.sdk().SendEmail({
      input: {
        to: ['Ana@Example.com'],
        cc: ['carla@example.com'],
        bcc: ['audit@example.com'],
        from: 'billing@herald.example',
        subject: 'Invoice INV-1001',
        text: 'Invoice INV-1001 is due on 15 April.',
        html: '<p>Invoice <b>INV-1001</b> is due.</p>',
      },
    });
    if (r.sendEmail.__typename !== 'Message') throw new Error(JSON.stringify(r.sendEmail));
    const id = r.sendEmail.messageId;
    const m = await eventually(
      () => load(id),
      (m) => m.status === 'SENT',
    );
    expect(m).toMatchObject({ provider: 'smtp', providerMessageId: `<${id}@herald>`, lastError: null });
    expect(m.events.filter((e) => e.kind === 'status').map((e) => e.status)).toEqual(['QUEUED', 'SENDING', 'SENT']);

    const mails = smtp.received.filter((r) => r.headers['message-id'] === `<${id}@herald>`);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.from).toBe('billing@herald.example');
    expect(mail.rcptTo).toEqual(['ana@example.com', 'carla@example.com', 'audit@example.com']);
    expect(mail.headers).toMatchObject({
      subject: 'Invoice INV-1001',
      'message-id': `<${id}@herald>`,
      cc: 'carla@example.com',
    });
    expect(mail.headers).not.toHaveProperty('bcc');
    expect(mail.body).toContain('<p>Invoice <b>INV-1001</b> is due.</p>');
  });

  it('a refused mailbox ends FAILED after one attempt; a busy one is retried', async () => {
    const gone = await h.sdk().SendEmail({ input: { to: ['gone@example.com'], subject: 'Hello', text: 'Hi' } });
    const busy = await h.sdk().SendEmail({ input: { to: ['busy@example.com'], subject: 'Hello', text: 'Hi' } });
    if (gone.sendEmail.__typename !== 'Message' || busy.sendEmail.__typename !== 'Message')
      throw new Error('not accepted');
    const failed = await eventually(
      () => load((gone.sendEmail as { messageId: string }).messageId),
      (m) => m.status === 'FAILED',
    );
    expect(failed).toMatchObject({ attempts: 1, lastError: { code: 'SMTP_550', retryable: false } });
    // Between attempts, not during one: on a slow machine the first look may catch the retry's SENDING.
    const retrying = await eventually(
      () => load((busy.sendEmail as { messageId: string }).messageId),
      (m) => m.lastError !== null && m.status !== 'SENDING',
    );
    expect(retrying).toMatchObject({ status: 'QUEUED', lastError: { code: 'SMTP_450', retryable: true } });
  });

  it('the password appears in no log line', () => {
    const lines = h.logLines();
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [
      PASSWORD,
      Buffer.from(PASSWORD).toString('base64'),
      Buffer.from(`\u0000${USER}\u0000${PASSWORD}`).toString('base64'),
    ]) {
      expect(lines.filter((l) => l.includes(secret))).toEqual([]);
    }
  });
});
