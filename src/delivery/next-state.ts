import type { DeliveryConfig } from '../config.js';
import type { Db } from '../db/client.js';
import type { ProviderDirectory } from '../providers/directory.js';
import type { Channel, MessageStatus } from '../vocabulary.js';
import { retryDelayMs } from './backoff.js';
import { reroute, type Reroute } from './fallback.js';
import type { Outcome } from './send-message.js';

/**
 * What a send's outcome makes of its message: SENT; QUEUED again (released before the call, or
 * a transient failure with attempts and validity left, after a backoff); EXPIRED when the retry
 * would come after validUntil; FAILED otherwise, unless a fallback rule re-routes it (never when
 * the provider said the recipient opted out). Decided
 * before record-outcomes.ts opens its transaction, which writes it only under the claim's lease.
 */

/** One message's new state, as record-outcomes.ts writes it (keys are its recordset's columns). */
export type OutcomeUpdate = {
  id: string;
  /** The claim's own lease end identifies it: a later claim of the same row has another. */
  lease: string | undefined;
  status: MessageStatus;
  provider: string;
  pmid: string | null;
  attempts: number;
  next_at: string | null;
  code: string | null;
  message: string | null;
  retryable: boolean | null;
  fallback_step?: number;
  channel?: Channel;
  body?: string;
  channel_options?: Record<string, unknown>;
};

export type NextState = { update: OutcomeUpdate; fallback?: Reroute['fallback'] };

export type NextStateDeps = {
  db: Db;
  providers: ProviderDirectory;
  retry: DeliveryConfig['retry'];
  random?: (() => number) | undefined;
};

export async function nextState(o: Outcome, now: Date, deps: NextStateDeps): Promise<NextState> {
  const base = {
    id: o.row.id,
    lease: o.row.lockedUntil?.toISOString(),
    provider: o.provider.name,
    attempts: o.row.attempts,
  };
  if (o.kind === 'sent') {
    return {
      update: {
        ...base,
        status: 'SENT',
        pmid: o.result.providerMessageId,
        next_at: null,
        code: null,
        message: null,
        retryable: null,
      },
    };
  }
  if (o.kind === 'released') {
    return {
      update: {
        ...base,
        status: 'QUEUED',
        attempts: o.row.attempts - 1,
        pmid: null,
        next_at: now.toISOString(),
        code: null,
        message: null,
        retryable: null,
      },
    };
  }
  const { retry } = deps;
  const { code, message, retryable, retryAfterMs } = o.result;
  const nextAt = new Date(now.getTime() + retryDelayMs(retry, o.row.attempts, retryAfterMs, deps.random));
  const exhausted = o.row.attempts >= retry.maxAttempts;
  const tooLate = o.row.validUntil !== null && nextAt >= o.row.validUntil;
  const status: MessageStatus =
    code === 'EXPIRED' || (retryable && !exhausted && tooLate)
      ? 'EXPIRED'
      : !retryable || exhausted
        ? 'FAILED'
        : 'QUEUED';
  const why = retryable && exhausted ? `gave up after ${o.row.attempts} attempts: ${message}` : message;
  // No fallback for an opt-out: another provider or channel would reach the person who said stop.
  if (status === 'FAILED' && !retryable && !o.result.optedOut) {
    const rerouted = await reroute(deps.db, deps.providers, o.row, now);
    if (rerouted) {
      return {
        update: { ...base, ...rerouted.fields, status: 'QUEUED', pmid: null, code, message, retryable },
        fallback: rerouted.fallback,
      };
    }
  }
  return {
    update: {
      ...base,
      status,
      pmid: null,
      next_at: status === 'QUEUED' ? nextAt.toISOString() : null,
      code,
      message: why,
      retryable,
    },
  };
}
