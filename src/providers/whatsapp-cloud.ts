import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Agent, FormData, request } from 'undici';
import { DESTINATION_NOT_ALLOWED, isDestinationNotAllowed, type OutboundGuard } from '../net/outbound.js';
import { followSignal } from '../net/follow-signal.js';
import { z } from 'zod';
import { isMediaLink, type MessageStatus } from '../vocabulary.js';
import type {
  InboundUserMessage,
  InboundWebhook,
  MediaUpload,
  MediaUploadResult,
  OutboundMessage,
  Provider,
  ProviderStatusEvent,
  ProviderWebhook,
  SendFailure,
  SendResult,
} from './provider.js';
import { firstValue, parseRetryAfter } from '../net/http-headers.js';
import { redactor } from './redact.js';
import { parseTemplateChange, TEMPLATE_WEBHOOK_FIELDS, type MetaTemplateReport } from './whatsapp-templates.js';
import { answerText } from '../net/answer-text.js';

// Meta's WhatsApp Business Cloud API (Graph API): template sends, media uploads, and the
// webhook (GET verification handshake, POST notifications signed with the app secret). One
// keep-alive connection pool per provider; every failure is classified for the dispatcher and
// worded for a user, never with the access token in it.

export type WhatsAppCloudConfig = {
  /** A system user (or temporary) access token with whatsapp_business_messaging. */
  accessToken: string;
  /** The business phone number's id (not the number itself): messages are sent from it. */
  phoneNumberId: string;
  /** The WhatsApp Business Account id: its templates are managed through it (whatsapp-templates.ts). */
  wabaId?: string;
  /** Signs webhook notifications (X-Hub-Signature-256); without it there is no webhook. */
  appSecret?: string;
  /** The token Meta sends in the GET verification handshake; without it the handshake is refused. */
  verifyToken?: string;
  /** Default https://graph.facebook.com. */
  baseUrl?: string;
  /** Graph API version, default DEFAULT_API_VERSION. */
  apiVersion?: string;
  /** Default 'whatsapp-cloud'. */
  name?: string;
  /** Set for tenant-configured instances: their base URL is tenant input, so connections are guarded. */
  outbound?: OutboundGuard;
  /** Default 80: see DEFAULT_MAX_PER_SECOND. */
  maxPerSecond?: number;
  /** Open connections to the API host at most (default 256); further requests wait for one. */
  connections?: number;
};

/** Graph API versions live about two years; this one is supported into 2027. */
export const DEFAULT_API_VERSION = 'v23.0';

/**
 * Cloud API throughput is 80 messages per second per business phone number by default (Meta
 * raises it to 1,000 for eligible numbers: set `maxPerSecond` or HERALD_RATE_LIMITS then).
 */
export const DEFAULT_MAX_PER_SECOND = 80;

/** Meta allows one message every ~6 s to the same user (error 131056); wait that long before retrying. */
export const PAIR_RATE_LIMIT_RETRY_MS = 6_000;

/** What Meta accepts as uploaded media, by MIME type, and how large (Cloud API media limits). */
export const WHATSAPP_MEDIA_LIMITS: Readonly<
  Record<string, { kind: 'image' | 'video' | 'audio' | 'document' | 'sticker'; maxBytes: number }>
> = {
  'image/jpeg': { kind: 'image', maxBytes: 5 * 1024 * 1024 },
  'image/png': { kind: 'image', maxBytes: 5 * 1024 * 1024 },
  'video/mp4': { kind: 'video', maxBytes: 16 * 1024 * 1024 },
  'video/3gpp': { kind: 'video', maxBytes: 16 * 1024 * 1024 },
  'audio/aac': { kind: 'audio', maxBytes: 16 * 1024 * 1024 },
  'audio/amr': { kind: 'audio', maxBytes: 16 * 1024 * 1024 },
  'audio/mpeg': { kind: 'audio', maxBytes: 16 * 1024 * 1024 },
  'audio/mp4': { kind: 'audio', maxBytes: 16 * 1024 * 1024 },
  'audio/ogg': { kind: 'audio', maxBytes: 16 * 1024 * 1024 },
  'text/plain': { kind: 'document', maxBytes: 100 * 1024 * 1024 },
  'application/pdf': { kind: 'document', maxBytes: 100 * 1024 * 1024 },
  'application/msword': { kind: 'document', maxBytes: 100 * 1024 * 1024 },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    kind: 'document',
    maxBytes: 100 * 1024 * 1024,
  },
  'application/vnd.ms-excel': { kind: 'document', maxBytes: 100 * 1024 * 1024 },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    kind: 'document',
    maxBytes: 100 * 1024 * 1024,
  },
  'application/vnd.ms-powerpoint': { kind: 'document', maxBytes: 100 * 1024 * 1024 },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    kind: 'document',
    maxBytes: 100 * 1024 * 1024,
  },
  // 100 KB static, 500 KB animated: the larger bound, Meta refuses a too-large static one itself.
  'image/webp': { kind: 'sticker', maxBytes: 500 * 1024 },
};

const WHATSAPP_STATUSES: Record<string, MessageStatus> = {
  sent: 'SENT',
  delivered: 'DELIVERED',
  read: 'READ',
  failed: 'FAILED',
};

/** Herald's status for a Cloud API status; undefined for ones Herald does not track (deleted, warning, ...). */
export function mapWhatsAppStatus(status: string): MessageStatus | undefined {
  return WHATSAPP_STATUSES[status.toLowerCase()];
}

type Classified = { retryable: boolean; text: string; retryAfterMs?: number };

/**
 * Graph API error codes (`error.code`) worth a sentence a user can act on; Meta's own details
 * follow it. Codes not listed are classified by HTTP status: 429 and 5xx retryable, else permanent.
 *
 * 131049 (per-user marketing limit) is permanent here: Meta withholds the message to protect the
 * user's experience and advises against retrying soon, and Herald's retries come within
 * minutes. An operator can `retryMessage` it a day or more later.
 */
const GRAPH_ERRORS: Record<number, Classified> = {
  // Retryable: capacity, rate limits and Meta-side trouble.
  2: { retryable: true, text: 'the WhatsApp API is temporarily unavailable, retrying later' },
  4: { retryable: true, text: 'the app reached its Graph API call rate limit, retrying later' },
  80007: { retryable: true, text: 'the WhatsApp Business Account reached its rate limit, retrying later' },
  130429: { retryable: true, text: "the phone number's WhatsApp throughput limit was reached, retrying later" },
  131000: { retryable: true, text: 'WhatsApp failed to send the message for an unknown reason, retrying later' },
  131016: { retryable: true, text: 'the WhatsApp service is temporarily unavailable, retrying later' },
  131056: {
    retryable: true,
    retryAfterMs: PAIR_RATE_LIMIT_RETRY_MS,
    text: 'too many messages to this recipient in a short time (WhatsApp pair rate limit), retrying later',
  },
  131057: { retryable: true, text: 'the WhatsApp Business Account is in maintenance mode, retrying later' },
  133004: { retryable: true, text: 'the WhatsApp server is temporarily unavailable, retrying later' },
  // Permanent: configuration (credentials, permissions, account).
  0: { retryable: false, text: 'the access token is invalid or expired' },
  190: { retryable: false, text: 'the access token is invalid or expired' },
  3: { retryable: false, text: 'the access token lacks a capability or permission this call needs' },
  10: {
    retryable: false,
    text: 'the access token lacks the permission to send WhatsApp messages (whatsapp_business_messaging)',
  },
  368: { retryable: false, text: 'the WhatsApp Business Account is temporarily blocked for policy violations' },
  131031: { retryable: false, text: 'the WhatsApp Business Account is locked' },
  131042: { retryable: false, text: 'the WhatsApp Business Account has a payment problem' },
  133010: { retryable: false, text: 'the business phone number is not registered with the Cloud API' },
  // Permanent: this message.
  100: { retryable: false, text: 'WhatsApp refused a parameter of the request' },
  131008: { retryable: false, text: 'a required parameter is missing' },
  131009: { retryable: false, text: 'a parameter value is not valid' },
  131021: { retryable: false, text: 'the recipient is the sending number itself' },
  131026: {
    retryable: false,
    text: 'the message is undeliverable: the number may not be on WhatsApp, or cannot receive this message',
  },
  131047: {
    retryable: false,
    text: 'more than 24 hours have passed since the recipient last replied (outside the customer service window)',
  },
  131048: {
    retryable: false,
    text: 'the phone number is restricted for too many messages blocked or reported as spam',
  },
  131049: {
    retryable: false,
    text: "WhatsApp withheld this marketing message (the recipient's marketing message limit); retry it a day or more later, not sooner",
  },
  131050: {
    retryable: false,
    text: 'the recipient chose to stop receiving marketing messages from this business on WhatsApp (Herald suppresses them)',
  },
  131051: { retryable: false, text: 'WhatsApp does not support this message type' },
  131052: { retryable: false, text: 'WhatsApp could not download the media' },
  131053: { retryable: false, text: 'WhatsApp could not process the media' },
  132000: { retryable: false, text: 'the number of parameters does not match the template' },
  132001: { retryable: false, text: 'the template does not exist in this language, or is not approved' },
  132005: { retryable: false, text: 'the template text is too long once the parameters are filled in' },
  132007: { retryable: false, text: "the template's content violates a WhatsApp policy" },
  132012: { retryable: false, text: 'a parameter does not have the format the template expects' },
  132015: { retryable: false, text: 'the template is paused (low quality)' },
  132016: { retryable: false, text: 'the template is disabled' },
};

/** Meta's answer when a user stopped the business's marketing messages: an opt-out, not a delivery problem. */
const MARKETING_OPT_OUT = '131050';

/** The classification of Graph API error `code` (`status`: the HTTP status it came with). */
export function classifyWhatsAppError(code: number | undefined, status: number): Classified {
  if (code !== undefined) {
    const known = GRAPH_ERRORS[code] ?? (code >= 200 && code <= 299 ? GRAPH_ERRORS[10] : undefined);
    if (known) return known;
  }
  if (status === 429) return { retryable: true, text: 'WhatsApp rate limit reached, retrying later' };
  if (status >= 500) return { retryable: true, text: `WhatsApp is unavailable (HTTP ${status})` };
  if (status === 401) return GRAPH_ERRORS[190]!;
  if (status === 403) return GRAPH_ERRORS[10]!;
  return {
    retryable: false,
    text: `WhatsApp refused the message (${code !== undefined ? `error ${code}` : `HTTP ${status}`})`,
  };
}

type GraphError = {
  message?: unknown;
  type?: unknown;
  code?: unknown;
  error_subcode?: unknown;
  fbtrace_id?: unknown;
  error_data?: { details?: unknown } | unknown;
};

export type WhatsAppCloudProvider = Provider & {
  uploadMedia(media: MediaUpload, opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<MediaUploadResult>;
};

const E164 = /^\+?([1-9]\d{6,14})$/;

export function createWhatsAppCloudProvider(cfg: WhatsAppCloudConfig): WhatsAppCloudProvider {
  if (!cfg.accessToken || !cfg.phoneNumberId)
    throw new Error('whatsapp-cloud provider: accessToken and phoneNumberId are required');
  const name = cfg.name ?? 'whatsapp-cloud';
  const base = (cfg.baseUrl ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  const version = cfg.apiVersion ?? DEFAULT_API_VERSION;
  const phoneUrl = `${base}/${encodeURIComponent(version)}/${encodeURIComponent(cfg.phoneNumberId)}`;
  const authorization = `Bearer ${cfg.accessToken}`;
  const agentOptions = { connections: cfg.connections ?? 256, keepAliveTimeout: 30_000 };
  const agent = cfg.outbound ? cfg.outbound.agent(agentOptions) : new Agent(agentOptions);
  // Graph errors do not echo the token, but a proxy or a fake might.
  const scrub = redactor([cfg.accessToken, cfg.appSecret, cfg.verifyToken]).text;
  const fail = (code: string, message: string, retryable: boolean, extra: Partial<SendFailure> = {}): SendFailure => ({
    ok: false,
    code,
    message: scrub(message),
    retryable,
    ...extra,
  });

  function templateBody(message: OutboundMessage): { payload: Record<string, unknown> } | SendFailure {
    const to = E164.exec(message.recipient)?.[1];
    if (!to)
      return fail(
        'INVALID_RECIPIENT',
        `the recipient ${message.recipient.slice(0, 40)} is not an international phone number`,
        false,
      );
    if (!message.templateName)
      return fail(
        'INVALID_MESSAGE',
        'WhatsApp messages need a template name (Cloud API business-initiated messages are templates)',
        false,
      );
    const components: Record<string, unknown>[] = [];
    const mediaType = message.mediaType ?? 'NONE';
    if (mediaType !== 'NONE') {
      const kind = mediaType.toLowerCase();
      if (!['image', 'video', 'document'].includes(kind))
        return fail('INVALID_MESSAGE', `media type ${mediaType} cannot be a template header`, false);
      if (!message.mediaId) return fail('INVALID_MESSAGE', `a ${kind} header needs a media id or link`, false);
      const media = isMediaLink(message.mediaId) ? { link: message.mediaId } : { id: message.mediaId };
      components.push({ type: 'header', parameters: [{ type: kind, [kind]: media }] });
    }
    const params = message.templateParams ?? [];
    if (params.length > 0)
      components.push({ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) });
    const payload = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'template',
      template: {
        name: message.templateName,
        language: { code: message.templateLanguage ?? 'en' },
        ...(components.length > 0 ? { components } : {}),
      },
      // Echoed in every status webhook of this message: Herald's id, for correlation.
      biz_opaque_callback_data: message.id,
    };
    return { payload };
  }

  /** One Graph call with a deadline that also follows the caller's signal; never rejects. */
  async function call(
    what: string,
    url: string,
    init: { body: string | FormData; contentType?: string },
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; retryAfter: string | undefined; text: string } | SendFailure> {
    if (signal?.aborted) return fail('ABORTED', `the ${what} was aborted before it started`, true);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const unfollow = signal ? followSignal(signal, controller) : () => {};
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: agent,
        signal: controller.signal,
        headers: {
          authorization,
          accept: 'application/json',
          ...(init.contentType ? { 'content-type': init.contentType } : {}),
        },
        body: init.body,
      });
      return {
        status: res.statusCode,
        retryAfter: firstValue(res.headers['retry-after']),
        text: await answerText(res.body),
      };
    } catch (err) {
      // The caller's signal may carry its own deadline (AbortSignal.timeout): that is a timeout too.
      if (timedOut || (signal?.reason as { name?: string } | undefined)?.name === 'TimeoutError')
        return fail('TIMEOUT', `WhatsApp did not answer within ${timeoutMs} ms`, true);
      if (signal?.aborted) return fail('ABORTED', `the ${what} was aborted before WhatsApp answered`, true);
      // The same answer whatever is behind a refused destination: no port scanning through sends.
      if (isDestinationNotAllowed(err)) return fail('DESTINATION_NOT_ALLOWED', DESTINATION_NOT_ALLOWED, false);
      const e = err as { code?: string; message?: string };
      return fail(
        'NETWORK',
        `network error reaching WhatsApp: ${e.message ?? String(err)}${e.code ? ` (${e.code})` : ''}`,
        true,
      );
    } finally {
      clearTimeout(timer);
      unfollow();
    }
  }

  /** A non-2xx answer (or a 2xx without what it should carry) as a classified failure. */
  function failure(status: number, retryAfter: string | undefined, body: unknown, text: string): SendFailure {
    const error = (body as { error?: GraphError } | undefined)?.error;
    const graphCode =
      typeof error?.code === 'number'
        ? error.code
        : typeof error?.code === 'string' && /^\d+$/.test(error.code)
          ? Number(error.code)
          : undefined;
    const details = (error?.error_data as { details?: unknown } | undefined)?.details;
    const detail =
      typeof details === 'string' && details
        ? details
        : typeof error?.message === 'string' && error.message
          ? error.message
          : `HTTP ${status}`;
    const raw = { status, body: body ?? scrub(text.slice(0, 1000)) };
    const c = classifyWhatsAppError(graphCode, status);
    const retryAfterMs = parseRetryAfter(retryAfter) ?? c.retryAfterMs;
    return fail(graphCode !== undefined ? String(graphCode) : `HTTP_${status}`, `${c.text}: ${detail}`, c.retryable, {
      raw,
      ...(c.retryable && retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(String(graphCode) === MARKETING_OPT_OUT ? { optedOut: true } : {}),
    });
  }

  const parseJson = (text: string): unknown => {
    try {
      return JSON.parse(scrub(text));
    } catch {
      return undefined;
    }
  };

  async function send(message: OutboundMessage, opts: { timeoutMs: number; signal: AbortSignal }): Promise<SendResult> {
    if (message.channel !== 'WHATSAPP')
      return fail('UNSUPPORTED_CHANNEL', `provider ${name} sends WhatsApp only, not ${message.channel}`, false);
    if (message.validUntil && message.validUntil.getTime() <= Date.now())
      return fail('EXPIRED', 'the message expired (valid until) before it could be sent', false);
    const built = templateBody(message);
    if (!('payload' in built)) return built;

    const res = await call(
      'send',
      `${phoneUrl}/messages`,
      { body: JSON.stringify(built.payload), contentType: 'application/json' },
      opts.timeoutMs,
      opts.signal,
    );
    if ('ok' in res) return res;
    const body = parseJson(res.text);
    if (res.status >= 200 && res.status < 300) {
      const id = (body as { messages?: Array<{ id?: unknown }> } | undefined)?.messages?.[0]?.id;
      if (typeof id === 'string' && id) return { ok: true, providerMessageId: id, raw: body };
      // Most likely not Meta answering (a proxy or captive portal): nothing was sent.
      return fail(
        `HTTP_${res.status}`,
        `unexpected answer from WhatsApp (HTTP ${res.status} without a message id)`,
        true,
        {
          raw: { status: res.status, body: body ?? scrub(res.text.slice(0, 1000)) },
        },
      );
    }
    return failure(res.status, res.retryAfter, body, res.text);
  }

  async function uploadMedia(
    media: MediaUpload,
    opts: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<MediaUploadResult> {
    const mimeType = media.mimeType.split(';')[0]!.trim().toLowerCase();
    const limit = WHATSAPP_MEDIA_LIMITS[mimeType];
    if (!limit) {
      return fail(
        'MEDIA_TYPE_UNSUPPORTED',
        `WhatsApp does not accept ${mimeType || 'files without a type'}; use one of ${Object.keys(WHATSAPP_MEDIA_LIMITS).join(', ')}`,
        false,
      );
    }
    if (media.bytes.byteLength === 0) return fail('MEDIA_EMPTY', 'the file is empty', false);
    if (media.bytes.byteLength > limit.maxBytes) {
      return fail(
        'MEDIA_TOO_LARGE',
        `WhatsApp accepts ${limit.kind} files (${mimeType}) up to ${formatBytes(limit.maxBytes)}; this one is ${formatBytes(media.bytes.byteLength)}`,
        false,
      );
    }
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', mimeType);
    form.set('file', new Blob([media.bytes as Uint8Array<ArrayBuffer>], { type: mimeType }), media.filename);
    // undici sets the multipart content type with its boundary.
    const res = await call('upload', `${phoneUrl}/media`, { body: form }, opts.timeoutMs ?? 60_000, opts.signal);
    if ('ok' in res) return res;
    const body = parseJson(res.text);
    if (res.status >= 200 && res.status < 300) {
      const id = (body as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string' && id) return { ok: true, id, raw: body };
      return fail(
        `HTTP_${res.status}`,
        `unexpected answer from WhatsApp (HTTP ${res.status} without a media id)`,
        true,
        {
          raw: { status: res.status, body: body ?? scrub(res.text.slice(0, 1000)) },
        },
      );
    }
    return failure(res.status, res.retryAfter, body, res.text);
  }

  return {
    name,
    capabilities: {
      channels: ['WHATSAPP'],
      media: ['IMAGE', 'VIDEO', 'DOCUMENT'],
      maxPerSecond: cfg.maxPerSecond ?? DEFAULT_MAX_PER_SECOND,
    },
    send,
    uploadMedia,
    stop: () => agent.close(),
    ...(cfg.appSecret
      ? {
          webhook: whatsAppWebhook({
            name,
            appSecret: cfg.appSecret,
            verifyToken: cfg.verifyToken,
            phoneNumberId: cfg.phoneNumberId,
            wabaId: cfg.wabaId,
          }),
        }
      : {}),
  };
}

const formatBytes = (n: number) =>
  n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : `${+(n / 1024).toFixed(1)} KB`;

// --- webhook ---------------------------------------------------------------------------------
//
//   GET  /webhooks/whatsapp-cloud?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C
//        -> 200 C when T is the verify token, else 403 (Meta's subscription handshake)
//   POST /webhooks/whatsapp-cloud  X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>
//        {object:"whatsapp_business_account", entry:[{changes:[{field:"messages", value:{
//          metadata:{phone_number_id}, statuses:[...], messages:[...]}}]}]}
//
// Signatures carry no timestamp, so a captured request can be replayed: harmless, as every report
// has a dedupe key and a repeat is recorded once. Notifications for other phone numbers of the
// same Business Account (one app, one callback URL) are acknowledged and ignored, so they do not
// pile up as reports for ids Herald will never store.

const unixSeconds = z.union([z.number().nonnegative(), z.string().regex(/^\d{1,12}(\.\d+)?$/, 'must be unix seconds')]);

const StatusSchema = z.looseObject({
  id: z.string().min(1).max(512),
  status: z.string().min(1).max(64),
  timestamp: unixSeconds.optional(),
  recipient_id: z.string().optional(),
  biz_opaque_callback_data: z.string().optional(),
  errors: z
    .array(
      z.looseObject({
        code: z.union([z.number(), z.string()]).optional(),
        title: z.string().optional(),
        message: z.string().optional(),
        error_data: z.looseObject({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

const Reply = z.looseObject({ id: z.string().optional(), title: z.string().optional() });

const InboundSchema = z.looseObject({
  id: z.string().min(1).max(512),
  from: z.string().min(1).max(32),
  timestamp: unixSeconds.optional(),
  type: z.string().min(1).max(64),
  text: z.looseObject({ body: z.string() }).optional(),
  button: z.looseObject({ text: z.string().optional(), payload: z.string().optional() }).optional(),
  interactive: z.looseObject({ button_reply: Reply.optional(), list_reply: Reply.optional() }).optional(),
  context: z.looseObject({ id: z.string().optional() }).optional(),
});

const MessagesValue = z.looseObject({
  metadata: z
    .looseObject({ phone_number_id: z.string().optional(), display_phone_number: z.string().optional() })
    .optional(),
  statuses: z.array(StatusSchema).optional(),
  messages: z.array(InboundSchema).optional(),
});

/** A user stopped or resumed the business's marketing messages in WhatsApp itself (field user_preferences). */
const PreferencesValue = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().optional() }).optional(),
  user_preferences: z
    .array(
      z.looseObject({
        wa_id: z.string().min(1).max(32),
        category: z.string().max(64),
        value: z.string().max(64),
        detail: z.string().optional(),
        timestamp: unixSeconds.optional(),
      }),
    )
    .optional(),
});

function preferenceChanges(
  name: string,
  preferences: NonNullable<z.infer<typeof PreferencesValue>['user_preferences']>,
  phoneNumberId: string | undefined,
  receivedAt: Date,
): InboundUserMessage[] {
  return preferences.flatMap((p) => {
    const from = E164.exec(p.wa_id)?.[1];
    const value = p.value.toLowerCase();
    if (!from || p.category !== 'marketing_messages' || (value !== 'stop' && value !== 'resume')) return [];
    const at = occurredAt(p.timestamp, receivedAt);
    return [
      {
        provider: name,
        channel: 'WHATSAPP',
        // Preferences have no id of their own: the person, the change and its time name it.
        providerMessageId: `${from}:${value}:${p.timestamp ?? at.getTime()}`,
        from: `+${from}`,
        to: phoneNumberId,
        occurredAt: at,
        kind: 'user_preferences',
        text: undefined,
        payload: `marketing_messages:${value}`,
        inReplyTo: undefined,
        marketingOptOut: value === 'stop' ? 'stop' : 'resume',
        dedupeKey: `${name}:preference:${from}:${value}:${p.timestamp ?? at.getTime()}`,
      },
    ];
  });
}

const Notification = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      id: z.union([z.string(), z.number()]).transform(String).optional(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })).optional(),
    }),
  ),
});

/** Compares secrets in constant time, whatever their lengths. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const issue = (error: z.ZodError, prefix: string) => {
  const first = error.issues[0]!;
  return `${[prefix, ...first.path.map(String)].filter(Boolean).join('.') || 'body'}: ${first.message}`;
};

/**
 * When a report happened. Meta's timestamps are whole seconds, while Herald's own events carry
 * milliseconds: taken as is, a "delivered" in the same second as the send would sort before
 * Herald's SENT. So a report is placed at the latest moment of its second that is not after
 * Herald received it (exactly its second when Meta's clock runs ahead of Herald's).
 */
function occurredAt(value: number | string | undefined, receivedAt: Date): Date {
  if (value === undefined) return receivedAt;
  const start = Math.floor(Number(value)) * 1000;
  const received = receivedAt.getTime();
  return new Date(received < start ? start : Math.min(start + 999, received));
}

export function whatsAppWebhook(opts: {
  name: string;
  appSecret: string;
  verifyToken: string | undefined;
  phoneNumberId: string | undefined;
  /** Template changes of other WhatsApp Business Accounts (entry.id) are not this provider's. */
  wabaId?: string | undefined;
}): ProviderWebhook {
  const { name } = opts;
  return {
    verify(req: InboundWebhook) {
      const header = req.headers['x-hub-signature-256'];
      if (!header) return { ok: false, reason: 'missing X-Hub-Signature-256 header' };
      const hex = /^sha256=([0-9a-f]{64})$/i.exec(header.trim())?.[1];
      if (!hex) return { ok: false, reason: 'X-Hub-Signature-256 must be "sha256=<hex HMAC-SHA256 of the body>"' };
      const expected = createHmac('sha256', opts.appSecret).update(req.rawBody).digest();
      if (timingSafeEqual(Buffer.from(hex, 'hex'), expected)) return { ok: true };
      return {
        ok: false,
        reason:
          "X-Hub-Signature-256 does not match the body: wrong app secret (the Meta app's, not the access token), or the body was changed",
      };
    },

    handshake(req: InboundWebhook) {
      if (!opts.verifyToken) return null;
      let query: URLSearchParams;
      try {
        query = new URL(req.publicUrl).searchParams;
      } catch {
        return null;
      }
      const challenge = query.get('hub.challenge');
      if (query.get('hub.mode') !== 'subscribe' || !challenge || challenge.length > 1024) return null;
      if (!sameSecret(query.get('hub.verify_token') ?? '', opts.verifyToken)) return null;
      return { status: 200, contentType: 'text/plain; charset=utf-8', body: challenge };
    },

    parse(req: InboundWebhook) {
      let json: unknown;
      try {
        json = JSON.parse(req.rawBody.toString('utf8'));
      } catch {
        return { ok: false, reason: 'the body is not JSON' };
      }
      const parsed = Notification.safeParse(json);
      if (!parsed.success) return { ok: false, reason: issue(parsed.error, '') };
      // Other objects (pages, Instagram) if the app is subscribed to them: not ours to read.
      if (parsed.data.object !== 'whatsapp_business_account') return { ok: true, events: [] };

      const events: ProviderStatusEvent[] = [];
      const inbound: InboundUserMessage[] = [];
      const templates: MetaTemplateReport[] = [];
      for (const [e, entry] of parsed.data.entry.entries()) {
        for (const [c, change] of (entry.changes ?? []).entries()) {
          if (TEMPLATE_WEBHOOK_FIELDS.has(change.field)) {
            if (opts.wabaId && entry.id && entry.id !== opts.wabaId) continue;
            const report = parseTemplateChange(change.field, change.value);
            if (typeof report === 'string')
              return { ok: false, reason: `entry.${e}.changes.${c}.value.${report}: invalid` };
            templates.push(report);
            continue;
          }
          if (change.field === 'user_preferences') {
            const value = PreferencesValue.safeParse(change.value);
            if (!value.success) return { ok: false, reason: issue(value.error, `entry.${e}.changes.${c}.value`) };
            const phoneNumberId = value.data.metadata?.phone_number_id;
            if (opts.phoneNumberId && phoneNumberId && phoneNumberId !== opts.phoneNumberId) continue;
            inbound.push(...preferenceChanges(name, value.data.user_preferences ?? [], phoneNumberId, req.receivedAt));
            continue;
          }
          // Account updates and the like arrive on other fields.
          if (change.field !== 'messages') continue;
          const value = MessagesValue.safeParse(change.value);
          if (!value.success) return { ok: false, reason: issue(value.error, `entry.${e}.changes.${c}.value`) };
          const phoneNumberId = value.data.metadata?.phone_number_id;
          if (opts.phoneNumberId && phoneNumberId && phoneNumberId !== opts.phoneNumberId) continue;

          for (const s of value.data.statuses ?? []) {
            const status = mapWhatsAppStatus(s.status);
            if (!status) continue;
            const error = s.errors?.[0];
            const code = error?.code !== undefined ? String(error.code) : undefined;
            const details = error?.error_data?.details;
            const title = error?.title ?? error?.message;
            const errorMessage =
              title && details && details !== title
                ? `${title}: ${details}`
                : (title ?? details ?? (code ? `WhatsApp error ${code}` : undefined));
            events.push({
              provider: name,
              providerMessageId: s.id,
              status,
              occurredAt: occurredAt(s.timestamp, req.receivedAt),
              errorCode: code,
              errorMessage,
              optedOut: code === MARKETING_OPT_OUT ? true : undefined,
              // Meta redelivers for days; one report per message and status.
              dedupeKey: `${name}:${s.id}:${s.status.toLowerCase()}`,
              raw: s,
            });
          }

          for (const m of value.data.messages ?? []) {
            const from = E164.exec(m.from)?.[1];
            if (!from) continue;
            const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
            inbound.push({
              provider: name,
              channel: 'WHATSAPP',
              providerMessageId: m.id,
              from: `+${from}`,
              to: phoneNumberId,
              occurredAt: occurredAt(m.timestamp, req.receivedAt),
              kind: m.type,
              text: m.text?.body ?? m.button?.text ?? reply?.title,
              payload: m.button?.payload ?? reply?.id,
              inReplyTo: m.context?.id,
              dedupeKey: `${name}:inbound:${m.id}`,
            });
          }
        }
      }
      return {
        ok: true,
        events,
        ...(inbound.length > 0 ? { inbound } : {}),
        ...(templates.length > 0 ? { templates } : {}),
      };
    },
  };
}
