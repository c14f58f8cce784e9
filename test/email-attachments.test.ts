import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { media as mediaTable, messages as messagesTable } from '../src/db/schema.js';
import type { OutboundMessage } from '../src/providers/provider.js';
import { createSmsMediaProvider } from '../src/providers/smsmedia.js';
import { eventually } from './support/clock.js';
import { pdf, png } from './support/media-fixtures.js';
import { startHerald, type Sdk, type TestHerald } from './support/herald.js';

// Email attachments end to end: media uploaded through REST (base64), attached by id to sendEmail
// (GraphQL) or send-email-api (REST), checked on accept (the tenant's media, the total size),
// read from the media store by the dispatcher and sent as MIME parts by the SMTP provider to a
// real local SMTP server.

const MAX_TOTAL = 2048; // HERALD_EMAIL_ATTACHMENT_MAX_BYTES

type Received = { raw: string };

let server: SMTPServer;
const received: Received[] = [];
let h: TestHerald;
let admin: Sdk;
let otherKey: string;

beforeAll(async () => {
  server = new SMTPServer({
    logger: false,
    closeTimeout: 500,
    authOptional: true,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ raw: Buffer.concat(chunks).toString('utf8') });
        callback(null, '2.0.0 Ok: queued');
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as { port: number };
  h = await startHerald({
    HERALD_WORKERS: '1',
    HERALD_POLL_MS: '20',
    HERALD_ROUTE_EMAIL: 'smtp',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(port),
    SMTP_FROM: 'Herald <noreply@herald.example>',
    SMTP_TLS_REJECT_UNAUTHORIZED: 'false',
    HERALD_EMAIL_ATTACHMENT_MAX_BYTES: String(MAX_TOTAL),
  });
  admin = h.sdk();
  const created = await admin.CreateTenant({ name: 'Other Co' });
  if (created.createTenant.__typename !== 'IssuedApiKey') throw new Error('tenant not created');
  otherKey = created.createTenant.key;
});

afterAll(async () => {
  await h?.stop();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

type Json = Record<string, any>;

/** Uploads through REST as base64 JSON; answers the media id. */
async function upload(bytes: Buffer, filename: string, mediaType: string, key = h.adminKey): Promise<string> {
  const res = await fetch(`${h.url}/api/media/upload`, {
    method: 'POST',
    headers: { apikey: key, 'content-type': 'application/json' },
    body: JSON.stringify({ mediaType, data: bytes.toString('base64'), filename }),
  });
  const body = (await res.json()) as Json;
  if (res.status !== 200 || typeof body.mediaId !== 'string')
    throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
  return body.mediaId;
}

const messageCount = async () =>
  (await h.herald.services.db.select({ id: messagesTable.id }).from(messagesTable)).length;

const load = async (id: string) => (await admin.Message({ id })).message!;

/** The MIME parts of a raw message (one level of multipart/mixed is enough here). */
function parts(raw: string): Array<{ headers: string; body: string }> {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  if (!boundary) return [];
  return raw
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const at = part.indexOf('\r\n\r\n');
      return { headers: part.slice(0, at).replace(/\r\n[ \t]+/g, ' '), body: part.slice(at + 4) };
    });
}

describe('sendEmail with attachments', () => {
  it('sends the PDF as an application/pdf part named invoice.pdf with the same bytes', async () => {
    const bytes = pdf(11);
    const mediaId = await upload(bytes, 'invoice.pdf', 'document');
    const r = await admin.SendEmail({
      input: {
        to: ['ana@example.com'],
        subject: 'Invoice INV-1001',
        text: 'Your invoice is attached.',
        attachments: [mediaId.toUpperCase()],
      },
    });
    if (r.sendEmail.__typename !== 'Message') throw new Error(JSON.stringify(r.sendEmail));
    const id = r.sendEmail.messageId;
    expect(r.sendEmail.content).toMatchObject({ __typename: 'EmailContent', attachments: [mediaId] });

    const m = await eventually(
      () => load(id),
      (m) => m.status === 'SENT' || m.status === 'FAILED',
    );
    expect(m).toMatchObject({ status: 'SENT', provider: 'smtp', lastError: null });
    const mail = received.find((x) => x.raw.includes(`<${id}@herald>`));
    expect(mail).toBeDefined();
    const pdfParts = parts(mail!.raw).filter((p) => /content-type: application\/pdf/i.test(p.headers));
    expect(pdfParts).toHaveLength(1);
    const part = pdfParts[0]!;
    // nodemailer writes the parameter as a token (filename=invoice.pdf); a quoted string is the same value.
    expect(part.headers).toMatch(
      /content-disposition: attachment; filename=(?:"invoice\.pdf"|invoice\.pdf)(?:;|\r\n|$)/i,
    );
    expect(part.headers).toMatch(/content-transfer-encoding: base64/i);
    expect(Buffer.from(part.body.replace(/\s+/g, ''), 'base64').equals(bytes)).toBe(true);
    // The text is still there, as its own part.
    expect(
      parts(mail!.raw).some(
        (p) => /content-type: text\/plain/i.test(p.headers) && p.body.includes('Your invoice is attached.'),
      ),
    ).toBe(true);
  });

  it('an email without attachments has an empty list and no attachment part', async () => {
    const r = await admin.SendEmail({ input: { to: ['ben@example.com'], subject: 'Hi', text: 'Plain' } });
    if (r.sendEmail.__typename !== 'Message') throw new Error(JSON.stringify(r.sendEmail));
    expect(r.sendEmail.content).toMatchObject({ attachments: [] });
    const id = r.sendEmail.messageId;
    await eventually(
      () => load(id),
      (m) => m.status === 'SENT',
    );
    const mail = received.find((x) => x.raw.includes(`<${id}@herald>`))!;
    expect(mail.raw).not.toMatch(/content-disposition: attachment/i);
  });

  it('unknown, malformed and other tenants\u2019 media ids are ValidationErrors naming the entry; nothing is stored', async () => {
    const mine = await upload(pdf(12), 'mine.pdf', 'document');
    const theirs = await upload(pdf(13), 'theirs.pdf', 'document', otherKey);
    const before = await messageCount();
    const cases: Array<[string[], string]> = [
      [[mine, randomUUID()], 'attachments.1'],
      [['not-a-media-id'], 'attachments.0'],
      [[theirs], 'attachments.0'],
      [[mine, mine, theirs], 'attachments.2'],
    ];
    for (const [attachments, field] of cases) {
      const r = await admin.SendEmail({ input: { to: ['ana@example.com'], subject: 'Hi', text: 'x', attachments } });
      expect(r.sendEmail).toMatchObject({ __typename: 'ValidationError', field });
      if (r.sendEmail.__typename === 'ValidationError')
        expect(r.sendEmail.message).toMatch(/is not a media id of this tenant/);
    }
    // The other tenant may attach its own media.
    const ok = await h
      .sdk(otherKey)
      .SendEmail({ input: { to: ['ana@example.com'], subject: 'Hi', text: 'x', attachments: [theirs] } });
    expect(ok.sendEmail.__typename).toBe('Message');
    expect(await messageCount()).toBe(before + 1);
  });

  it('more than HERALD_EMAIL_ATTACHMENT_MAX_BYTES in total, or more than 10 files, is a ValidationError on attachments', async () => {
    const a = await upload(png({ width: 20, height: 20, noise: true, variant: 1 }), 'a.png', 'image');
    const b = await upload(png({ width: 20, height: 20, noise: true, variant: 2 }), 'b.png', 'image');
    const before = await messageCount();
    const big = await admin.SendEmail({
      input: { to: ['ana@example.com'], subject: 'Hi', text: 'x', attachments: [a, b] },
    });
    expect(big.sendEmail).toMatchObject({ __typename: 'ValidationError', field: 'attachments' });
    if (big.sendEmail.__typename === 'ValidationError')
      expect(big.sendEmail.message).toMatch(/more than the 2 KiB an email may attach/);
    const many = await admin.SendEmail({
      input: { to: ['ana@example.com'], subject: 'Hi', text: 'x', attachments: Array.from({ length: 11 }, () => a) },
    });
    expect(many.sendEmail).toMatchObject({ __typename: 'ValidationError', field: 'attachments' });
    if (many.sendEmail.__typename === 'ValidationError')
      expect(many.sendEmail.message).toMatch(/at most 10 attachments/);
    expect(await messageCount()).toBe(before);
    // One of them alone fits.
    const one = await admin.SendEmail({
      input: { to: ['ana@example.com'], subject: 'Hi', text: 'x', attachments: [a] },
    });
    expect(one.sendEmail.__typename).toBe('Message');
  });

  it('media deleted after accept fails the message for good with MEDIA_UNAVAILABLE', async () => {
    const mediaId = await upload(pdf(14), 'gone.pdf', 'document');
    const r = await admin.SendEmail({
      input: {
        to: ['ana@example.com'],
        subject: 'Hi',
        text: 'x',
        attachments: [mediaId],
        sendAt: new Date(Date.now() + 1_500).toISOString(),
      },
    });
    if (r.sendEmail.__typename !== 'Message') throw new Error(JSON.stringify(r.sendEmail));
    await h.herald.services.db.delete(mediaTable).where(eq(mediaTable.id, mediaId));
    const m = await eventually(
      () => load((r.sendEmail as { messageId: string }).messageId),
      (m) => m.status === 'FAILED',
    );
    expect(m).toMatchObject({ attempts: 1, lastError: { code: 'MEDIA_UNAVAILABLE', retryable: false } });
  });
});

describe('REST send-email-api', () => {
  const sendRest = async (body: Json) => {
    const res = await fetch(`${h.url}/api/email/send-email-api`, {
      method: 'POST',
      headers: { apikey: h.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  it('attachments (comma-separated media ids) are attached like GraphQL ones', async () => {
    const x = await upload(pdf(21), 'x.pdf', 'document');
    const y = await upload(pdf(22), 'y.pdf', 'document');
    const a = await sendRest({
      emailids: 'carla@example.com',
      emailsubject: 'Docs',
      emailbody: 'Two files',
      attachments: `${x}, ${y}`,
    });
    expect(a.status).toBe(200);
    const id = a.body.messages[0].messageId as string;
    expect((await load(id)).content).toMatchObject({ attachments: [x, y] });
    await eventually(
      () => load(id),
      (m) => m.status === 'SENT',
    );
    const mail = received.find((r) => r.raw.includes(`<${id}@herald>`))!;
    expect(
      parts(mail.raw)
        .filter((p) => /content-disposition: attachment/i.test(p.headers))
        .map((p) => /filename="?([^";]+)"?/.exec(p.headers)?.[1]),
    ).toEqual(['x.pdf', 'y.pdf']);
  });

  it('an unknown media id is a 400 naming the attachments parameter; nothing is stored', async () => {
    const before = await messageCount();
    const a = await sendRest({
      emailids: 'carla@example.com',
      emailsubject: 'Docs',
      emailbody: 'x',
      attachments: randomUUID(),
    });
    expect(a.status).toBe(400);
    expect(JSON.stringify(a.body)).toMatch(/attachments/);
    expect(JSON.stringify(a.body)).toMatch(/is not a media id of this tenant/);
    expect(await messageCount()).toBe(before);
  });
});

describe('providers that cannot attach', () => {
  it('smsmedia email fails permanently with UNSUPPORTED_OPTION, before any request', async () => {
    const p = createSmsMediaProvider({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9' });
    const message: OutboundMessage = {
      id: randomUUID(),
      tenantId: randomUUID(),
      channel: 'EMAIL',
      recipient: 'ana@example.com',
      sender: null,
      templateName: null,
      templateLanguage: null,
      templateParams: null,
      body: 'x',
      subject: 'Hi',
      mediaType: null,
      mediaId: null,
      channelOptions: { to: ['ana@example.com'], cc: [], bcc: [], attachments: ['x'] },
      validUntil: null,
      attempt: 1,
      attachments: [{ filename: 'a.pdf', mimeType: 'application/pdf', content: pdf() }],
    };
    const result = await p.send(message, { timeoutMs: 2_000, signal: new AbortController().signal });
    expect(result).toMatchObject({ ok: false, code: 'UNSUPPORTED_OPTION', retryable: false });
    if (!result.ok) expect(result.message).toMatch(/cannot attach files/);
    await p.stop?.();
  });
});
