import { createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { MessageStatus } from '../vocabulary.js';
import type { OutboundMessage, Provider, ProviderStatusEvent, ProviderWebhook, SendResult } from './provider.js';

// The default provider of a fresh installation. It accepts messages and reports
// sent -> delivered -> read after short delays, through the same status path as real
// providers. Magic recipients make every delivery path reachable on purpose:
//
//   phone            email                        behaviour
//   +61491570001    fail@herald.test             permanent failure (SANDBOX_REJECTED)
//   +6149157001N    transient-N@herald.test      fails N times (N = 1..9, retryable), then sent
//   +61491570200    timeout@herald.test          first attempt times out, then sent
//   +61491570300    ratelimited@herald.test      first attempt rate-limited, Retry-After 2 s
//   +61491570400    noread@herald.test           delivered, never read
//   +61491570500    undelivered@herald.test      sent, then undelivered (SANDBOX_UNREACHABLE)
//
// (+61 491 570 xxx is the Australian mobile range reserved for fiction: it never reaches anyone.)
// Every other recipient is sent, delivered and read. Reports are also derivable from the
// provider message id alone (lookupStatus), so reconciliation recovers reports lost when a
// process dies between send and report.

type Behaviour =
  | { kind: 'normal' | 'noread' | 'undelivered' }
  | { kind: 'fail' }
  | { kind: 'transient'; times: number }
  | { kind: 'timeout' }
  | { kind: 'ratelimited' };

function behaviourOf(recipient: string): Behaviour {
  const phone = /^\+61491570(\d{3})$/.exec(recipient)?.[1];
  const local = recipient.endsWith('@herald.test') ? recipient.slice(0, -'@herald.test'.length) : undefined;
  if (phone === '001' || local === 'fail') return { kind: 'fail' };
  const transient = (phone && /^01([1-9])$/.exec(phone)?.[1]) ?? (local && /^transient-([1-9])$/.exec(local)?.[1]);
  if (transient) return { kind: 'transient', times: Number(transient) };
  if (phone === '200' || local === 'timeout') return { kind: 'timeout' };
  if (phone === '300' || local === 'ratelimited') return { kind: 'ratelimited' };
  if (phone === '400' || local === 'noread') return { kind: 'noread' };
  if (phone === '500' || local === 'undelivered') return { kind: 'undelivered' };
  return { kind: 'normal' };
}

const OUTCOME_CODE: Record<'normal' | 'noread' | 'undelivered', string> = {
  normal: 'n',
  noread: 'r',
  undelivered: 'u',
};

/** The reports a message gets, as offsets from the moment it was sent. */
function reportsFor(
  outcome: string,
  delayMs: number,
): Array<{ status: MessageStatus; afterMs: number; errorCode?: string }> {
  if (outcome === 'u') return [{ status: 'UNDELIVERED', afterMs: delayMs, errorCode: 'SANDBOX_UNREACHABLE' }];
  const delivered = { status: 'DELIVERED' as const, afterMs: delayMs };
  return outcome === 'r' ? [delivered] : [delivered, { status: 'READ', afterMs: 2 * delayMs }];
}

export function createSandboxProvider(opts: {
  delayMs: number;
  now?: () => Date;
  name?: string;
  /** Enables the signed webhook (HERALD_SANDBOX_WEBHOOK_SECRET). */
  webhookSecret?: string;
}): Provider {
  const name = opts.name ?? 'sandbox';
  const now = opts.now ?? (() => new Date());
  let report: ((events: ProviderStatusEvent[]) => Promise<void>) | undefined;
  const timers = new Set<NodeJS.Timeout>();

  const eventsFor = (providerMessageId: string, upTo: number): ProviderStatusEvent[] => {
    const [, outcome, sentAt] = providerMessageId.split('_');
    return reportsFor(outcome ?? 'n', opts.delayMs)
      .map((r) => ({ ...r, at: Number(sentAt) + r.afterMs }))
      .filter((r) => r.at <= upTo)
      .map((r) => ({
        provider: name,
        providerMessageId,
        status: r.status,
        occurredAt: new Date(r.at),
        errorCode: r.errorCode,
        errorMessage: r.errorCode ? 'sandbox: the handset was unreachable' : undefined,
        dedupeKey: `${name}:${providerMessageId}:${r.status}`,
        raw: { sandbox: true, status: r.status },
      }));
  };

  const scheduleReports = (providerMessageId: string, sentAt: number) => {
    for (const r of reportsFor(providerMessageId.split('_')[1] ?? 'n', opts.delayMs)) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        const events = eventsFor(providerMessageId, sentAt + r.afterMs).filter((e) => e.status === r.status);
        // A lost report is recovered by reconciliation through lookupStatus.
        report?.(events).catch(() => {});
      }, r.afterMs);
      timer.unref();
      timers.add(timer);
    }
  };

  return {
    name,
    capabilities: { channels: ['SMS', 'WHATSAPP', 'EMAIL'], media: ['IMAGE', 'VIDEO', 'DOCUMENT'], maxPerSecond: 1000 },

    // Email attachments (message.attachments) are accepted and ignored: nothing is delivered.
    async send(message: OutboundMessage, { timeoutMs, signal }): Promise<SendResult> {
      const b = behaviourOf(message.recipient);
      if (b.kind === 'fail') {
        return {
          ok: false,
          code: 'SANDBOX_REJECTED',
          message: 'sandbox: recipient rejects every message',
          retryable: false,
        };
      }
      if (b.kind === 'transient' && message.attempt <= b.times) {
        return {
          ok: false,
          code: 'SANDBOX_UNAVAILABLE',
          message: `sandbox: temporary failure ${message.attempt} of ${b.times}`,
          retryable: true,
        };
      }
      if (b.kind === 'timeout' && message.attempt === 1) {
        await sleep(timeoutMs, undefined, { signal }).catch(() => {});
        return { ok: false, code: 'TIMEOUT', message: `sandbox: no answer within ${timeoutMs} ms`, retryable: true };
      }
      if (b.kind === 'ratelimited' && message.attempt === 1) {
        return {
          ok: false,
          code: 'RATE_LIMITED',
          message: 'sandbox: too many requests',
          retryable: true,
          retryAfterMs: 2000,
        };
      }
      const outcome = b.kind === 'noread' || b.kind === 'undelivered' ? OUTCOME_CODE[b.kind] : 'n';
      const sentAt = now().getTime();
      const providerMessageId = `sbx_${outcome}_${sentAt}_${message.id}`;
      scheduleReports(providerMessageId, sentAt);
      return { ok: true, providerMessageId };
    },

    async lookupStatus(providerMessageId: string, at: Date) {
      return eventsFor(providerMessageId, at.getTime());
    },

    start(onReport) {
      report = onReport;
    },

    async stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      report = undefined;
    },

    ...(opts.webhookSecret ? { webhook: sandboxWebhook(name, opts.webhookSecret) } : {}),
  };
}

// The sandbox's webhook, so integrations can rehearse provider reports (out of order, repeated,
// failing) against a real endpoint. Signed Stripe-style:
//
//   POST /webhooks/sandbox
//   Herald-Sandbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
//   {"events":[{"providerMessageId":"sbx_...","status":"delivered","timestamp":1700000000,
//               "id"?, "errorCode"?, "errorMessage"?}]}
//
// Signatures older or newer than five minutes are refused (a captured request cannot be replayed
// later); several v1 entries may be given (secret rotation).

/** How far the signed timestamp may be from Herald's clock. */
export const SANDBOX_SIGNATURE_TOLERANCE_S = 300;

const SANDBOX_STATUSES = {
  sent: 'SENT',
  delivered: 'DELIVERED',
  read: 'READ',
  failed: 'FAILED',
  undelivered: 'UNDELIVERED',
} as const satisfies Record<string, MessageStatus>;

const SandboxReports = z.object({
  events: z
    .array(
      z.object({
        /** Your id for this report; repeats of it are recorded once. */
        id: z.string().min(1).max(200).optional(),
        providerMessageId: z.string().min(1).max(200),
        status: z.enum(Object.keys(SANDBOX_STATUSES) as [keyof typeof SANDBOX_STATUSES]),
        /** Unix seconds or an ISO 8601 date; when absent, the time Herald received the report. */
        timestamp: z.union([z.number().nonnegative(), z.string().min(1).max(64)]).optional(),
        errorCode: z.string().min(1).max(100).optional(),
        errorMessage: z.string().max(1000).optional(),
      }),
    )
    .min(1)
    .max(1000),
});

function parseTimestamp(value: number | string): Date | undefined {
  const ms =
    typeof value === 'number' || /^\d+(\.\d+)?$/.test(value) ? Math.round(Number(value) * 1000) : Date.parse(value);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function sandboxWebhook(name: string, secret: string): ProviderWebhook {
  return {
    verify(req) {
      const header = req.headers['herald-sandbox-signature'];
      if (!header) return { ok: false, reason: 'missing Herald-Sandbox-Signature header' };
      let t: string | undefined;
      const candidates: Buffer[] = [];
      for (const part of header.split(',')) {
        const at = part.indexOf('=');
        if (at < 0) continue;
        const key = part.slice(0, at).trim();
        const value = part.slice(at + 1).trim();
        if (key === 't') t = value;
        else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) candidates.push(Buffer.from(value, 'hex'));
      }
      if (!t || !/^\d{1,12}$/.test(t) || candidates.length === 0) {
        return { ok: false, reason: 'Herald-Sandbox-Signature must be "t=<unix seconds>,v1=<hex HMAC-SHA256>"' };
      }
      if (Math.abs(req.receivedAt.getTime() / 1000 - Number(t)) > SANDBOX_SIGNATURE_TOLERANCE_S) {
        return {
          ok: false,
          reason: `signature timestamp is more than ${SANDBOX_SIGNATURE_TOLERANCE_S} s from Herald's clock (stale or replayed)`,
        };
      }
      const expected = createHmac('sha256', secret).update(`${t}.`).update(req.rawBody).digest();
      // Every candidate is compared, so the time taken does not tell which one matched.
      let match = false;
      for (const c of candidates) match = timingSafeEqual(c, expected) || match;
      return match ? { ok: true } : { ok: false, reason: 'Herald-Sandbox-Signature does not match the body' };
    },

    parse(req) {
      let json: unknown;
      try {
        json = JSON.parse(req.rawBody.toString('utf8'));
      } catch {
        return { ok: false, reason: 'the body is not JSON' };
      }
      const parsed = SandboxReports.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return { ok: false, reason: `${issue.path.join('.') || 'body'}: ${issue.message}` };
      }
      const events: ProviderStatusEvent[] = [];
      for (const [i, e] of parsed.data.events.entries()) {
        const occurredAt = e.timestamp === undefined ? req.receivedAt : parseTimestamp(e.timestamp);
        if (!occurredAt) return { ok: false, reason: `events.${i}.timestamp: unix seconds or an ISO 8601 date` };
        const status = SANDBOX_STATUSES[e.status];
        events.push({
          provider: name,
          providerMessageId: e.providerMessageId,
          status,
          occurredAt,
          errorCode: e.errorCode,
          errorMessage: e.errorMessage,
          // Scoped by message: ids chosen by different integrations cannot collide.
          dedupeKey: e.id
            ? `${name}:webhook:${e.providerMessageId}:${e.id}`
            : `${name}:webhook:${e.providerMessageId}:${e.status}:${e.timestamp === undefined ? '' : occurredAt.getTime()}`,
          raw: e,
        });
      }
      return { ok: true, events };
    },
  };
}
