import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageStatus } from '../messaging/model.js';
import type { OutboundMessage, Provider, ProviderStatusEvent, SendResult } from './provider.js';

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

const OUTCOME_CODE: Record<'normal' | 'noread' | 'undelivered', string> = { normal: 'n', noread: 'r', undelivered: 'u' };

/** The reports a message gets, as offsets from the moment it was sent. */
function reportsFor(outcome: string, delayMs: number): Array<{ status: MessageStatus; afterMs: number; errorCode?: string }> {
  if (outcome === 'u') return [{ status: 'UNDELIVERED', afterMs: delayMs, errorCode: 'SANDBOX_UNREACHABLE' }];
  const delivered = { status: 'DELIVERED' as const, afterMs: delayMs };
  return outcome === 'r' ? [delivered] : [delivered, { status: 'READ', afterMs: 2 * delayMs }];
}

export function createSandboxProvider(opts: { delayMs: number; now?: () => Date; name?: string }): Provider {
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

    async send(message: OutboundMessage, { timeoutMs, signal }): Promise<SendResult> {
      const b = behaviourOf(message.recipient);
      if (b.kind === 'fail') {
        return { ok: false, code: 'SANDBOX_REJECTED', message: 'sandbox: recipient rejects every message', retryable: false };
      }
      if (b.kind === 'transient' && message.attempt <= b.times) {
        return { ok: false, code: 'SANDBOX_UNAVAILABLE', message: `sandbox: temporary failure ${message.attempt} of ${b.times}`, retryable: true };
      }
      if (b.kind === 'timeout' && message.attempt === 1) {
        await sleep(timeoutMs, undefined, { signal }).catch(() => {});
        return { ok: false, code: 'TIMEOUT', message: `sandbox: no answer within ${timeoutMs} ms`, retryable: true };
      }
      if (b.kind === 'ratelimited' && message.attempt === 1) {
        return { ok: false, code: 'RATE_LIMITED', message: 'sandbox: too many requests', retryable: true, retryAfterMs: 2000 };
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
  };
}
