import { createHash, timingSafeEqual } from 'node:crypto';
import { Agent, request } from 'undici';
import { DESTINATION_NOT_ALLOWED, isDestinationNotAllowed, type OutboundGuard } from '../net/outbound.js';
import { DEFAULT_SERVICE_IDS, type Channel, type MessageStatus } from '../vocabulary.js';
import type {
  OutboundMessage,
  Provider,
  ProviderStatusEvent,
  ProviderWebhook,
  SendFailure,
  SendResult,
} from './provider.js';
import { parseRetryAfter } from '../net/http-headers.js';
import { redactor } from './redact.js';
import { answerText } from '../net/answer-text.js';

// SMSMedia's HTTP API as an upstream, for users who hold an SMSMedia account: WhatsApp
// templates, SMS and email through the three send endpoints of its integration guide, and the
// delivery reports it POSTs back (`/webhooks/smsmedia?token=...`).
//
// The guide documents GET requests with every parameter in the query string, the API key
// included, and says the same endpoints accept POST with JSON. Herald uses GET (the documented,
// proven path) unless the URL would pass ~2 KB (the guide's limit: long emails, long texts,
// many template parameters), then POSTs the same parameters as JSON with the key in the
// `apikey` header (as the guide's POST example does) and in the body. `method` forces either.
// The key travels in URLs, so every text leaving this file (messages, raw bodies) is scrubbed.
//
// The guide shows no response body. Herald reads JSON and takes the message id from the usual
// keys (messageId, message_id, id, at the top or under `data`); see `classify` for the rest.

export type SmsMediaConfig = {
  apiKey: string;
  /** Default https://smsmediaapi.patronservices.in. */
  baseUrl?: string;
  /** Default SMS sender id when the message has none. */
  senderId?: string;
  /** The account's service id per channel (the guide: WhatsApp 18, SMS 6, email 10). */
  serviceIds?: Partial<Record<Channel, number>>;
  /** Enables the delivery-report webhook: SMSMedia must call `/webhooks/<name>?token=<it>`. */
  webhookToken?: string;
  /** 'auto' (default): GET, or POST JSON when the GET URL would be too long. */
  method?: 'auto' | 'get' | 'post';
  /** Default 'smsmedia'. */
  name?: string;
  /** Set for tenant-configured instances: their base URL is tenant input, so connections are guarded. */
  outbound?: OutboundGuard;
  /** Default 10 sends per second per sender (the guide documents no limit). */
  maxPerSecond?: number;
  /** Open connections to the API host at most (default 64). */
  connections?: number;
};

export const DEFAULT_BASE_URL = 'https://smsmediaapi.patronservices.in';
export const DEFAULT_MAX_PER_SECOND = 10;
/** Longest GET URL sent before switching to POST (the guide: "~2KB (URL limit)"). */
export const MAX_GET_URL = 2000;

export const PATHS: Record<Channel, string> = {
  WHATSAPP: '/api/whatsapp-cloud-api/send-message-api',
  SMS: '/api/sms/send-sms-api',
  EMAIL: '/api/email/send-email-api',
};

const SMSMEDIA_STATUSES: Record<string, MessageStatus> = {
  submitted: 'SENT',
  accepted: 'SENT',
  queued: 'SENT',
  sent: 'SENT',
  delivered: 'DELIVERED',
  read: 'READ',
  failed: 'FAILED',
  rejected: 'FAILED',
  undelivered: 'UNDELIVERED',
  expired: 'UNDELIVERED',
};

/** Herald's status for an SMSMedia delivery-report status (any case); undefined when unknown. */
export function mapSmsMediaStatus(status: string): MessageStatus | undefined {
  return SMSMEDIA_STATUSES[status.trim().toLowerCase()];
}

const AUTH_FAILED = 'SMSMedia authentication failed: check SMSMEDIA_API_KEY';
const FAILURE_STATUSES = new Set(['error', 'failed', 'failure', 'fail']);

type Param = string | number | boolean;
type Call = { path: string; params: Array<[string, Param]> };
type Body = Record<string, unknown>;

export function createSmsMediaProvider(cfg: SmsMediaConfig): Provider {
  if (!cfg.apiKey) throw new Error('smsmedia provider: apiKey is required');
  const name = cfg.name ?? 'smsmedia';
  const base = (cfg.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const serviceIds = { ...DEFAULT_SERVICE_IDS, ...cfg.serviceIds };
  const method = cfg.method ?? 'auto';
  const agentOptions = { connections: cfg.connections ?? 64, keepAliveTimeout: 30_000 };
  const agent = cfg.outbound ? cfg.outbound.agent(agentOptions) : new Agent(agentOptions);

  // The key as it may appear anywhere: itself, and encoded in a URL either way.
  const forms = [
    ...new Set([
      cfg.apiKey,
      encodeURIComponent(cfg.apiKey),
      new URLSearchParams({ k: cfg.apiKey }).toString().slice(2),
    ]),
  ];
  const { text: scrub, json: scrubRaw } = redactor(forms);
  const fail = (code: string, message: string, retryable: boolean, extra: Partial<SendFailure> = {}): SendFailure => ({
    ok: false,
    code: scrub(code),
    message: scrub(message),
    retryable,
    ...extra,
    ...(extra.raw !== undefined ? { raw: scrubRaw(extra.raw) } : {}),
  });

  function mobile(message: OutboundMessage): string | SendFailure {
    // Herald stores E.164 (+918800001234); the guide wants the digits with the country code.
    const digits = message.recipient.replace(/^\+/, '');
    return /^\d{6,15}$/.test(digits)
      ? digits
      : fail('INVALID_RECIPIENT', `"${message.recipient}" is not a phone number SMSMedia accepts`, false);
  }

  /** The endpoint and its parameters in the guide's order, or a permanent failure. */
  function callFor(message: OutboundMessage): Call | SendFailure {
    const o = message.channelOptions;
    const apikey: [string, Param] = ['apikey', cfg.apiKey];
    switch (message.channel) {
      case 'WHATSAPP': {
        const to = mobile(message);
        if (typeof to !== 'string') return to;
        if (!message.templateName)
          return fail('NO_TEMPLATE', 'SMSMedia sends WhatsApp templates only: the message has no template name', false);
        const media = (message.mediaType ?? 'NONE').toLowerCase();
        const params: Array<[string, Param]> = [
          apikey,
          ['mobile', to],
          ['templatename', message.templateName],
          ['mediatype', media],
        ];
        if (media !== 'none') {
          if (!message.mediaId) return fail('NO_MEDIA', `mediatype ${media} needs a media id`, false);
          params.push(['mediaid', message.mediaId]);
        }
        params.push(['serviceid', serviceIds.WHATSAPP]);
        for (const [i, value] of (message.templateParams ?? []).entries()) params.push([`param${i + 1}`, value]);
        return { path: PATHS.WHATSAPP, params };
      }
      case 'SMS': {
        const to = mobile(message);
        if (typeof to !== 'string') return to;
        const sender = message.sender ?? cfg.senderId;
        if (!sender)
          return fail(
            'NO_SENDER',
            `no sender: the message has no sender id and provider ${name} has no SMSMEDIA_SENDER_ID`,
            false,
          );
        if (!message.body) return fail('NO_CONTENT', 'the SMS has no text', false);
        const params: Array<[string, Param]> = [
          apikey,
          ['senderid', sender],
          ['mobile', to],
          ['smstext', message.body],
          ['nonenglish', o.encoding === 'UCS2'],
          ['flash', o.flash === true],
          ['serviceid', serviceIds.SMS],
        ];
        // India's DLT registration: the principal entity and the registered template.
        if (typeof o.dltEntityId === 'string') params.push(['peid', o.dltEntityId]);
        if (typeof o.dltTemplateId === 'string') params.push(['templateid', o.dltTemplateId]);
        return { path: PATHS.SMS, params };
      }
      case 'EMAIL': {
        const list = (v: unknown) =>
          Array.isArray(v) ? v.filter((a): a is string => typeof a === 'string' && a.length > 0) : [];
        // The endpoint has one recipient list: cc would become visible recipients, bcc worse.
        if (list(o.cc).length > 0 || list(o.bcc).length > 0) {
          return fail(
            'UNSUPPORTED_OPTION',
            'the SMSMedia email API has no cc or bcc: send those recipients separately, or route EMAIL to smtp',
            false,
          );
        }
        if (message.attachments?.length) {
          return fail(
            'UNSUPPORTED_OPTION',
            'the SMSMedia email API cannot attach files: route EMAIL with attachments to smtp',
            false,
          );
        }
        const to = list(o.to);
        const body = typeof o.html === 'string' ? o.html : message.body;
        if (!body) return fail('NO_CONTENT', 'the email has neither text nor html', false);
        return {
          path: PATHS.EMAIL,
          params: [
            apikey,
            ['emailids', (to.length > 0 ? to : [message.recipient]).join(',')],
            ['emailbody', body],
            ['emailsubject', message.subject ?? ''],
            ['serviceid', serviceIds.EMAIL],
          ],
        };
      }
    }
  }

  async function send(message: OutboundMessage, opts: { timeoutMs: number; signal: AbortSignal }): Promise<SendResult> {
    if (message.validUntil && message.validUntil.getTime() <= Date.now()) {
      return fail('EXPIRED', 'the message expired (valid until) before it could be sent', false);
    }
    const call = callFor(message);
    if ('ok' in call) return call;
    const query = new URLSearchParams(call.params.map(([k, v]) => [k, String(v)])).toString();
    const getUrl = `${base}${call.path}?${query}`;
    const post = method === 'post' || (method === 'auto' && getUrl.length > MAX_GET_URL);

    if (opts.signal.aborted) return fail('ABORTED', 'the send was aborted before it started', true);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, opts.timeoutMs);
    const onAbort = () => controller.abort();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await request(post ? `${base}${call.path}` : getUrl, {
        method: post ? 'POST' : 'GET',
        dispatcher: agent,
        signal: controller.signal,
        headers: post
          ? { apikey: cfg.apiKey, 'content-type': 'application/json', accept: 'application/json' }
          : { accept: 'application/json' },
        ...(post ? { body: JSON.stringify(Object.fromEntries(call.params)) } : {}),
      });
      const text = await answerText(res.body);
      return classify(
        message,
        res.statusCode,
        res.headers['retry-after'],
        String(res.headers['content-type'] ?? ''),
        text,
      );
    } catch (err) {
      if (timedOut || (opts.signal.reason as { name?: string } | undefined)?.name === 'TimeoutError')
        return fail('TIMEOUT', `SMSMedia did not answer within ${opts.timeoutMs} ms`, true);
      if (opts.signal.aborted) return fail('ABORTED', 'the send was aborted before SMSMedia answered', true);
      // The same answer whatever is behind a refused destination: no port scanning through sends.
      if (isDestinationNotAllowed(err)) return fail('DESTINATION_NOT_ALLOWED', DESTINATION_NOT_ALLOWED, false);
      const e = err as { code?: string; message?: string };
      return fail(
        'NETWORK',
        `network error reaching SMSMedia: ${e.message ?? String(err)}${e.code ? ` (${e.code})` : ''}`,
        true,
      );
    } finally {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
    }
  }

  function classify(
    message: OutboundMessage,
    status: number,
    retryAfter: string | string[] | undefined,
    contentType: string,
    text: string,
  ): SendResult {
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
    const json = isObject(body) ? body : undefined;
    const raw = { status, body: body ?? text.slice(0, 1000) };
    const upstreamCode = json ? firstString(json, ['errorCode', 'error_code', 'code']) : undefined;
    const detail =
      (json && upstreamMessage(json)) ??
      (text.trim() && !/html/i.test(contentType) ? text.trim().slice(0, 200) : `HTTP ${status}`);

    if (status >= 200 && status < 300) {
      // A 200 that says it failed (gateways often answer errors with 200).
      const said = json ? firstString(json, ['status']) : undefined;
      if (json && (json.success === false || (said && FAILURE_STATUSES.has(said.toLowerCase())))) {
        return fail(upstreamCode ?? 'SMSMEDIA_ERROR', `SMSMedia refused the message: ${detail}`, false, { raw });
      }
      const id = json ? messageIdOf(json) : undefined;
      if (id) return { ok: true, providerMessageId: id, raw: scrubRaw(body) };
      // An HTML page is not SMSMedia answering (a proxy, a captive portal): nothing was sent.
      if (/html/i.test(contentType) || /^\s*</.test(text)) {
        return fail(
          `HTTP_${status}`,
          `unexpected answer from SMSMedia (HTTP ${status}, an HTML page): check SMSMEDIA_BASE_URL`,
          true,
          { raw },
        );
      }
      // A bare id: plain text, or a JSON string or number; one token with a digit in it (so that
      // a plain "Success" or "Submitted" is not taken for an id).
      const bare =
        typeof body === 'string' || typeof body === 'number'
          ? String(body).trim()
          : body === undefined
            ? text.trim()
            : '';
      if (/^(?=[^\s]*\d)[A-Za-z0-9][A-Za-z0-9._:-]{3,127}$/.test(bare))
        return { ok: true, providerMessageId: bare, raw: scrubRaw(raw) };
      // Accepted without an id (JSON without one, or a plain-text note): the message went out, so
      // failing or retrying it would be wrong. Herald records a synthetic id; delivery reports
      // for it cannot be matched, so it stays SENT.
      return { ok: true, providerMessageId: `herald-${message.id}`, raw: scrubRaw({ ...raw, syntheticId: true }) };
    }

    const code = upstreamCode ?? `HTTP_${status}`;
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(retryAfter);
      return fail(code, `SMSMedia rate limit reached, retrying later: ${detail}`, true, {
        raw,
        ...(retryAfterMs !== undefined && { retryAfterMs }),
      });
    }
    if (status >= 500 || status === 408)
      return fail(code, `SMSMedia is unavailable (HTTP ${status}): ${detail}`, true, { raw });
    if (status === 401 || status === 403)
      return fail(code, `${AUTH_FAILED} (HTTP ${status}: ${detail})`, false, { raw });
    if (status === 404)
      return fail(code, `SMSMedia has no such endpoint (HTTP 404): check SMSMEDIA_BASE_URL`, false, { raw });
    if (status === 414)
      return fail(
        code,
        'the request was too long for SMSMedia as a GET (HTTP 414): set SMSMEDIA_METHOD=post or auto',
        false,
        { raw },
      );
    return fail(code, `SMSMedia refused the message (HTTP ${status}): ${detail}`, false, { raw });
  }

  return {
    name,
    capabilities: {
      channels: ['WHATSAPP', 'SMS', 'EMAIL'],
      media: ['IMAGE', 'VIDEO', 'DOCUMENT'],
      maxPerSecond: cfg.maxPerSecond ?? DEFAULT_MAX_PER_SECOND,
    },
    send,
    stop: () => agent.close(),
    ...(cfg.webhookToken ? { webhook: smsMediaWebhook(name, cfg.webhookToken) } : {}),
  };
}

/**
 * Delivery reports: JSON POSTs with at least `messageId, status, errorCode` (one object, or an
 * array of them). The guide documents no signature, so the callback URL carries a shared
 * secret: `https://<herald>/webhooks/smsmedia?token=<SMSMEDIA_WEBHOOK_TOKEN>`.
 */
function smsMediaWebhook(name: string, token: string): ProviderWebhook {
  const expected = createHash('sha256').update(token).digest();
  return {
    verify(req) {
      let given: string | null;
      try {
        given = new URL(req.publicUrl).searchParams.get('token');
      } catch {
        given = null;
      }
      if (!given)
        return { ok: false, reason: 'missing token: SMSMedia must call this URL with ?token=<SMSMEDIA_WEBHOOK_TOKEN>' };
      // Hashing first makes the comparison constant-time whatever the length given.
      const actual = createHash('sha256').update(given).digest();
      return timingSafeEqual(actual, expected)
        ? { ok: true }
        : { ok: false, reason: 'the token does not match SMSMEDIA_WEBHOOK_TOKEN' };
    },

    parse(req) {
      let body: unknown;
      try {
        body = JSON.parse(req.rawBody.toString('utf8')) as unknown;
      } catch {
        return { ok: false, reason: 'a delivery report is JSON: {"messageId", "status", "errorCode"}' };
      }
      const reports = Array.isArray(body) ? body : [body];
      const events: ProviderStatusEvent[] = [];
      for (const r of reports) {
        if (!isObject(r)) return { ok: false, reason: 'a delivery report is a JSON object (or an array of them)' };
        const messageId = firstString(r, ['messageId', 'message_id', 'messageid', 'id']);
        const upstream = firstString(r, ['status']);
        if (!messageId || !upstream) return { ok: false, reason: 'a delivery report needs messageId and status' };
        const status = mapSmsMediaStatus(upstream);
        if (!status) continue; // unknown statuses: acknowledged, ignored
        const errorCode = firstString(r, ['errorCode', 'error_code']);
        const errorText = upstreamMessage(r);
        const failed = status === 'FAILED' || status === 'UNDELIVERED';
        events.push({
          provider: name,
          providerMessageId: messageId,
          status,
          occurredAt: timestampOf(r) ?? req.receivedAt,
          errorCode,
          errorMessage:
            errorCode || failed ? (errorText ?? (errorCode ? `SMSMedia error ${errorCode}` : undefined)) : undefined,
          // SMSMedia may deliver a report again; one report per message and status.
          dedupeKey: `${name}:${messageId}:${upstream.trim().toLowerCase()}`,
          raw: r,
        });
      }
      return { ok: true, events };
    },
  };
}

function isObject(v: unknown): v is Body {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first of `keys` holding a non-empty string or a number, as a string. */
function firstString(o: Body, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v.trim()) return v.trim();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return undefined;
}

function messageIdOf(json: Body): string | undefined {
  const keys = ['messageId', 'message_id', 'messageid', 'id'];
  const data = Array.isArray(json.data) ? json.data[0] : json.data;
  return firstString(json, keys) ?? (isObject(data) ? firstString(data, keys) : undefined);
}

function upstreamMessage(o: Body): string | undefined {
  const nested = isObject(o.error) ? firstString(o.error, ['message', 'description']) : undefined;
  return (
    nested ?? firstString(o, ['message', 'errorMessage', 'error_message', 'error', 'description', 'msg', 'reason'])
  );
}

/** An optional report time: unix seconds or milliseconds, or an ISO date. */
function timestampOf(o: Body): Date | undefined {
  const v = o.timestamp ?? o.time ?? o.deliveredAt;
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v))) {
    const n = Number(v);
    const at = new Date(n < 1e12 ? n * 1000 : n);
    return Number.isNaN(at.getTime()) ? undefined : at;
  }
  if (typeof v === 'string') {
    const at = new Date(v);
    return Number.isNaN(at.getTime()) ? undefined : at;
  }
  return undefined;
}
