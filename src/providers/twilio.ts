import { createHmac, timingSafeEqual } from 'node:crypto';
import { Agent, request } from 'undici';
import { DESTINATION_NOT_ALLOWED, isDestinationNotAllowed, type OutboundGuard } from '../net/outbound.js';
import { followSignal } from '../net/follow-signal.js';
import type { MessageStatus } from '../vocabulary.js';
import type {
  InboundUserMessage,
  InboundWebhook,
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

// Twilio Programmable Messaging (and the many SMS APIs that copy its shape): the send path and
// the StatusCallback webhook. One keep-alive connection pool per provider; every failure is
// classified for the dispatcher.

export type TwilioConfig = {
  accountSid: string;
  authToken: string;
  /** Default https://api.twilio.com. */
  baseUrl?: string;
  /** Default sender when the message has none. */
  from?: string;
  /** Used when the message has no sender (Twilio then picks a number from the service's pool). */
  messagingServiceSid?: string;
  statusCallbackUrl?: string;
  /** Default 'twilio'. */
  name?: string;
  /** Set for tenant-configured instances: their base URL is tenant input, so connections are guarded. */
  outbound?: OutboundGuard;
  /** Default 10: see DEFAULT_MAX_PER_SECOND. */
  maxPerSecond?: number;
  /** Open connections to the API host at most (default 256); further requests wait for one. */
  connections?: number;
};

/**
 * Twilio's documented default release rate for a Twilio number or alphanumeric sender ID to
 * countries outside US/Canada is 10 message segments per second. US/Canada long codes get 1
 * (10DLC: per brand), toll-free 3, short codes 100: set `maxPerSecond` for such senders. Twilio
 * queues requests above the rate instead of refusing them, so a too-high value delays messages
 * upstream (and may hit their ValidityPeriod) rather than failing them.
 */
export const DEFAULT_MAX_PER_SECOND = 10;

/** Twilio accepts ValidityPeriod in whole seconds, 1..36,000 (10 hours, also its default). */
const MAX_VALIDITY_S = 36_000;

const TWILIO_STATUSES: Record<string, MessageStatus> = {
  queued: 'SENT',
  accepted: 'SENT',
  scheduled: 'SENT',
  sending: 'SENT',
  sent: 'SENT',
  delivered: 'DELIVERED',
  undelivered: 'UNDELIVERED',
  failed: 'FAILED',
  read: 'READ',
  canceled: 'CANCELED',
};

/** Herald's status for a Twilio message status; undefined for inbound ones (receiving, received). */
export function mapTwilioStatus(status: string): MessageStatus | undefined {
  return TWILIO_STATUSES[status.toLowerCase()];
}

/** Permanent Twilio codes worth a sentence a user can act on; Twilio's own text follows it. */
const PERMANENT_MESSAGES: Record<string, string> = {
  '21211': 'the recipient is not a valid phone number',
  '21610': 'the recipient has unsubscribed from this sender (replied STOP)',
  '21408': 'sending SMS to this region is not enabled on the Twilio account (Geo permissions)',
  '21614': 'the recipient is not a mobile number and cannot receive SMS',
};
const AUTH_FAILED = 'authentication failed: check the account SID and auth token';
/** The recipient replied STOP to this sender: Twilio refuses, and Herald suppresses them. */
const UNSUBSCRIBED = '21610';

export function createTwilioProvider(cfg: TwilioConfig): Provider {
  if (!cfg.accountSid || !cfg.authToken) throw new Error('twilio provider: accountSid and authToken are required');
  const name = cfg.name ?? 'twilio';
  const base = (cfg.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(cfg.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${cfg.accountSid}:${cfg.authToken}`).toString('base64')}`;
  const agentOptions = { connections: cfg.connections ?? 256, keepAliveTimeout: 30_000 };
  const agent = cfg.outbound ? cfg.outbound.agent(agentOptions) : new Agent(agentOptions);
  // Nothing Twilio sends back should contain the token, but a proxy or a fake might echo it.
  const scrub = redactor([cfg.authToken, authorization]).text;
  const fail = (code: string, message: string, retryable: boolean, extra: Partial<SendFailure> = {}): SendFailure => ({
    ok: false,
    code,
    message: scrub(message),
    retryable,
    ...extra,
  });

  function form(message: OutboundMessage): URLSearchParams | SendFailure {
    const params = new URLSearchParams({ To: message.recipient });
    if (message.sender) params.set('From', message.sender);
    else if (cfg.messagingServiceSid) params.set('MessagingServiceSid', cfg.messagingServiceSid);
    else if (cfg.from) params.set('From', cfg.from);
    else
      return fail(
        'NO_SENDER',
        `no sender: the message has none and provider ${name} has no From number or Messaging Service`,
        false,
      );
    if (message.body != null) params.set('Body', message.body);
    if (cfg.statusCallbackUrl) params.set('StatusCallback', cfg.statusCallbackUrl);
    if (message.validUntil) {
      const seconds = Math.floor((message.validUntil.getTime() - Date.now()) / 1000);
      if (seconds < 1) return fail('EXPIRED', 'the message expired (valid until) before it could be sent', false);
      params.set('ValidityPeriod', String(Math.min(seconds, MAX_VALIDITY_S)));
    }
    return params;
  }

  async function send(message: OutboundMessage, opts: { timeoutMs: number; signal: AbortSignal }): Promise<SendResult> {
    if (message.channel !== 'SMS')
      return fail('UNSUPPORTED_CHANNEL', `provider ${name} sends SMS only, not ${message.channel}`, false);
    const params = form(message);
    if (!(params instanceof URLSearchParams)) return params;

    if (opts.signal.aborted) return fail('ABORTED', 'the send was aborted before it started', true);
    // One controller for both the deadline and the caller's signal.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, opts.timeoutMs);
    const unfollow = followSignal(opts.signal, controller);
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: agent,
        signal: controller.signal,
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: params.toString(),
      });
      return classify(res.statusCode, res.headers['retry-after'], await answerText(res.body));
    } catch (err) {
      // The caller's signal may carry its own deadline (AbortSignal.timeout): that is a timeout too.
      if (timedOut || (opts.signal.reason as { name?: string } | undefined)?.name === 'TimeoutError')
        return fail('TIMEOUT', `Twilio did not answer within ${opts.timeoutMs} ms`, true);
      if (opts.signal.aborted) return fail('ABORTED', 'the send was aborted before Twilio answered', true);
      // The same answer whatever is behind a refused destination: no port scanning through sends.
      if (isDestinationNotAllowed(err)) return fail('DESTINATION_NOT_ALLOWED', DESTINATION_NOT_ALLOWED, false);
      const e = err as { code?: string; message?: string };
      return fail(
        'NETWORK',
        `network error reaching Twilio: ${e.message ?? String(err)}${e.code ? ` (${e.code})` : ''}`,
        true,
      );
    } finally {
      clearTimeout(timer);
      unfollow();
    }
  }

  function classify(status: number, retryAfter: string | string[] | undefined, text: string): SendResult {
    let body: { sid?: unknown; code?: unknown; message?: unknown } | undefined;
    try {
      body = JSON.parse(scrub(text)) as typeof body;
    } catch {
      body = undefined;
    }
    const raw = { status, body: body ?? scrub(text.slice(0, 1000)) };
    if (status >= 200 && status < 300) {
      if (typeof body?.sid === 'string') return { ok: true, providerMessageId: body.sid, raw: body };
      // Most likely not Twilio answering (a proxy or captive portal): nothing was sent.
      return fail(`HTTP_${status}`, `unexpected answer from Twilio (HTTP ${status} without a message sid)`, true, {
        raw,
      });
    }

    const twilioCode = typeof body?.code === 'number' || typeof body?.code === 'string' ? String(body.code) : undefined;
    const code = twilioCode ?? `HTTP_${status}`;
    const detail = typeof body?.message === 'string' ? body.message : `HTTP ${status}`;
    if (status === 429 || code === '20429') {
      const retryAfterMs = parseRetryAfter(retryAfter);
      return fail(code, `Twilio rate limit reached, retrying later: ${detail}`, true, {
        raw,
        ...(retryAfterMs !== undefined && { retryAfterMs }),
      });
    }
    if (status >= 500) return fail(code, `Twilio is unavailable (HTTP ${status}): ${detail}`, true, { raw });
    if (status === 401 || status === 403 || code === '20003') return fail(code, AUTH_FAILED, false, { raw });
    const known = PERMANENT_MESSAGES[code];
    return fail(code, known ? `${known}: ${detail}` : `Twilio refused the message (error ${code}): ${detail}`, false, {
      raw,
      ...(code === UNSUBSCRIBED ? { optedOut: true } : {}),
    });
  }

  return {
    name,
    capabilities: { channels: ['SMS'], media: [], maxPerSecond: cfg.maxPerSecond ?? DEFAULT_MAX_PER_SECOND },
    send,
    stop: () => agent.close(),
    webhook: twilioWebhook(name, cfg.authToken),
  };
}

/** Delivery error codes a StatusCallback may carry (it sends the code only), in a user's words. */
const DELIVERY_ERRORS: Record<string, string> = {
  [UNSUBSCRIBED]: PERMANENT_MESSAGES[UNSUBSCRIBED]!,
  '30003': 'the handset is unreachable (switched off or out of coverage)',
  '30005': 'unknown destination: the number does not exist or is no longer in service',
  '30006': 'the number is a landline or cannot receive SMS',
  '30007': 'the carrier filtered the message (spam or content rules)',
};

/** Empty TwiML: a valid answer whether the URL is used as a StatusCallback or for inbound messages. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Twilio's request signature: base64 HMAC-SHA1, keyed with the auth token, of the full URL
 * Twilio called followed by every POST parameter's name and value, sorted by name.
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const byName = new Map<string, string[]>();
  for (const [k, v] of params) byName.set(k, [...(byName.get(k) ?? []), v]);
  let signed = url;
  for (const k of [...byName.keys()].sort()) for (const v of byName.get(k)!.sort()) signed += k + v;
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

/** The StatusCallback: form POSTs signed with X-Twilio-Signature over the public URL. */
function twilioWebhook(name: string, authToken: string): ProviderWebhook {
  // Status callbacks are always application/x-www-form-urlencoded.
  const form = (req: InboundWebhook) => new URLSearchParams(req.rawBody.toString('utf8'));
  return {
    verify(req) {
      const given = req.headers['x-twilio-signature'];
      if (!given) return { ok: false, reason: 'missing X-Twilio-Signature header' };
      const expected = Buffer.from(twilioSignature(authToken, req.publicUrl, form(req)));
      const actual = Buffer.from(given);
      // Lengths are public (a SHA-1 in base64); the bytes are compared in constant time.
      if (actual.length === expected.length && timingSafeEqual(actual, expected)) return { ok: true };
      return {
        ok: false,
        reason:
          'X-Twilio-Signature does not match: wrong auth token, or Twilio called another URL than HERALD_PUBLIC_URL',
      };
    },

    parse(req) {
      const p = form(req);
      const sid = p.get('MessageSid') ?? p.get('SmsSid');
      const upstream = p.get('MessageStatus') ?? p.get('SmsStatus');
      if (!sid || !upstream) return { ok: false, reason: 'a status callback needs MessageSid and MessageStatus' };
      if (upstream.toLowerCase() === 'received') return { ok: true, events: [], ...inboundMessage(name, sid, p, req) };
      const status = mapTwilioStatus(upstream);
      // Other inbound statuses (receiving) and ones Herald does not know: acknowledged, ignored.
      if (!status) return { ok: true, events: [] };
      const code = p.get('ErrorCode') || undefined;
      const event: ProviderStatusEvent = {
        provider: name,
        providerMessageId: sid,
        status,
        // Callbacks carry no timestamp: the time Herald received it stands in for it.
        occurredAt: req.receivedAt,
        errorCode: code,
        errorMessage: code ? p.get('ErrorMessage') || DELIVERY_ERRORS[code] || `Twilio error ${code}` : undefined,
        optedOut: code === UNSUBSCRIBED ? true : undefined,
        // Twilio redelivers the same callback; one report per message and status.
        dedupeKey: `${name}:${sid}:${upstream.toLowerCase()}`,
        raw: Object.fromEntries(p),
      };
      return { ok: true, events: [event] };
    },

    acknowledgement: { contentType: 'text/xml; charset=utf-8', body: EMPTY_TWIML },
  };
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * A message a user sent to one of the account's numbers: Twilio posts it (SmsStatus "received")
 * to the number's messaging webhook, which may be this same URL. Senders that are not phone
 * numbers (short codes, alphanumeric ids) cannot opt out here and are left out.
 */
function inboundMessage(
  name: string,
  sid: string,
  p: URLSearchParams,
  req: InboundWebhook,
): { inbound?: InboundUserMessage[] } {
  const from = p.get('From') ?? '';
  if (!E164.test(from)) return {};
  return {
    inbound: [
      {
        provider: name,
        channel: 'SMS',
        providerMessageId: sid,
        from,
        to: p.get('To') ?? undefined,
        occurredAt: req.receivedAt,
        kind: Number(p.get('NumMedia') ?? 0) > 0 ? 'media' : 'text',
        text: p.get('Body') ?? undefined,
        payload: undefined,
        inReplyTo: undefined,
        // Twilio retries a webhook that failed: one record per message.
        dedupeKey: `${name}:inbound:${sid}`,
      },
    ],
  };
}
