import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { media, messages } from '../src/db/schema.js';
import { KeyRateLimiter } from '../src/http/key-rate-limit.js';
import { JsonUploadScanner } from '../src/rest/json-upload-scanner.js';
import { startHerald, type TestHerald } from './support/herald.js';

// What one request may cost Herald before it is refused: a caller without a valid key gets its
// 401 from the headers alone (the body is not read), a key over its rate limit gets 429 with
// Retry-After on every API route, and base64 uploads held in memory are bounded per request
// and in total.

const MB = 1024 * 1024;

type RawAnswer = {
  status: number;
  headers: Record<string, string>;
  body: string;
  sent: number;
  ms: number;
  serverRead: number;
};

/**
 * POSTs `total` bytes over a raw socket, writing as fast as the socket accepts, and stops
 * writing once an answer arrives or the connection ends. `sent` is what the client managed to
 * write; `serverRead` is what Herald's socket read (request line and headers included).
 */
async function rawPost(
  h: TestHerald,
  path: string,
  headers: Record<string, string>,
  total: number,
): Promise<RawAnswer> {
  let serverSocket: Socket | undefined;
  const onConnection = (s: Socket) => (serverSocket ??= s);
  h.herald.server.once('connection', onConnection);
  const { port } = new URL(h.url);
  const started = performance.now();
  const socket = connect(Number(port), '127.0.0.1');
  const head =
    `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: ${total}\r\n` +
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    '\r\n';
  let received = '';
  let answered = false;
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, 'A');
  const done = new Promise<void>((resolve) => {
    socket.on('data', (d) => {
      received += d.toString('latin1');
      if (received.includes('\r\n\r\n')) answered = true;
    });
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(head);
  while (sent < total && !answered && !socket.destroyed && socket.writable) {
    const n = Math.min(chunk.length, total - sent);
    const flushed = socket.write(n === chunk.length ? chunk : chunk.subarray(0, n));
    sent += n;
    if (!flushed) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        socket.once('drain', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
  socket.destroy();
  const ms = performance.now() - started;
  await new Promise((r) => setTimeout(r, 50));
  const at = received.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = received.slice(0, at).split('\r\n');
  const parsed = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  );
  let body = received.slice(at + 4);
  if (parsed['transfer-encoding'] === 'chunked') body = dechunk(body);
  return {
    status: Number(statusLine.split(' ')[1]),
    headers: parsed,
    body,
    sent,
    ms,
    serverRead: serverSocket?.bytesRead ?? -1,
  };
}

function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, eol), 16);
    if (!(size > 0)) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

let h: TestHerald;
beforeAll(async () => {
  h = await startHerald({ HERALD_KEY_RATE_LIMIT: '0' });
});
afterAll(() => h?.stop());

describe('a request without a valid key is refused on its headers', () => {
  const total = 50 * MB;
  const cases: Array<[string, string, Record<string, string>]> = [
    ['GraphQL, no key', '/graphql', { 'content-type': 'application/json' }],
    [
      'GraphQL, wrong key',
      '/graphql',
      { 'content-type': 'application/json', authorization: 'Bearer hk_wrong_0000000000000000000000' },
    ],
    [
      'REST send, wrong key',
      '/api/sms/send-sms-api',
      { 'content-type': 'application/json', apikey: 'hk_wrong_0000000000000000000000' },
    ],
    ['REST upload, no key', '/api/media/upload', { 'content-type': 'application/json' }],
    [
      'REST upload, wrong key',
      '/api/media/upload',
      { 'content-type': 'application/json', apikey: 'hk_wrong_0000000000000000000000' },
    ],
    [
      'multipart upload, wrong key',
      '/api/media/upload',
      { 'content-type': 'multipart/form-data; boundary=x', apikey: 'hk_wrong_0000000000000000000000' },
    ],
    [
      'media route, wrong key',
      '/media/0190a0b4-0000-7000-8000-000000000000',
      { apikey: 'hk_wrong_0000000000000000000000' },
    ],
  ];
  it.each(cases)('%s: 50 MB body, 401 long before it is read', async (_name, path, headers) => {
    const rssBefore = process.memoryUsage().rss;
    const answer = await rawPost(h, path, headers, total);
    expect(answer.status).toBe(401);
    expect(answer.headers.connection).toBe('close');
    // Herald read a small fraction of the body (socket buffers), not 50 MB.
    expect(answer.serverRead).toBeGreaterThan(0);
    expect(answer.serverRead).toBeLessThan(4 * MB);
    expect(answer.sent).toBeLessThan(total);
    expect(answer.ms).toBeLessThan(3_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(40 * MB);
    const body = JSON.parse(answer.body) as Record<string, any>;
    if (path === '/graphql') expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    else expect(body).toMatchObject({ status: 'error', error: { code: 'UNAUTHENTICATED' } });
  });
});

describe('per-key request rate limit (HERALD_KEY_RATE_LIMIT, HERALD_KEY_RATE_BURST)', () => {
  let limited: TestHerald;
  let keyA: string;
  let keyB: string;
  const storedMessages = async () =>
    (await limited.herald.database.db.select({ id: messages.id }).from(messages)).length;
  const storedMedia = async () => (await limited.herald.database.db.select({ id: media.id }).from(media)).length;
  const refill = () => new Promise((r) => setTimeout(r, 3100)); // 3 tokens at 1 a second

  beforeAll(async () => {
    limited = await startHerald({ HERALD_KEY_RATE_LIMIT: '1', HERALD_KEY_RATE_BURST: '3' });
    const issue = async (name: string) => {
      const r = await limited.sdk().CreateApiKey({ input: { name, scopes: ['SEND', 'READ'] } });
      if (r.createApiKey.__typename !== 'IssuedApiKey') throw new Error(JSON.stringify(r));
      return r.createApiKey.key;
    };
    keyA = await issue('a');
    keyB = await issue('b');
  });
  afterAll(() => limited?.stop());

  const graphqlSend = (key: string, i: number) =>
    fetch(`${limited.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($input: SendSmsInput!) { sendSms(input: $input) { __typename } }',
        variables: { input: { to: '+14155550100', text: `burst ${i}` } },
      }),
    });
  const restSend = (key: string, i: number) =>
    fetch(`${limited.url}/api/sms/send-sms-api`, {
      method: 'POST',
      headers: { apikey: key, 'content-type': 'application/json' },
      body: JSON.stringify({ mobile: '14155550100', smstext: `burst ${i}` }),
    });
  const upload = (key: string, i: number) =>
    fetch(`${limited.url}/api/media/upload`, {
      method: 'POST',
      headers: { apikey: key, 'content-type': 'application/json' },
      body: JSON.stringify({
        mediaType: 'document',
        filename: `n${i}.txt`,
        data: Buffer.from(`note number ${i} ${Math.random()}`).toString('base64'),
      }),
    });

  it.each([
    ['GraphQL', graphqlSend, storedMessages],
    ['REST', restSend, storedMessages],
    ['upload', upload, storedMedia],
  ] as const)(
    '%s: past the burst 429 with Retry-After, nothing stored for it; another key is unaffected',
    async (route, call, stored) => {
      await refill();
      const before = await stored();
      const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => call(keyA, i)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      for (const refused of answers.filter((a) => a.status === 429)) {
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        const body = (await refused.json()) as Record<string, any>;
        if (route === 'GraphQL') {
          expect(body).toEqual({
            errors: [{ message: expect.stringMatching(/too many requests/), extensions: { code: 'RATE_LIMITED' } }],
          });
        } else {
          expect(body).toMatchObject({ status: 'error', error: { code: 'RATE_LIMITED', field: null } });
        }
      }
      await Promise.all(answers.map((a) => a.body?.cancel().catch(() => {})));
      expect(await stored()).toBe(before + 3);
      // The other key has its own bucket.
      const other = await call(keyB, 9);
      expect(other.status).toBe(200);
      await other.body?.cancel();
      // The limit is shared by the routes: key A is still out of tokens on every one of them.
      for (const next of [graphqlSend, restSend, upload]) expect((await next(keyA, 10)).status).toBe(429);
      expect(await stored()).toBe(before + 4);
    },
  );

  it('a key sent in a form body shares the same bucket (taken once the body is read)', async () => {
    await refill();
    const before = await storedMessages();
    const form = (i: number) =>
      fetch(`${limited.url}/api/sms/send-sms-api`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ apikey: keyA, mobile: '14155550100', smstext: `form ${i}` }).toString(),
      });
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => form(i)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 429, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ status: 'error', error: { code: 'RATE_LIMITED' } });
    expect(await storedMessages()).toBe(before + 3);
    // The header route sees the same empty bucket.
    expect((await restSend(keyA, 99)).status).toBe(429);
  });

  it('a refused 50 MB upload is answered on its headers too', async () => {
    await refill();
    for (let i = 0; i < 3; i++) expect((await upload(keyA, 100 + i)).status).toBe(200);
    const answer = await rawPost(
      limited,
      '/api/media/upload',
      { 'content-type': 'application/json', apikey: keyA },
      50 * MB,
    );
    expect(answer.status).toBe(429);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(answer.serverRead).toBeLessThan(4 * MB);
  });
});

describe('the limiter itself', () => {
  it('refills at the rate, caps at the burst, and answers how long to wait', () => {
    let now = 0;
    const limiter = new KeyRateLimiter({ perSecond: 10, burst: 20, now: () => now });
    for (let i = 0; i < 20; i++) expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 500; // five tokens back
    for (let i = 0; i < 5; i++) expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k').allowed).toBe(false);
    now += 60_000; // never more than the burst
    for (let i = 0; i < 20; i++) expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k').allowed).toBe(false);
    const slow = new KeyRateLimiter({ perSecond: 0.1, burst: 1, now: () => now });
    slow.take('s');
    expect(slow.take('s')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('keeps at most maxKeys buckets, dropping the least recently seen', () => {
    const limiter = new KeyRateLimiter({ perSecond: 1, burst: 1, maxKeys: 1000 });
    for (let i = 0; i < 50_000; i++) limiter.take(`key-${i}`);
    expect(limiter.size).toBe(1000);
    // The most recent keys are still limited; the oldest were forgotten.
    expect(limiter.take('key-49999').allowed).toBe(false);
    expect(limiter.take('key-0').allowed).toBe(true);
  });

  it('is on by default (100 a second, bursts of 200) and off with 0', () => {
    expect(loadConfig({}).keyRateLimit).toEqual({ perSecond: 100, burst: 200 });
    expect(loadConfig({ HERALD_KEY_RATE_LIMIT: '0' }).keyRateLimit).toBeUndefined();
    expect(loadConfig({ HERALD_KEY_RATE_LIMIT: '5', HERALD_KEY_RATE_BURST: '7' }).keyRateLimit).toEqual({
      perSecond: 5,
      burst: 7,
    });
    expect(loadConfig({ HERALD_REST_RATE_LIMIT: '3' }).keyRateLimit).toEqual({ perSecond: 3, burst: 3 });
  });
});

/** POSTs a JSON upload whose base64 `data` is generated while it is sent (the client holds a chunk). */
function streamJsonUpload(
  h: TestHerald,
  key: string,
  line: string,
  fileBytes: number,
): Promise<{ status: number; body: Record<string, any> }> {
  // Whole lines of a length divisible by 3 encode to base64 that concatenates.
  const unit = `${line.padEnd(Math.ceil((line.length + 1) / 3) * 3 - 1, '.')}\n`;
  const block = Buffer.from(unit.repeat(Math.floor((48 * 1024) / unit.length))).toString('base64');
  const blockBytes = (block.length / 4) * 3;
  const blocks = Math.max(1, Math.floor(fileBytes / blockBytes));
  const head = Buffer.from(`{"mediaType":"document","filename":"big.txt","caption":"load test","data":"`);
  const tail = Buffer.from('"}');
  const total = head.length + blocks * block.length + tail.length;
  return new Promise((resolve, reject) => {
    const req = request(
      `${h.url}/api/media/upload`,
      { method: 'POST', headers: { apikey: key, 'content-type': 'application/json', 'content-length': String(total) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>,
          }),
        );
      },
    );
    req.on('error', reject);
    const chunk = Buffer.from(block);
    let sent = 0;
    const pump = () => {
      if (sent === 0) req.write(head);
      while (sent < blocks) {
        sent++;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

describe('base64 JSON uploads are decoded as they stream', () => {
  it('four concurrent 24 MB uploads (32 MB of base64 each) grow RSS by far less than the bodies', async () => {
    const fileBytes = 24 * MB;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    try {
      const answers = await Promise.all(
        [0, 1, 2, 3].map((i) => streamJsonUpload(h, h.adminKey, `upload ${i} of Herald's streaming test`, fileBytes)),
      );
      for (const a of answers) {
        expect(a.status, JSON.stringify(a.body)).toBe(200);
        expect(a.body).toMatchObject({
          status: 'success',
          mediaType: 'document',
          mimeType: 'text/plain',
          filename: 'big.txt',
          caption: 'load test',
        });
        expect(a.body.size).toBeGreaterThan(fileBytes * 0.95);
      }
      expect(new Set(answers.map((a) => a.body.mediaId)).size).toBe(4);
    } finally {
      clearInterval(sampler);
    }
    // Streaming: about 13 MB. Whole-body parsing (body, its string, the base64 string, the bytes): about 180 MB.
    expect(peak - before).toBeLessThan(64 * MB);
  });

  it('the scanner yields the same members and bytes however the body is cut into chunks', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.string({ maxLength: 20 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }),
        fc.constantFrom('', ' ', '\n  '),
        (bytes, caption, dataUrl, cuts, space) => {
          const base64 = Buffer.from(bytes)
            .toString('base64')
            .replace(/(.{7})/g, dataUrl ? '$1' : '$1\\n');
          const body = Buffer.from(
            `${space}{${space}"caption"${space}:${space}${JSON.stringify(caption)},"meta":{"a":[1,"}",{"b":null}]},${space}"Data":${space}"${dataUrl ? 'data:image/png;base64,' : ''}${base64.replace(/\//g, '\\/')}"${space},"n":-1.5e3}${space}`,
          );
          const fields: Record<string, unknown> = {};
          const out: Buffer[] = [];
          let type: string | undefined;
          const scanner = new JsonUploadScanner({
            field: (name, value) => {
              fields[name] = value;
            },
            dataStart: () => {},
            dataChunk: (b) => void out.push(b),
            dataEnd: (t) => {
              type = t;
            },
          });
          let at = 0;
          for (const cut of cuts) {
            scanner.write(body.subarray(at, at + cut));
            at = Math.min(body.length, at + cut);
          }
          scanner.write(body.subarray(at));
          scanner.end();
          expect(Buffer.concat(out).equals(Buffer.from(bytes))).toBe(true);
          expect(fields).toEqual({ caption, meta: { a: [1, '}', { b: null }] }, n: -1500 });
          expect(type).toBe(dataUrl ? 'image/png' : undefined);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ['{"data":"QUJD"', /ends before the object/],
    ['{"data":"QU*D"}', /data is not valid base64/],
    ['{"data":"QQ=A"}', /data is not valid base64/],
    ['{"data":""}', /data is empty/],
    ['{"data":12}', /data must be a base64 string/],
    ['{"a":1,}', /unexpected "}"/],
    ['{"a":1} x', /more after the object/],
    ['["data"]', /must be an object/],
    ['{"a":tru', /ends before|not valid/],
    [`{"":"${'a'.repeat(70_000)}"}`, /a member name is empty/],
  ])('refuses %s', (text, message) => {
    const scanner = new JsonUploadScanner({
      field: () => {},
      dataStart: () => {},
      dataChunk: () => {},
      dataEnd: () => {},
    });
    expect(() => {
      scanner.write(Buffer.from(text));
      scanner.end();
    }).toThrow(message);
  });
});

describe('GraphQL multipart uploads share one memory budget (HERALD_UPLOAD_MEMORY_BYTES)', () => {
  let small: TestHerald;
  beforeAll(async () => {
    // One upload may take 1 MiB + 1 MiB of form: 2 MiB reserved per request, 3 MiB in all.
    small = await startHerald({ HERALD_MEDIA_MAX_BYTES: String(MB), HERALD_UPLOAD_MEMORY_BYTES: String(3 * MB) });
  });
  afterAll(() => small?.stop());

  it('an upload that does not fit beside those in flight is refused at once, and fits once they end', async () => {
    const headers = { authorization: `Bearer ${small.adminKey}`, 'content-type': 'multipart/form-data; boundary=zz' };
    // A slow upload: its headers and a few bytes, then nothing for now.
    const { port } = new URL(small.url);
    const slow = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.on('error', () => {});
    slow.write(
      `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: ${2 * MB}\r\n` +
        Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('') +
        '\r\n--zz\r\n',
    );
    await new Promise((r) => setTimeout(r, 300));

    const refused = await rawPost(small, '/graphql', headers, 2 * MB);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('UPLOADS_BUSY');
    expect(refused.serverRead).toBeLessThan(MB); // refused on its headers

    slow.destroy();
    await new Promise((r) => setTimeout(r, 300));
    // The slow one's reservation is back: the same request is read now (and refused for its
    // garbage body, a 400, which is the parser's business).
    const admitted = await rawPost(small, '/graphql', { ...headers, connection: 'close' }, 2 * MB);
    expect(admitted.status).toBe(400);
  });
});
