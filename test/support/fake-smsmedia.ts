import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

// A local SMSMedia HTTP API: the three send endpoints of the integration guide, as GET with the
// parameters in the query string or POST with them as JSON (the key in the `apikey` header or
// the body), the guide's parameter rules, `{status:"success", messageId}` on success and
// `{status:"error", message}` otherwise (the guide documents no response bodies: these are
// Herald's assumption). Records every request; failures can be scripted.
// Standalone: `tsx test/support/fake-smsmedia.ts [--port N] [--host H] [--api-key K]` prints
// {url, apiKey}; control routes under /__fake/: GET requests, POST script (a rule), POST reset.

export type SmsMediaChannel = 'WHATSAPP' | 'SMS' | 'EMAIL';

export type FakeSmsMediaRequest = {
  /** performance.timeOrigin + performance.now(), in ms. */
  receivedAt: number;
  method: string;
  path: string;
  channel: SmsMediaChannel | undefined;
  /** The query string's parameters, in order (GET; a POST may have none). */
  query: Array<[string, string]>;
  /** The parsed JSON body of a POST. */
  body: Record<string, unknown> | undefined;
  /** Query and body parameters together, as strings (what the endpoint reads). */
  params: Record<string, string>;
  /** Where the API key came from. */
  apikeyIn: 'query' | 'header' | 'body' | undefined;
  /** Length of the request line's URL (path and query). */
  urlLength: number;
  /** HTTP status answered (undefined for a dropped connection). */
  status: number | undefined;
  /** Set when the message was accepted. */
  messageId: string | undefined;
};

export type FakeSmsMediaRule = {
  /** Only requests to this mobile number or email address; all when absent (targeted rules win). */
  to?: string;
  /** How many matching requests the rule applies to; all of them when absent. */
  times?: number;
  /** Waits this long before answering. */
  delayMs?: number;
  /** Answers only once `releaseHeld()` is called (a provider that is slow for as long as a test needs). */
  hold?: boolean;
  /** Answers this HTTP status with `{status:"error", message}` instead of accepting. */
  status?: number;
  message?: string;
  /** An `errorCode` in the error body. */
  errorCode?: string;
  /** Retry-After header value (seconds or an HTTP-date). */
  retryAfter?: number | string;
  /** Raw response body instead of the JSON (with `contentType`, default text/html). */
  rawBody?: string;
  contentType?: string;
  /** Destroys the connection without answering. */
  drop?: boolean;
  /** Accepts with this message id instead of a random one. */
  messageId?: string;
  /** Accepts (HTTP 200) with exactly this JSON body. */
  json?: unknown;
};

export type FakeSmsMediaOptions = {
  port?: number;
  host?: string;
  apiKey?: string;
  /** Longer request URLs are answered 414 (default 8192, a common server limit). */
  maxUrlLength?: number;
};

export type FakeSmsMedia = {
  url: string;
  apiKey: string;
  /** Every request so far, in arrival order (the same array for the server's life). */
  requests: FakeSmsMediaRequest[];
  script(rule: FakeSmsMediaRule): void;
  /** Answers every request a `hold` rule is holding. */
  releaseHeld(): void;
  /** Forgets the requests and the scripted rules. */
  reset(): void;
  close(): Promise<void>;
};

const ENDPOINTS: Record<string, { channel: SmsMediaChannel; serviceId: string }> = {
  '/api/whatsapp-cloud-api/send-message-api': { channel: 'WHATSAPP', serviceId: '18' },
  '/api/sms/send-sms-api': { channel: 'SMS', serviceId: '6' },
  '/api/email/send-email-api': { channel: 'EMAIL', serviceId: '10' },
};

/** The guide's numbers: digits with the country code, no plus (918800001234). */
const MOBILE = /^[1-9]\d{7,14}$/;
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const BOOL = /^(true|false)$/;
const MEDIA = /^(none|image|video|document)$/;

const json = (o: unknown) => JSON.stringify(o);
const errorBody = (message: string, errorCode?: string) =>
  json({ status: 'error', message, ...(errorCode ? { errorCode } : {}) });

/** The guide's rules for each endpoint; the first problem found, or undefined. */
function validate(channel: SmsMediaChannel, serviceId: string, p: Record<string, string>): string | undefined {
  const missing = (name: string) => (p[name] === undefined || p[name] === '' ? `${name} is required` : undefined);
  if (p.serviceid !== serviceId) return `serviceid must be ${serviceId} for this endpoint`;
  switch (channel) {
    case 'WHATSAPP': {
      const problem = missing('mobile') ?? missing('templatename');
      if (problem) return problem;
      if (!MOBILE.test(p.mobile!)) return `mobile ${p.mobile} is not digits with the country code`;
      const media = p.mediatype ?? 'none';
      if (!MEDIA.test(media)) return 'mediatype must be none, image, video or document';
      if (media !== 'none' && !p.mediaid) return `mediaid is required for mediatype ${media}`;
      const numbers = Object.keys(p)
        .filter((k) => /^param\d+$/.test(k))
        .map((k) => Number(k.slice(5)))
        .sort((a, b) => a - b);
      if (numbers.some((n, i) => n !== i + 1)) return 'param1..paramN must be consecutive from param1';
      return undefined;
    }
    case 'SMS': {
      const problem = missing('senderid') ?? missing('mobile') ?? missing('smstext');
      if (problem) return problem;
      if (!MOBILE.test(p.mobile!)) return `mobile ${p.mobile} is not digits with the country code`;
      for (const flag of ['nonenglish', 'flash'])
        if (p[flag] !== undefined && !BOOL.test(p[flag]!)) return `${flag} must be true or false`;
      for (const dlt of ['peid', 'templateid'])
        if (p[dlt] !== undefined && !/^\d{1,30}$/.test(p[dlt]!)) return `${dlt} must be numeric`;
      return undefined;
    }
    case 'EMAIL': {
      const problem = missing('emailids') ?? missing('emailbody') ?? missing('emailsubject');
      if (problem) return problem;
      const bad = p.emailids!.split(',').find((a) => !EMAIL.test(a.trim()));
      return bad !== undefined ? `emailids: "${bad}" is not an email address` : undefined;
    }
  }
}

export async function startFakeSmsMedia(opts: FakeSmsMediaOptions = {}): Promise<FakeSmsMedia> {
  const apiKey = opts.apiKey ?? `smk_${randomBytes(16).toString('hex')}`;
  const maxUrl = opts.maxUrlLength ?? 8192;
  const requests: FakeSmsMediaRequest[] = [];
  const rules = new Map<string, FakeSmsMediaRule[]>(); // recipient or '*' -> rules in order
  const timers = new Set<NodeJS.Timeout>();
  let held: Array<() => void> = [];
  const releaseHeld = () => {
    const answers = held;
    held = [];
    for (const answer of answers) answer();
  };

  const script = (rule: FakeSmsMediaRule) => {
    const key = rule.to ?? '*';
    rules.set(key, [...(rules.get(key) ?? []), { ...rule }]);
  };
  const takeRule = (to: string | undefined): FakeSmsMediaRule | undefined => {
    const key = to !== undefined && rules.has(to) ? to : '*';
    const list = rules.get(key);
    const rule = list?.[0];
    if (rule?.times !== undefined && --rule.times <= 0) {
      list!.shift();
      if (list!.length === 0) rules.delete(key);
    }
    return rule;
  };
  const reset = () => {
    requests.length = 0;
    rules.clear();
  };

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  }

  function control(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const path = req.url!.split('?')[0];
    if (path === '/__fake/requests' && req.method === 'GET') return void send(res, 200, json(requests));
    if (path === '/__fake/script' && req.method === 'POST') {
      script(JSON.parse(raw) as FakeSmsMediaRule);
      return void send(res, 204, '');
    }
    if (path === '/__fake/reset' && req.method === 'POST') {
      reset();
      return void send(res, 204, '');
    }
    send(res, 404, json({ error: 'unknown control route' }));
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: string, receivedAt: number): void {
    const target = req.url ?? '/';
    const url = new URL(target, 'http://fake.local');
    const endpoint = ENDPOINTS[url.pathname];
    const entry: FakeSmsMediaRequest = {
      receivedAt,
      method: req.method ?? 'GET',
      path: url.pathname,
      channel: endpoint?.channel,
      query: [...url.searchParams],
      body: undefined,
      params: {},
      apikeyIn: undefined,
      urlLength: target.length,
      status: undefined,
      messageId: undefined,
    };
    requests.push(entry);
    const reply = (status: number, body: string, headers?: Record<string, string>) => {
      entry.status = status;
      send(res, status, body, headers);
    };

    if (target.length > maxUrl) return void reply(414, errorBody('URI too long'));
    if (!endpoint) return void reply(404, errorBody(`no endpoint ${url.pathname}`));
    if (req.method !== 'GET' && req.method !== 'POST')
      return void reply(405, errorBody('use GET or POST'), { allow: 'GET, POST' });

    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    if (req.method === 'POST' && raw.length > 0) {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return void reply(415, errorBody('POST bodies are JSON'));
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return void reply(400, errorBody('the body is not valid JSON'));
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        return void reply(400, errorBody('the body is a JSON object'));
      entry.body = body as Record<string, unknown>;
      for (const [k, v] of Object.entries(entry.body)) {
        if (typeof v === 'object' && v !== null)
          return void reply(400, errorBody(`${k} must be a string, number or boolean`));
        if (v !== null && v !== undefined) params[k] = String(v);
      }
    }
    entry.params = params;

    const header = req.headers.apikey;
    const headerKey = Array.isArray(header) ? header[0] : header;
    entry.apikeyIn = url.searchParams.has('apikey')
      ? 'query'
      : entry.body && 'apikey' in entry.body
        ? 'body'
        : headerKey
          ? 'header'
          : undefined;
    const keys = [params.apikey, headerKey].filter((k): k is string => k !== undefined);
    if (keys.length === 0 || keys.some((k) => k !== apiKey))
      return void reply(401, errorBody('Invalid API key', 'AUTH_FAILED'));

    const to = endpoint.channel === 'EMAIL' ? params.emailids?.split(',')[0]?.trim() : params.mobile;
    const rule = rules.size > 0 ? takeRule(to) : undefined;
    const respond = () => {
      if (rule?.drop) return void res.socket?.destroy();
      if (rule?.rawBody !== undefined) {
        entry.status = rule.status ?? 200;
        if (res.destroyed) return;
        res.writeHead(entry.status, { 'content-type': rule.contentType ?? 'text/html' }).end(rule.rawBody);
        return;
      }
      if (rule?.status !== undefined) {
        const headers: Record<string, string> =
          rule.retryAfter !== undefined ? { 'retry-after': String(rule.retryAfter) } : {};
        return void reply(
          rule.status,
          errorBody(rule.message ?? `Scripted error ${rule.status}`, rule.errorCode),
          headers,
        );
      }
      const invalid = validate(endpoint.channel, endpoint.serviceId, params);
      if (invalid) return void reply(400, errorBody(invalid, 'INVALID_PARAMETER'));
      if (rule?.json !== undefined) return void reply(200, json(rule.json));
      const messageId = rule?.messageId ?? randomUUID();
      entry.messageId = messageId;
      reply(200, json({ status: 'success', messageId }));
    };
    if (rule?.hold) held.push(respond);
    else if (rule?.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        respond();
      }, rule.delayMs);
      timers.add(timer);
    } else respond();
  }

  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const receivedAt = performance.timeOrigin + performance.now();
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      if ((req.url ?? '').startsWith('/__fake/')) return control(req, res, raw);
      handle(req, res, raw, receivedAt);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' }, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    apiKey,
    requests,
    script,
    releaseHeld,
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        held = [];
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (flag: string) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const fake = await startFakeSmsMedia({
    port: Number(arg('--port') ?? 0),
    host: arg('--host') ?? '127.0.0.1',
    apiKey: arg('--api-key'),
  });
  console.log(JSON.stringify({ url: fake.url, apiKey: fake.apiKey }));
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
