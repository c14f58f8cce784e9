import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';

// A local Twilio Messages API: Basic auth, form bodies, Twilio's validation codes and JSON
// shapes, a record of every request and scripted failures. Kept lean for load tests.
// Standalone: `tsx test/support/fake-twilio.ts [--port N] [--host H]` prints one JSON line
// {url, accountSid, authToken}; other processes then use the control routes under /__fake/:
// GET requests, POST script (a FakeTwilioRule as JSON), POST reset, GET callbacks (counters).
// With `statusCallbacks` (`--status-callbacks sent,delivered,read`) it also reports on every
// message it accepted with a StatusCallback URL, as Twilio does: one signed form POST per status,
// in order, the first `delayMs` after the answer.

export type FakeTwilioRequest = {
  /** performance.timeOrigin + performance.now(), in ms. */
  receivedAt: number;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  to: string | undefined;
  from: string | undefined;
  messagingServiceSid: string | undefined;
  body: string | undefined;
  params: Record<string, string>;
  /** HTTP status answered (undefined for a dropped connection). */
  status: number | undefined;
  /** Set when the message was accepted. */
  sid: string | undefined;
};

export type FakeTwilioRule = {
  /** Only requests to this recipient; every request when absent (recipient rules win). */
  to?: string;
  /** How many matching requests the rule applies to; all of them when absent. */
  times?: number;
  /** Waits this long before answering (combine with the fields below, or alone for a slow success). */
  delayMs?: number;
  /** Answers this HTTP status (400 when only `code` is given) instead of accepting. */
  status?: number;
  /** Twilio error code in the JSON body (default by status: 429 -> 20429, 5xx -> 20500, else 21211). */
  code?: number;
  message?: string;
  /** Retry-After header value (seconds or an HTTP-date). */
  retryAfter?: number | string;
  /** Raw response body instead of Twilio's JSON (e.g. an HTML gateway page). */
  rawBody?: string;
  /** Destroys the connection without answering. */
  drop?: boolean;
  /** Accepts with this message sid instead of a random one (a test can post its callback first). */
  sid?: string;
};

export type FakeTwilioOptions = {
  port?: number;
  host?: string;
  accountSid?: string;
  authToken?: string;
  record?: boolean;
  statusCallbacks?: StatusCallbackOptions;
};

export type StatusCallbackOptions = {
  /** Twilio statuses to report, in order (e.g. sent, delivered, read). */
  statuses: string[];
  /** Wait before the first report of a message (Twilio's come a moment after its answer). */
  delayMs?: number;
  /** Connections to the callback URL's host at most; further reports wait for one (default 32). */
  connections?: number;
  /** Attempts per report when the receiver fails or answers non-2xx (default 5, 1 s apart). */
  attempts?: number;
};

/** What the status callbacks did so far. */
export type StatusCallbackCounters = {
  /** Reports answered 2xx. */
  delivered: number;
  /** Attempts that failed and were retried. */
  retried: number;
  /** Reports given up after every attempt failed. */
  abandoned: number;
  /** Reports not yet answered 2xx or abandoned. */
  pending: number;
};

/**
 * Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed with the auth token, of the URL followed
 * by each POST parameter's name and value, sorted by name.
 */
export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  const signed = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

export type FakeTwilio = {
  url: string;
  accountSid: string;
  authToken: string;
  /** Every request so far, in arrival order (the same array for the server's life). */
  requests: FakeTwilioRequest[];
  script(rule: FakeTwilioRule): void;
  /** Forgets the requests and the scripted rules. */
  reset(): void;
  /** TCP connections accepted so far (keep-alive reuse shows as a small number). */
  connections(): number;
  callbacks(): StatusCallbackCounters;
  close(): Promise<void>;
};

const E164 = /^\+[1-9]\d{6,14}$/;
// A phone number, a short code or an alphanumeric sender ID (up to 11 characters, one letter).
const SENDER = /^(\+[1-9]\d{6,14}|\d{3,8}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/;
const MESSAGING_SERVICE = /^MG[0-9a-f]{32}$/;
const API_VERSION = '2010-04-01';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const errorBody = (status: number, code: number, message: string) =>
  JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

export async function startFakeTwilio(opts: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = opts.accountSid ?? `AC${hex(16)}`;
  const authToken = opts.authToken ?? hex(16);
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const messagesPath = `/${API_VERSION}/Accounts/${accountSid}/Messages.json`;
  const record = opts.record ?? true;
  const requests: FakeTwilioRequest[] = [];
  const rules = new Map<string, FakeTwilioRule[]>(); // recipient or '*' -> rules in order
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;
  const reporter = opts.statusCallbacks ? statusReporter(opts.statusCallbacks, accountSid, authToken) : undefined;

  const script = (rule: FakeTwilioRule) => {
    const key = rule.to ?? '*';
    rules.set(key, [...(rules.get(key) ?? []), { ...rule }]);
  };
  const takeRule = (to: string | undefined): FakeTwilioRule | undefined => {
    const key = to !== undefined && rules.has(to) ? to : '*';
    const list = rules.get(key);
    const rule = list?.[0];
    if (rule?.times !== undefined && --rule.times <= 0) {
      list!.shift();
      if (list!.length === 0) rules.delete(key);
    }
    return rule;
  };

  function send(res: ServerResponse, status: number, json: string, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
      ...headers,
    });
    res.end(json);
  }

  // Twilio's checks, in its order: To required/valid, a sender, a body, the optional fields.
  function validate(p: URLSearchParams): [number, string] | undefined {
    const to = p.get('To');
    const from = p.get('From');
    const service = p.get('MessagingServiceSid');
    const body = p.get('Body');
    const validity = p.get('ValidityPeriod');
    const callback = p.get('StatusCallback');
    if (!to) return [21604, "A 'To' phone number is required."];
    if (!E164.test(to)) return [21211, `The 'To' number ${to} is not a valid phone number.`];
    if (!from && !service) return [21603, "A 'From' phone number is required."];
    if (from && !SENDER.test(from))
      return [21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`];
    if (service && !MESSAGING_SERVICE.test(service)) return [21701, `The Messaging Service Sid ${service} is invalid.`];
    if (!body && !p.get('MediaUrl')) return [21602, 'Message body is required.'];
    if (body && body.length > 1600) return [21617, 'The concatenated message body exceeds the 1600 character limit.'];
    if (validity !== null && !(/^\d+$/.test(validity) && +validity >= 1 && +validity <= 36_000))
      return [21624, 'Validity period can only be set to integers between 1 and 36,000 seconds.'];
    if (callback !== null && !/^https?:\/\//.test(callback))
      return [21609, `The StatusCallback URL ${callback} is not a valid URL.`];
    return undefined;
  }

  function answer(req: IncomingMessage, res: ServerResponse, raw: string, entry: FakeTwilioRequest | undefined): void {
    const p = new URLSearchParams(
      req.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ? raw : '',
    );
    const to = p.get('To') ?? undefined;
    if (entry) {
      entry.params = Object.fromEntries(p);
      entry.to = to;
      entry.from = p.get('From') ?? undefined;
      entry.messagingServiceSid = p.get('MessagingServiceSid') ?? undefined;
      entry.body = p.get('Body') ?? undefined;
    }
    const reply = (status: number, json: string, headers?: Record<string, string>) => {
      if (entry) entry.status = status;
      send(res, status, json, headers);
    };
    const rule = rules.size > 0 ? takeRule(to) : undefined;
    const respond = () => {
      if (rule?.drop) return void res.socket?.destroy();
      if (rule && (rule.status !== undefined || rule.code !== undefined || rule.rawBody !== undefined)) {
        const status = rule.status ?? 400;
        const code = rule.code ?? (status === 429 ? 20429 : status >= 500 ? 20500 : 21211);
        const headers: Record<string, string> =
          rule.retryAfter !== undefined ? { 'retry-after': String(rule.retryAfter) } : {};
        if (rule.rawBody !== undefined) headers['content-type'] = 'text/html';
        return void reply(
          status,
          rule.rawBody ?? errorBody(status, code, rule.message ?? `Scripted error ${code}`),
          headers,
        );
      }
      const invalid = validate(p);
      if (invalid) return void reply(400, errorBody(400, invalid[0], invalid[1]));
      const sid = rule?.sid ?? `SM${randomUUID().replaceAll('-', '')}`;
      if (entry) entry.sid = sid;
      const callbackUrl = p.get('StatusCallback');
      if (reporter && callbackUrl) reporter.report(callbackUrl, { sid, to: to ?? '', from: p.get('From') ?? '' });
      const now = new Date().toUTCString().replace('GMT', '+0000');
      const service = p.get('MessagingServiceSid');
      const from = p.get('From');
      reply(
        201,
        JSON.stringify({
          account_sid: accountSid,
          api_version: API_VERSION,
          body: p.get('Body') ?? '',
          date_created: now,
          date_updated: now,
          date_sent: null,
          direction: 'outbound-api',
          error_code: null,
          error_message: null,
          from,
          messaging_service_sid: service,
          num_media: '0',
          num_segments: '1',
          price: null,
          price_unit: 'USD',
          sid,
          // Twilio answers "accepted" when a Messaging Service will pick the sender.
          status: service && !from ? 'accepted' : 'queued',
          to,
          uri: `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}.json`,
        }),
      );
    };
    if (rule?.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        respond();
      }, rule.delayMs);
      timers.add(timer);
    } else respond();
  }

  function control(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const path = req.url!.split('?')[0];
    if (path === '/__fake/requests' && req.method === 'GET') return void send(res, 200, JSON.stringify(requests));
    if (path === '/__fake/script' && req.method === 'POST') {
      script(JSON.parse(raw) as FakeTwilioRule);
      return void send(res, 204, '');
    }
    if (path === '/__fake/callbacks' && req.method === 'GET') return void send(res, 200, JSON.stringify(callbacks()));
    if (path === '/__fake/reset' && req.method === 'POST') {
      reset();
      return void send(res, 204, '');
    }
    send(res, 404, JSON.stringify({ error: 'unknown control route' }));
  }

  const reset = () => {
    requests.length = 0;
    rules.clear();
  };
  const callbacks = (): StatusCallbackCounters =>
    reporter?.counters() ?? { delivered: 0, retried: 0, abandoned: 0, pending: 0 };

  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const receivedAt = performance.timeOrigin + performance.now();
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      if (url.startsWith('/__fake/')) return control(req, res, raw);
      const path = url.split('?')[0]!;
      const entry: FakeTwilioRequest | undefined = record
        ? {
            receivedAt,
            path,
            authorization: req.headers.authorization,
            contentType: req.headers['content-type'],
            to: undefined,
            from: undefined,
            messagingServiceSid: undefined,
            body: undefined,
            params: {},
            status: undefined,
            sid: undefined,
          }
        : undefined;
      if (entry) requests.push(entry);
      const fail = (status: number, code: number, message: string, headers?: Record<string, string>) => {
        if (entry) entry.status = status;
        send(res, status, errorBody(status, code, message), headers);
      };
      if (!path.startsWith(`/${API_VERSION}/Accounts/`) || !path.endsWith('/Messages.json'))
        return fail(404, 20404, `The requested resource ${path} was not found`);
      if (req.headers.authorization !== expectedAuth || path !== messagesPath)
        return fail(401, 20003, 'Authenticate', { 'www-authenticate': 'Basic realm="Twilio API"' });
      if (req.method !== 'POST') return fail(405, 20004, 'Method not allowed');
      answer(req, res, raw, entry);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1', backlog: 4096 }, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    accountSid,
    authToken,
    requests,
    script,
    reset,
    connections: () => connections,
    callbacks,
    close: async () => {
      await reporter?.close();
      await new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Posts the status callbacks of accepted messages, each message's statuses one after another. */
function statusReporter(opts: StatusCallbackOptions, accountSid: string, authToken: string) {
  const agent = new Agent({ connections: opts.connections ?? 32, keepAliveTimeout: 30_000 });
  const attempts = opts.attempts ?? 5;
  const counters: StatusCallbackCounters = { delivered: 0, retried: 0, abandoned: 0, pending: 0 };
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function post(url: string, params: Record<string, string>): Promise<boolean> {
    for (let attempt = 1; attempt <= attempts && !closed; attempt++) {
      try {
        const res = await request(url, {
          method: 'POST',
          dispatcher: agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': signTwilioRequest(authToken, url, params),
            'user-agent': 'TwilioProxy/1.1',
          },
          body: new URLSearchParams(params).toString(),
        });
        await res.body.dump();
        if (res.statusCode >= 200 && res.statusCode < 300) return true;
      } catch {
        // refused or reset: retried like a non-2xx answer
      }
      if (attempt < attempts) {
        counters.retried++;
        await wait(1000);
      }
    }
    return false;
  }

  async function reportAll(url: string, message: { sid: string; to: string; from: string }): Promise<void> {
    await wait(opts.delayMs ?? 0);
    for (const [i, status] of opts.statuses.entries()) {
      if (closed) return;
      // The parameters Twilio posts for an outbound message's status.
      const params = {
        AccountSid: accountSid,
        ApiVersion: API_VERSION,
        From: message.from,
        MessageSid: message.sid,
        MessageStatus: status,
        SmsSid: message.sid,
        SmsStatus: status,
        To: message.to,
      };
      if (await post(url, params)) {
        counters.pending--;
        counters.delivered++;
        continue;
      }
      // A later status never overtakes one the receiver did not take: the rest are given up too.
      const rest = opts.statuses.length - i;
      counters.pending -= rest;
      counters.abandoned += rest;
      return;
    }
  }

  return {
    report(url: string, message: { sid: string; to: string; from: string }): void {
      counters.pending += opts.statuses.length;
      void reportAll(url, message);
    },
    counters: () => ({ ...counters }),
    close: async () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await agent.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (flag: string) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const fake = await startFakeTwilio({
    port: Number(arg('--port') ?? 0),
    host: arg('--host') ?? '127.0.0.1',
    accountSid: arg('--account-sid'),
    authToken: arg('--auth-token'),
    record: !process.argv.includes('--no-record'),
    ...(arg('--status-callbacks') && {
      statusCallbacks: {
        statuses: arg('--status-callbacks')!.split(','),
        delayMs: Number(arg('--callback-delay-ms') ?? 0),
        connections: Number(arg('--callback-connections') ?? 32),
      },
    }),
  });
  console.log(JSON.stringify({ url: fake.url, accountSid: fake.accountSid, authToken: fake.authToken }));
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
