import type { MessageStatus } from '../vocabulary.js';

// The one rule for every status change. Who asks matters:
// - provider:   reports from upstream (webhooks, lookups). Forward only; DELIVERED and READ
//               outrank any failure (multi-device recipients); duplicates are no-ops.
// - dispatcher: Herald's own delivery steps (claim, retry, accept, give up, expire).
// - operator:   explicit API calls (cancel a waiting message, retry a failed one).
// Whatever the answer, the caller still records the event in message_events.

export type StatusCause = 'provider' | 'dispatcher' | 'operator';

const PROGRESS: readonly MessageStatus[] = ['SCHEDULED', 'QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ'];
const FAILURES: readonly MessageStatus[] = ['FAILED', 'UNDELIVERED', 'EXPIRED', 'CANCELED'];

const rank = (s: MessageStatus): number => PROGRESS.indexOf(s);
export const isFailure = (s: MessageStatus): boolean => FAILURES.includes(s);
const isReached = (s: MessageStatus): boolean => s === 'DELIVERED' || s === 'READ';

/** States in which nothing more is expected (READ and the failures). */
export const isFinal = (s: MessageStatus): boolean => s === 'READ' || isFailure(s);

const DISPATCHER_MOVES: Partial<Record<MessageStatus, readonly MessageStatus[]>> = {
  QUEUED: ['SCHEDULED', 'SENDING'], // due, or back to the queue after a retryable failure
  SENDING: ['SCHEDULED', 'QUEUED'], // claimed
  SENT: ['SENDING'], // provider accepted
  FAILED: ['SENDING'], // permanent error or attempts exhausted
  EXPIRED: ['SCHEDULED', 'QUEUED', 'SENDING'], // validUntil passed before it could be sent
};

const OPERATOR_MOVES: Partial<Record<MessageStatus, readonly MessageStatus[]>> = {
  CANCELED: ['SCHEDULED', 'QUEUED'],
  QUEUED: ['FAILED'], // manual retry
};

/** The status after `to` is requested from `current`, or null when nothing changes. */
export function nextStatus(current: MessageStatus, to: MessageStatus, cause: StatusCause): MessageStatus | null {
  if (to === current) return null;
  if (cause === 'dispatcher') return DISPATCHER_MOVES[to]?.includes(current) ? to : null;
  if (cause === 'operator') return OPERATOR_MOVES[to]?.includes(current) ? to : null;
  // Provider reports.
  if (isReached(to)) return isFailure(current) || rank(to) > rank(current) ? to : null;
  if (isFailure(to)) return isFailure(current) || isReached(current) ? null : to;
  return isFailure(current) || rank(to) <= rank(current) ? null : to;
}
