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

/**
 * A template's review status or quality changed (webhook endpoints with templateEvents): queued
 * by templates/lifecycle.ts. Told apart from status callbacks by `type`.
 */
export type TemplateCallbackPayload = {
  type: 'template.status';
  eventId: string;
  templateId: string;
  name: string;
  language: string;
  status: string;
  previousStatus: string;
  rejectionReason: string | null;
  qualityRating: string | null;
  previousQualityRating: string | null;
  metaTemplateId: string | null;
  /** SUBMIT, SYNC or WEBHOOK. */
  source: string;
  occurredAt: string;
};

export type AnyCallbackPayload = CallbackPayload | TemplateCallbackPayload;

export const isTemplatePayload = (p: AnyCallbackPayload): p is TemplateCallbackPayload =>
  (p as { type?: unknown }).type === 'template.status';

/** The body as POSTed, keys in a fixed, readable order (jsonb keeps its own). */
export function callbackBody(p: AnyCallbackPayload): string {
  if (isTemplatePayload(p)) {
    return JSON.stringify({
      type: p.type,
      eventId: p.eventId,
      templateId: p.templateId,
      name: p.name,
      language: p.language,
      status: p.status,
      previousStatus: p.previousStatus,
      rejectionReason: p.rejectionReason,
      qualityRating: p.qualityRating,
      previousQualityRating: p.previousQualityRating,
      metaTemplateId: p.metaTemplateId,
      source: p.source,
      occurredAt: p.occurredAt,
    });
  }
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
