import type { Channel, MessageStatus } from '../vocabulary.js';

/** The JSON body of a callback (built in SQL by callbackCtes, stored with the delivery). */
export type CallbackPayload = {
  /** The status event; also the Herald-Event-Id header. The same across retries: dedupe on it. */
  eventId: string;
  /** The plain message id, as returned by the send mutations (`Message.messageId`). */
  messageId: string;
  status: MessageStatus;
  previousStatus: MessageStatus | null;
  errorCode: string | null;
  errorMessage: string | null;
  channel: Channel;
  to: string;
  externalRef: string | null;
  /** When Herald recorded the change; never decreases within a message. */
  occurredAt: string;
  /** The provider's own timestamp when a provider report caused the change, else null. */
  reportedAt: string | null;
};

/** The body as POSTed, keys in a fixed, readable order (jsonb keeps its own). */
export function callbackBody(p: CallbackPayload): string {
  return JSON.stringify({
    eventId: p.eventId,
    messageId: p.messageId,
    status: p.status,
    previousStatus: p.previousStatus,
    errorCode: p.errorCode,
    errorMessage: p.errorMessage,
    channel: p.channel,
    to: p.to,
    externalRef: p.externalRef,
    occurredAt: p.occurredAt,
    reportedAt: p.reportedAt ?? null,
  });
}
