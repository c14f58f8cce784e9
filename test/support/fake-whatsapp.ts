import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

// A local WhatsApp Cloud API (Graph API): bearer auth, template sends validated against a
// configurable set of templates (Meta's error codes and JSON shapes), media uploads (multipart,
// bytes kept), a record of every request and scripted failures per recipient. Also builds
// notifications signed with the app secret, as Meta POSTs them to a webhook.
// Standalone: `tsx test/support/fake-whatsapp.ts [--port N] [--host H]` prints one JSON line
// {url, accessToken, phoneNumberId, appSecret, apiVersion}; other processes then use the
// control routes under /__fake/: GET requests, POST script (a FakeWhatsAppRule as JSON), POST reset.

export type FakeWhatsAppTemplate = {
  name: string;
  /** Languages it is approved in (default en and en_US). */
  languages?: string[];
  /** How many body parameters ({{1}}..{{n}}) it has (default 0). */
  bodyParams?: number;
  /** Its header, when it has a media one. */
  header?: 'image' | 'video' | 'document';
};

export type FakeWhatsAppRequest = {
  /** performance.timeOrigin + performance.now(), in ms. */
  receivedAt: number;
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  /** The JSON body of a send (undefined for uploads and bodies that are not JSON). */
  json: Record<string, unknown> | undefined;
  /** Multipart fields of an upload (the file as its name, type and size). */
  form: Record<string, string | { filename: string; type: string; size: number }> | undefined;
  /** The `to` of a send. */
  to: string | undefined;
  /** HTTP status answered (undefined for a dropped connection). */
  status: number | undefined;
  /** Set when a message was accepted. */
  wamid: string | undefined;
  /** Set when a file was stored. */
  mediaId: string | undefined;
};

export type FakeWhatsAppRule = {
  /** Which endpoint (default messages). */
  endpoint?: 'messages' | 'media';
  /** Only sends to this recipient (digits, as sent); every request when absent (recipient rules win). */
  to?: string;
  /** How many matching requests the rule applies to; all of them when absent. */
  times?: number;
  /** Waits this long before answering (alone: a slow success). */
  delayMs?: number;
  /** Answers this HTTP status (400 when only `code` is given) with a Graph error. */
  status?: number;
  /** Graph error code (default by status: 429 -> 130429, 5xx -> 131000, else 100). */
  code?: number;
  /** error.message (default "(#<code>) Scripted error"). */
  message?: string;
  /** error.error_data.details. */
  details?: string;
  /** Retry-After header value. */
  retryAfter?: number | string;
  /** Raw response body instead of the Graph JSON (e.g. an HTML gateway page). */
  rawBody?: string;
  /** Destroys the connection without answering. */
  drop?: boolean;
  /** Accepts with this wamid instead of a random one (a test can post its webhook first). */
  wamid?: string;
};

export type FakeWhatsAppOptions = {
  port?: number;
  host?: string;
  accessToken?: string;
  phoneNumberId?: string;
  appSecret?: string;
  apiVersion?: string;
  templates?: FakeWhatsAppTemplate[];
  record?: boolean;
};

export type StoredMedia = { bytes: Buffer; mimeType: string; filename: string; uploadedAt: number };

export type StatusNotification = {
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | (string & {});
  /** Unix seconds (default now). */
  timestamp?: number;
  /** Default: the recipient the wamid was sent to. */
  recipientId?: string;
  errors?: Array<{ code: number; title: string; message?: string; details?: string }>;
  /** Default: what the send carried. */
  bizOpaqueCallbackData?: string;
};

export type InboundNotification = {
  from: string;
  text?: string;
  button?: { text: string; payload: string };
  id?: string;
  timestamp?: number;
  contextId?: string;
};

export type SignedNotification = { body: string; headers: Record<string, string> };

/** A template at the fake's Meta (template management API: POST and GET /{waba-id}/message_templates). */
export type FakeMetaTemplate = {
  id: string;
  name: string;
  language: string;
  category: string;
  /** PENDING, APPROVED, REJECTED, PAUSED, DISABLED... as Meta spells them. */
  status: string;
  rejectedReason: string;
  /** GREEN, YELLOW, RED or UNKNOWN. */
  quality: string;
  components: Array<Record<string, unknown>>;
};

export type TemplateReview = {
  status?: string;
  /** Meta's reason (rejected_reason; "NONE" when there is none). */
  reason?: string;
  quality?: string;
  /** Do not POST the webhook even though webhookUrl is set (Meta's webhook lost). */
  silent?: boolean;
};

export type FakeWhatsApp = {
  url: string;
  accessToken: string;
  phoneNumberId: string;
  appSecret: string;
  apiVersion: string;
  wabaId: string;
  /** The Meta app's id: resumable upload sessions (template header samples) are opened on it. */
  appId: string;
  displayPhoneNumber: string;
  /** Every request so far, in arrival order (the same array for the server's life). */
  requests: FakeWhatsAppRequest[];
  /** Uploaded files by media id. */
  media: Map<string, StoredMedia>;
  /** Adds (or replaces) an approved template. */
  template(t: FakeWhatsAppTemplate): void;
  script(rule: FakeWhatsAppRule): void;
  /** Forgets the requests, uploads and scripted rules (templates stay). */
  reset(): void;
  connections(): number;
  /** A notification with these statuses, signed with the app secret (or `secret`). */
  statusNotification(
    statuses: StatusNotification | StatusNotification[],
    opts?: { secret?: string; phoneNumberId?: string },
  ): SignedNotification;
  /** A notification of messages users sent, signed with the app secret. */
  inboundNotification(
    messages: InboundNotification | InboundNotification[],
    opts?: { secret?: string; phoneNumberId?: string },
  ): SignedNotification;
  /** Answers template list pages this much later, from the state when asked (a slow Meta). */
  listDelayMs: number;
  /** Files received through the resumable upload API, by the handle answered. */
  samples: Map<string, { bytes: Buffer; fileType: string; fileName: string }>;
  /** Templates submitted to the fake's Meta, by Meta's id. */
  metaTemplates: Map<string, FakeMetaTemplate>;
  /**
   * Where review() POSTs Meta's template webhooks (message_template_status_update and
   * message_template_quality_update), signed with the app secret; unset: nothing is posted.
   */
  webhookUrl: string | undefined;
  /**
   * Meta's reviewer: changes a submitted template (status, reason, quality), makes it sendable
   * when APPROVED (and not otherwise), and POSTs the webhooks of what changed to webhookUrl.
   * Resolves to the HTTP statuses Herald answered.
   */
  review(name: string, language: string, change: TemplateReview): Promise<number[]>;
  /** A signed notification of a template webhook field, as Meta POSTs it. */
  templateNotification(
    field: 'message_template_status_update' | 'message_template_quality_update',
    value: Record<string, unknown>,
    opts?: { secret?: string },
  ): SignedNotification;
  /** `sha256=<hex HMAC-SHA256(secret, body)>`, Meta's X-Hub-Signature-256. */
  sign(body: string | Buffer, secret?: string): string;
  close(): Promise<void>;
};

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const digits = (n: number) =>
  Array.from({ length: n }, (_, i) => (i === 0 ? randomInt(1, 10) : randomInt(0, 10))).join('');
const fbtrace = () => randomBytes(9).toString('base64url');
const graphError = (code: number, message: string, details?: string, type = 'OAuthException') =>
  JSON.stringify({
    error: {
      message,
      type,
      code,
      ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
      fbtrace_id: fbtrace(),
    },
  });

const MEDIA_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'video/mp4',
  'video/3gpp',
  'audio/aac',
  'audio/amr',
  'audio/mpeg',
  'audio/mp4',
  'audio/ogg',
  'text/plain',
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);

type Sent = { to: string; bizOpaque: string | undefined };

export async function startFakeWhatsApp(opts: FakeWhatsAppOptions = {}): Promise<FakeWhatsApp> {
  const accessToken = opts.accessToken ?? `EAA${randomBytes(48).toString('base64url')}`;
  const phoneNumberId = opts.phoneNumberId ?? digits(15);
  const appSecret = opts.appSecret ?? hex(16);
  const apiVersion = opts.apiVersion ?? 'v23.0';
  const wabaId = digits(15);
  const appId = digits(15);
  const sessions = new Map<string, { fileLength: number; fileType: string; fileName: string }>();
  const samples = new Map<string, { bytes: Buffer; fileType: string; fileName: string }>();
  const displayPhoneNumber = '15550009999';
  const record = opts.record ?? true;
  const requests: FakeWhatsAppRequest[] = [];
  const media = new Map<string, StoredMedia>();
  const templates = new Map<string, FakeWhatsAppTemplate>();
  const metaTemplates = new Map<string, FakeMetaTemplate>();
  const sent = new Map<string, Sent>();
  const rules = new Map<string, FakeWhatsAppRule[]>(); // `${endpoint}:${to ?? '*'}` -> rules in order
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;

  const template = (t: FakeWhatsAppTemplate) =>
    templates.set(t.name, { languages: ['en', 'en_US'], bodyParams: 0, ...t });
  for (const t of opts.templates ?? []) template(t);

  const script = (rule: FakeWhatsAppRule) => {
    const key = `${rule.endpoint ?? 'messages'}:${rule.to ?? '*'}`;
    rules.set(key, [...(rules.get(key) ?? []), { ...rule }]);
  };
  const takeRule = (endpoint: string, to: string | undefined): FakeWhatsAppRule | undefined => {
    const key = to !== undefined && rules.has(`${endpoint}:${to}`) ? `${endpoint}:${to}` : `${endpoint}:*`;
    const list = rules.get(key);
    const rule = list?.[0];
    if (rule?.times !== undefined && --rule.times <= 0) {
      list!.shift();
      if (list!.length === 0) rules.delete(key);
    }
    return rule;
  };

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    res.writeHead(status, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  }

  // Meta's checks for a template send, roughly in its order: envelope, recipient, template, parameters.
  function validateSend(b: Record<string, unknown>): [number, string, string?] | undefined {
    if (b.messaging_product !== 'whatsapp') return [100, '(#100) The parameter messaging_product is required.'];
    if (b.recipient_type !== undefined && b.recipient_type !== 'individual')
      return [100, '(#100) Invalid parameter', 'recipient_type must be individual'];
    if (typeof b.to !== 'string' || !b.to) return [100, '(#100) The parameter to is required.'];
    if (!/^\+?[1-9]\d{6,14}$/.test(b.to))
      return [131009, '(#131009) Parameter value is not valid', `to: ${b.to} is not a valid phone number`];
    if (b.type !== 'template')
      return [131051, '(#131051) Unsupported message type', 'this fake accepts template messages only'];
    const t = b.template as { name?: unknown; language?: { code?: unknown }; components?: unknown } | undefined;
    if (!t || typeof t.name !== 'string') return [100, '(#100) The parameter template[name] is required.'];
    if (typeof t.language?.code !== 'string')
      return [100, '(#100) The parameter template[language][code] is required.'];
    const known = templates.get(t.name);
    if (!known || !known.languages!.includes(t.language.code))
      return [
        132001,
        '(#132001) Template name does not exist in the translation',
        `template name (${t.name}) does not exist in ${t.language.code}`,
      ];
    if (t.components !== undefined && !Array.isArray(t.components))
      return [100, '(#100) Invalid parameter', 'template[components] must be an array'];
    const components = (t.components ?? []) as Array<{ type?: unknown; parameters?: unknown }>;
    const body = components.find((c) => c.type === 'body');
    const params = Array.isArray(body?.parameters)
      ? (body.parameters as Array<{ type?: unknown; text?: unknown }>)
      : [];
    if (params.some((p) => p.type !== 'text' || typeof p.text !== 'string' || p.text === ''))
      return [131008, '(#131008) Required parameter is missing', 'body parameters need type text and a non-empty text'];
    if (params.length !== known.bodyParams)
      return [
        132000,
        '(#132000) Number of parameters does not match the expected number of params',
        `body: number of localizable_params (${params.length}) does not match the expected number of params (${known.bodyParams})`,
      ];
    const header = components.find((c) => c.type === 'header');
    if (known.header) {
      const p = Array.isArray(header?.parameters)
        ? (header.parameters[0] as Record<string, unknown> | undefined)
        : undefined;
      const ref = p?.[known.header] as { id?: unknown; link?: unknown } | undefined;
      if (!p || p.type !== known.header || !ref || (typeof ref.id !== 'string' && typeof ref.link !== 'string'))
        return [
          132012,
          '(#132012) Parameter format does not match format in the created template',
          `header: expected a ${known.header} by id or link`,
        ];
    } else if (header) {
      return [
        132000,
        '(#132000) Number of parameters does not match the expected number of params',
        'header: the template has no media header',
      ];
    }
    return undefined;
  }

  function scripted(
    rule: FakeWhatsAppRule,
    reply: (status: number, body: string, headers?: Record<string, string>) => void,
  ): boolean {
    if (rule.status === undefined && rule.code === undefined && rule.rawBody === undefined) return false;
    const status = rule.status ?? 400;
    const code = rule.code ?? (status === 429 ? 130429 : status >= 500 ? 131000 : 100);
    const headers: Record<string, string> =
      rule.retryAfter !== undefined ? { 'retry-after': String(rule.retryAfter) } : {};
    if (rule.rawBody !== undefined) headers['content-type'] = 'text/html';
    reply(status, rule.rawBody ?? graphError(code, rule.message ?? `(#${code}) Scripted error`, rule.details), headers);
    return true;
  }

  function later(rule: FakeWhatsAppRule | undefined, run: () => void): void {
    if (!rule?.delayMs) return void run();
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, rule.delayMs);
    timers.add(timer);
  }

  function messages(
    res: ServerResponse,
    raw: Buffer,
    entry: FakeWhatsAppRequest | undefined,
    contentType: string | undefined,
  ): void {
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    const to = typeof json?.to === 'string' ? json.to : undefined;
    if (entry) {
      entry.json = json;
      entry.to = to;
    }
    const reply = (status: number, body: string, headers?: Record<string, string>) => {
      if (entry) entry.status = status;
      send(res, status, body, headers);
    };
    const rule = rules.size > 0 ? takeRule('messages', to) : undefined;
    later(rule, () => {
      if (rule?.drop) return void res.socket?.destroy();
      if (rule && scripted(rule, reply)) return;
      if (!contentType?.startsWith('application/json') || !json)
        return void reply(400, graphError(100, '(#100) Invalid parameter', 'the body must be a JSON object'));
      const invalid = validateSend(json);
      if (invalid) return void reply(400, graphError(...invalid));
      const wamid = rule?.wamid ?? `wamid.${randomBytes(30).toString('base64url')}`;
      sent.set(wamid, {
        to: to!.replace(/^\+/, ''),
        bizOpaque: typeof json.biz_opaque_callback_data === 'string' ? json.biz_opaque_callback_data : undefined,
      });
      if (entry) entry.wamid = wamid;
      reply(
        200,
        JSON.stringify({
          messaging_product: 'whatsapp',
          contacts: [{ input: to, wa_id: to!.replace(/^\+/, '') }],
          messages: [{ id: wamid }],
        }),
      );
    });
  }

  async function upload(
    res: ServerResponse,
    raw: Buffer,
    entry: FakeWhatsAppRequest | undefined,
    contentType: string | undefined,
  ): Promise<void> {
    const reply = (status: number, body: string, headers?: Record<string, string>) => {
      if (entry) entry.status = status;
      send(res, status, body, headers);
    };
    let form: FormData | undefined;
    try {
      if (contentType?.startsWith('multipart/form-data'))
        form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    } catch {
      form = undefined;
    }
    const fields: NonNullable<FakeWhatsAppRequest['form']> = {};
    for (const [k, v] of form ?? [])
      fields[k] = typeof v === 'string' ? v : { filename: v.name, type: v.type, size: v.size };
    if (entry) entry.form = fields;
    const rule = rules.size > 0 ? takeRule('media', undefined) : undefined;
    const file = form?.get('file');
    const type = form?.get('type');
    const bytes = file && typeof file !== 'string' ? Buffer.from(await file.arrayBuffer()) : undefined;
    later(rule, () => {
      if (rule?.drop) return void res.socket?.destroy();
      if (rule && scripted(rule, reply)) return;
      if (!form)
        return void reply(400, graphError(100, '(#100) Invalid parameter', 'the upload must be multipart/form-data'));
      if (form.get('messaging_product') !== 'whatsapp')
        return void reply(400, graphError(100, '(#100) The parameter messaging_product is required.'));
      if (!file || typeof file === 'string' || !bytes)
        return void reply(400, graphError(100, '(#100) The parameter file is required.'));
      if (typeof type !== 'string' || !type)
        return void reply(400, graphError(100, '(#100) The parameter type is required.'));
      if (!MEDIA_TYPES.has(type) || (file.type && file.type !== type))
        return void reply(
          400,
          graphError(
            100,
            `(#100) Param file must be a file with one of the following types: ${[...MEDIA_TYPES].join(', ')}`,
          ),
        );
      const id = digits(16);
      media.set(id, { bytes, mimeType: type, filename: file.name, uploadedAt: Date.now() });
      if (entry) entry.mediaId = id;
      reply(200, JSON.stringify({ id }));
    });
  }

  // Meta's template management: submissions are validated roughly as Meta does (name, category,
  // a BODY, a sample per placeholder, a media header's sample handle) and start PENDING.
  function messageTemplates(
    req: IncomingMessage,
    res: ServerResponse,
    raw: Buffer,
    entry: FakeWhatsAppRequest | undefined,
  ) {
    const reply = (status: number, body: string) => {
      if (entry) entry.status = status;
      send(res, status, body);
    };
    const invalid = (userMessage: string) =>
      reply(
        400,
        JSON.stringify({
          error: {
            message: 'Invalid parameter',
            type: 'OAuthException',
            code: 100,
            error_subcode: 2388040,
            error_user_msg: userMessage,
            fbtrace_id: fbtrace(),
          },
        }),
      );
    if (req.method === 'GET') {
      const query = new URL(req.url ?? '/', 'http://fake').searchParams;
      const limit = Math.min(Math.max(Number(query.get('limit') ?? 25) || 25, 1), 1000);
      const start = query.get('after') ? Number(Buffer.from(query.get('after')!, 'base64url').toString()) : 0;
      const all = [...metaTemplates.values()];
      const page = all.slice(start, start + limit);
      const end = start + page.length;
      const cursor = (i: number) => Buffer.from(String(i)).toString('base64url');
      const answer = (body: string) =>
        state.listDelayMs > 0 ? void setTimeout(() => reply(200, body), state.listDelayMs) : reply(200, body);
      return answer(
        JSON.stringify({
          data: page.map((t) => ({
            id: t.id,
            name: t.name,
            language: t.language,
            status: t.status,
            category: t.category,
            components: t.components,
            rejected_reason: t.rejectedReason,
            quality_score: { score: t.quality, date: nowS() },
          })),
          paging: {
            cursors: { before: cursor(start), after: cursor(end) },
            ...(end < all.length ? { next: `http://fake/next?after=${cursor(end)}` } : {}),
          },
        }),
      );
    }
    if (req.method !== 'POST')
      return reply(400, graphError(100, 'Unsupported request.', undefined, 'GraphMethodException'));
    if (entry) {
      try {
        entry.json = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        entry.json = undefined;
      }
    }
    const b = entry?.json ?? (JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>);
    if (typeof b.name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(b.name)) return invalid('name: lower case, digits, _');
    if (typeof b.language !== 'string') return invalid('language is required');
    if (!['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(String(b.category))) return invalid('category is invalid');
    const components = Array.isArray(b.components) ? (b.components as Array<Record<string, unknown>>) : [];
    const body = components.find((c) => c.type === 'BODY');
    if (!body || typeof body.text !== 'string') return invalid('a BODY component with text is required');
    const placeholders = new Set(body.text.match(/\{\{\d+\}\}/g) ?? []).size;
    const samples = ((body.example as { body_text?: unknown[][] } | undefined)?.body_text?.[0] ?? []) as unknown[];
    if (samples.length !== placeholders)
      return invalid(`body: ${placeholders} variable(s) need as many sample values, got ${samples.length}`);
    const header = components.find((c) => c.type === 'HEADER');
    if (header && ['IMAGE', 'VIDEO', 'DOCUMENT'].includes(String(header.format))) {
      const handle = (header.example as { header_handle?: unknown[] } | undefined)?.header_handle?.[0];
      if (typeof handle !== 'string' || !handle) return invalid('a media header needs example.header_handle');
    }
    const taken = [...metaTemplates.values()].some((t) => t.name === b.name && t.language === b.language);
    if (taken) return invalid(`Content in this language already exists: ${b.name} (${b.language})`);
    const t: FakeMetaTemplate = {
      // Meta's template ids are 15-16 digits, below 2^53 (its webhooks send them as JSON numbers).
      id: `1${digits(15)}`,
      name: b.name,
      language: b.language,
      category: String(b.category),
      status: 'PENDING',
      rejectedReason: 'NONE',
      quality: 'UNKNOWN',
      components,
    };
    metaTemplates.set(t.id, t);
    reply(200, JSON.stringify({ id: t.id, status: t.status, category: t.category }));
  }

  /** Sendable through /messages exactly while APPROVED, with the shape it was submitted with. */
  function publish(t: FakeMetaTemplate): void {
    const current = templates.get(t.name);
    const others = (current?.languages ?? []).filter((l) => l !== t.language);
    const languages = t.status === 'APPROVED' ? [...others, t.language] : others;
    const body = t.components.find((c) => c.type === 'BODY');
    const header = t.components.find((c) => c.type === 'HEADER');
    const format = String(header?.format ?? '').toLowerCase();
    templates.set(t.name, {
      name: t.name,
      languages,
      bodyParams: new Set(String(body?.text ?? '').match(/\{\{\d+\}\}/g) ?? []).size,
      ...(format === 'image' || format === 'video' || format === 'document' ? { header: format } : {}),
    });
  }

  function control(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const path = req.url!.split('?')[0];
    if (path === '/__fake/requests' && req.method === 'GET') return void send(res, 200, JSON.stringify(requests));
    if (path === '/__fake/script' && req.method === 'POST') {
      script(JSON.parse(raw.toString('utf8')) as FakeWhatsAppRule);
      return void send(res, 204, '');
    }
    if (path === '/__fake/reset' && req.method === 'POST') {
      reset();
      return void send(res, 204, '');
    }
    send(res, 404, JSON.stringify({ error: 'unknown control route' }));
  }

  const reset = () => {
    requests.length = 0;
    rules.clear();
    media.clear();
    sent.clear();
  };

  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const receivedAt = performance.timeOrigin + performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = req.url ?? '/';
      if (url.startsWith('/__fake/')) return control(req, res, raw);
      const path = url.split('?')[0]!;
      const contentType = req.headers['content-type'];
      const entry: FakeWhatsAppRequest | undefined = record
        ? {
            receivedAt,
            method: req.method ?? 'GET',
            path,
            authorization: req.headers.authorization,
            contentType,
            json: undefined,
            form: undefined,
            to: undefined,
            status: undefined,
            wamid: undefined,
            mediaId: undefined,
          }
        : undefined;
      if (entry) requests.push(entry);
      const fail = (status: number, body: string, headers?: Record<string, string>) => {
        if (entry) entry.status = status;
        send(res, status, body, headers);
      };
      // The resumable upload's second step authenticates with "OAuth <token>" instead.
      const session = /^\/(v\d+\.\d+)\/(upload:[^/]+)$/.exec(path);
      if (session && req.method === 'POST') {
        if (req.headers.authorization !== `OAuth ${accessToken}`)
          return fail(401, graphError(190, 'Invalid OAuth access token - Cannot parse access token'));
        const open = sessions.get(session[2]!);
        if (!open) return fail(400, graphError(100, 'Invalid upload session'));
        if (req.headers.file_offset !== '0') return fail(400, graphError(100, 'file_offset must be 0'));
        if (raw.length !== open.fileLength)
          return fail(400, graphError(100, `expected ${open.fileLength} bytes, got ${raw.length}`));
        const h = `4::${Buffer.from(open.fileType).toString('base64url')}:${hex(24)}`;
        samples.set(h, { bytes: raw, fileType: open.fileType, fileName: open.fileName });
        sessions.delete(session[2]!);
        if (entry) entry.status = 200;
        return send(res, 200, JSON.stringify({ h }));
      }
      // Graph checks the token before anything else.
      if (req.headers.authorization !== `Bearer ${accessToken}`)
        return fail(401, graphError(190, 'Invalid OAuth access token - Cannot parse access token'), {
          'www-authenticate': 'OAuth "Facebook Platform" "invalid_token"',
        });
      const uploads = /^\/(v\d+\.\d+)\/([^/]+)\/uploads$/.exec(path);
      if (uploads && req.method === 'POST') {
        if (uploads[2] !== appId) return fail(400, graphError(100, `Unsupported post request: no app ${uploads[2]}`));
        const q = new URL(url, 'http://fake').searchParams;
        const fileLength = Number(q.get('file_length'));
        const fileType = q.get('file_type') ?? '';
        if (!Number.isInteger(fileLength) || fileLength <= 0 || !MEDIA_TYPES.has(fileType))
          return fail(400, graphError(100, '(#100) file_length and a supported file_type are required'));
        const id = `upload:${randomBytes(12).toString('base64url')}`;
        sessions.set(id, { fileLength, fileType, fileName: q.get('file_name') ?? '' });
        if (entry) entry.status = 200;
        return send(res, 200, JSON.stringify({ id }));
      }
      const managed = /^\/(v\d+\.\d+)\/([^/]+)\/message_templates$/.exec(path);
      if (managed && managed[1] === apiVersion) {
        if (managed[2] !== wabaId)
          return fail(
            400,
            graphError(
              100,
              `Unsupported request. Object with ID '${managed[2]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
              undefined,
              'GraphMethodException',
            ),
          );
        return messageTemplates(req, res, raw, entry);
      }
      const m = /^\/(v\d+\.\d+)\/([^/]+)\/(messages|media)$/.exec(path);
      if (!m || m[1] !== apiVersion)
        return fail(400, graphError(2500, `Unknown path components: ${path}`, undefined, 'OAuthException'));
      if (m[2] !== phoneNumberId)
        return fail(
          400,
          graphError(
            100,
            `Unsupported post request. Object with ID '${m[2]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
            undefined,
            'GraphMethodException',
          ),
        );
      if (req.method !== 'POST')
        return fail(400, graphError(100, 'Unsupported get request.', undefined, 'GraphMethodException'));
      if (m[3] === 'messages') return messages(res, raw, entry, contentType);
      void upload(res, raw, entry, contentType);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1', backlog: 4096 }, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  const sign = (body: string | Buffer, secret = appSecret) =>
    `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const notification = (
    value: Record<string, unknown>,
    opts: { secret?: string; phoneNumberId?: string } = {},
  ): SignedNotification => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: displayPhoneNumber,
                  phone_number_id: opts.phoneNumberId ?? phoneNumberId,
                },
                ...value,
              },
            },
          ],
        },
      ],
    });
    return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, opts.secret) } };
  };
  function nowS() {
    return Math.floor(Date.now() / 1000);
  }
  const templateNotification = (
    field: 'message_template_status_update' | 'message_template_quality_update',
    value: Record<string, unknown>,
    o: { secret?: string } = {},
  ): SignedNotification => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: wabaId, time: nowS(), changes: [{ field, value }] }],
    });
    return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, o.secret) } };
  };
  const state = { webhookUrl: undefined as string | undefined, listDelayMs: 0 };
  const post = async (n: SignedNotification): Promise<number> => {
    const res = await fetch(state.webhookUrl!, { method: 'POST', headers: n.headers, body: n.body });
    await res.arrayBuffer();
    return res.status;
  };
  const review = async (name: string, language: string, change: TemplateReview): Promise<number[]> => {
    const t = [...metaTemplates.values()].find((x) => x.name === name && x.language === language);
    if (!t) throw new Error(`the fake's Meta has no template ${name} (${language})`);
    const notifications: SignedNotification[] = [];
    const base = {
      message_template_id: Number(t.id),
      message_template_name: t.name,
      message_template_language: t.language,
    };
    if (change.status !== undefined) {
      t.status = change.status;
      t.rejectedReason = change.reason ?? 'NONE';
      notifications.push(
        templateNotification('message_template_status_update', {
          event: t.status,
          ...base,
          reason: t.rejectedReason,
          message_template_category: t.category,
        }),
      );
    }
    if (change.quality !== undefined) {
      const previous = t.quality;
      t.quality = change.quality;
      notifications.push(
        templateNotification('message_template_quality_update', {
          previous_quality_score: previous,
          new_quality_score: t.quality,
          ...base,
        }),
      );
    }
    publish(t);
    if (!state.webhookUrl || change.silent) return [];
    const statuses: number[] = [];
    for (const n of notifications) statuses.push(await post(n));
    return statuses;
  };

  return {
    url: `http://${host}:${port}`,
    accessToken,
    phoneNumberId,
    appSecret,
    apiVersion,
    wabaId,
    appId,
    samples,
    displayPhoneNumber,
    requests,
    media,
    metaTemplates,
    get listDelayMs() {
      return state.listDelayMs;
    },
    set listDelayMs(ms: number) {
      state.listDelayMs = ms;
    },
    get webhookUrl() {
      return state.webhookUrl;
    },
    set webhookUrl(url: string | undefined) {
      state.webhookUrl = url;
    },
    review,
    templateNotification,
    template,
    script,
    reset,
    connections: () => connections,
    sign,
    statusNotification: (statuses, o) =>
      notification(
        {
          statuses: (Array.isArray(statuses) ? statuses : [statuses]).map((s) => {
            const known = sent.get(s.wamid);
            const bizOpaque = s.bizOpaqueCallbackData ?? known?.bizOpaque;
            return {
              id: s.wamid,
              status: s.status,
              timestamp: String(s.timestamp ?? nowS()),
              recipient_id: s.recipientId ?? known?.to ?? '15550000000',
              ...(bizOpaque ? { biz_opaque_callback_data: bizOpaque } : {}),
              ...(s.status === 'sent' || s.status === 'delivered'
                ? {
                    conversation: { id: hex(16), origin: { type: 'utility' } },
                    pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' },
                  }
                : {}),
              ...(s.errors
                ? {
                    errors: s.errors.map((e) => ({
                      code: e.code,
                      title: e.title,
                      message: e.message ?? e.title,
                      ...(e.details ? { error_data: { details: e.details } } : {}),
                      href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
                    })),
                  }
                : {}),
            };
          }),
        },
        o,
      ),
    inboundNotification: (msgs, o) => {
      const list = Array.isArray(msgs) ? msgs : [msgs];
      return notification(
        {
          contacts: list.map((m) => ({ profile: { name: 'Test User' }, wa_id: m.from.replace(/^\+/, '') })),
          messages: list.map((m) => ({
            from: m.from.replace(/^\+/, ''),
            id: m.id ?? `wamid.${randomBytes(30).toString('base64url')}`,
            timestamp: String(m.timestamp ?? nowS()),
            ...(m.contextId ? { context: { from: displayPhoneNumber, id: m.contextId } } : {}),
            ...(m.button ? { type: 'button', button: m.button } : { type: 'text', text: { body: m.text ?? '' } }),
          })),
        },
        o,
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
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
  const fake = await startFakeWhatsApp({
    port: Number(arg('--port') ?? 0),
    host: arg('--host') ?? '127.0.0.1',
    ...(arg('--access-token') ? { accessToken: arg('--access-token')! } : {}),
    ...(arg('--phone-number-id') ? { phoneNumberId: arg('--phone-number-id')! } : {}),
    ...(arg('--app-secret') ? { appSecret: arg('--app-secret')! } : {}),
    templates: [{ name: 'hello_world' }, { name: 'bench_notice', bodyParams: 1 }],
    record: !process.argv.includes('--no-record'),
  });
  const { url, accessToken, phoneNumberId, appSecret, apiVersion } = fake;
  console.log(JSON.stringify({ url, accessToken, phoneNumberId, appSecret, apiVersion }));
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
