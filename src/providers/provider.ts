import type { MetaTemplateReport } from './whatsapp-templates.js';
import type { MessageRow } from '../db/schema.js';
import type { Channel, MessageStatus } from '../vocabulary.js';

// The one interface every upstream implements. Only the dispatcher calls `send`; only the
// status path consumes the events a provider reports.

/** What a provider is asked to send: the stored message plus the attempt number (1-based). */
export type OutboundMessage = Pick<
  MessageRow,
  | 'id'
  | 'tenantId'
  | 'channel'
  | 'recipient'
  | 'sender'
  | 'templateName'
  | 'templateLanguage'
  | 'templateParams'
  | 'body'
  | 'subject'
  | 'mediaType'
  | 'mediaId'
  | 'channelOptions'
  | 'validUntil'
> & {
  attempt: number;
  /**
   * EMAIL: the files to attach, read from Herald's media store by the dispatcher (present only
   * when the message has attachments). Providers that cannot attach fail with UNSUPPORTED_OPTION.
   */
  attachments?: EmailAttachment[];
};

export type EmailAttachment = { filename: string; mimeType: string; content: Uint8Array };

export type SendSuccess = { ok: true; providerMessageId: string; raw?: unknown };

/** A classified failure: retryable ones are rescheduled, permanent ones end the message. */
export type SendFailure = {
  ok: false;
  code: string;
  message: string;
  retryable: boolean;
  /** Provider asked us to wait (HTTP Retry-After or equivalent), in milliseconds. */
  retryAfterMs?: number;
  /** The provider refused because the recipient opted out (Twilio 21610, WhatsApp 131050): Herald suppresses them. */
  optedOut?: boolean;
  raw?: unknown;
};

export type SendResult = SendSuccess | SendFailure;

/** A status report from upstream, normalised to Herald's vocabulary. */
export type ProviderStatusEvent = {
  provider: string;
  providerMessageId: string;
  status: MessageStatus;
  occurredAt: Date;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  /** The failure means the recipient opted out (Twilio 21610, WhatsApp 131050): Herald suppresses them. */
  optedOut?: boolean | undefined;
  /** Identifies this report so redelivered webhooks are recorded once. */
  dedupeKey: string;
  raw?: unknown;
};

export type ProviderCapabilities = {
  channels: readonly Channel[];
  /** Header media kinds the provider accepts, for WhatsApp templates. */
  media: readonly string[];
  /** Default sends per second per sender (the provider's documented throughput). */
  maxPerSecond: number;
};

export interface Provider {
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  /** Must resolve (never reject) within `timeoutMs`; timeouts are retryable failures. */
  send(message: OutboundMessage, opts: { timeoutMs: number; signal: AbortSignal }): Promise<SendResult>;
  /** Current status upstream, for reconciliation of messages whose reports went missing. */
  lookupStatus?(providerMessageId: string, now: Date): Promise<ProviderStatusEvent[]>;
  /** Starts background work (the sandbox's delayed reports); gets the status path to feed. */
  start?(report: (events: ProviderStatusEvent[]) => Promise<void>): void;
  stop?(): Promise<void>;
  /** Present when the provider pushes status reports to Herald. */
  readonly webhook?: ProviderWebhook;
  /**
   * Uploads a file the provider keeps for later sends (WhatsApp header media); resolves (never
   * rejects) with the provider's media id or a classified failure. Absent: media go by link.
   */
  uploadMedia?(media: MediaUpload, opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<MediaUploadResult>;
}

export type MediaUpload = { bytes: Uint8Array; mimeType: string; filename: string };

export type MediaUploadResult = { ok: true; id: string; raw?: unknown } | SendFailure;

/**
 * A message a user sent to one of Herald's numbers (a reply, "STOP", a quick-reply button), as a
 * webhook reported it. Parsed so opt-out handling can act on it; `text` is personal data: never log it.
 */
export type InboundUserMessage = {
  provider: string;
  /** The channel it came in on: opt-out keywords suppress the sender on that channel. */
  channel: Channel;
  /** The provider's id of the inbound message (WhatsApp: a wamid). */
  providerMessageId: string;
  /** The user who sent it, E.164. */
  from: string;
  /** Which of Herald's numbers received it, as the provider names it (WhatsApp: the phone number id). */
  to: string | undefined;
  occurredAt: Date;
  /** The provider's message type: text, button, interactive, image, ... */
  kind: string;
  /** What the user typed or tapped (text body, button or list reply title); undefined for media and others. */
  text: string | undefined;
  /** The developer-defined payload of a tapped button or list row, when there is one. */
  payload: string | undefined;
  /** The provider message id of ours the user replied to, when it was a reply. */
  inReplyTo: string | undefined;
  /**
   * Not a message: the user stopped or resumed the business's marketing messages in the
   * provider's own settings (WhatsApp's user_preferences), which Herald's list follows.
   */
  marketingOptOut?: 'stop' | 'resume';
  /** Identifies this message so redelivered webhooks can be recognised. */
  dedupeKey: string;
};

/** An HTTP request to `/webhooks/<provider>`, as received (nothing parsed yet). */
export type InboundWebhook = {
  method: string;
  /**
   * The URL the provider called, as the provider sees it: HERALD_PUBLIC_URL + path + query.
   * Providers that sign the URL (Twilio) sign this one, not the address Herald listens on.
   */
  publicUrl: string;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  rawBody: Buffer;
  /** When Herald received it (the injectable clock). */
  receivedAt: Date;
};

export type WebhookVerdict = { ok: true } | { ok: false; reason: string };

export type WebhookParse =
  /**
   * `events` may be empty: a payload acknowledged but ignored (unknown statuses). Messages users
   * sent come in `inbound` (providers that parse them); the ingest acknowledges them.
   */
  | {
      ok: true;
      events: ProviderStatusEvent[];
      inbound?: InboundUserMessage[];
      /** WhatsApp: template review and quality changes Meta pushed (providers/whatsapp-templates.ts). */
      templates?: MetaTemplateReport[];
    }
  /** Signed but not understood: answered 400, nothing stored. */
  | { ok: false; reason: string };

export type WebhookReply = { status: number; contentType: string; body: string };

/** Status reports pushed by the provider: `POST /webhooks/<name>` (and `GET` for handshakes). */
export interface ProviderWebhook {
  /** Checks the signature on the raw request; runs before anything is parsed. Never throws. */
  verify(req: InboundWebhook): WebhookVerdict;
  /** Normalises a verified payload to Herald's vocabulary. Never throws. */
  parse(req: InboundWebhook): WebhookParse;
  /** Answers a `GET` verification handshake; null refuses it (403). Absent: `GET` is 405. */
  handshake?(req: InboundWebhook): WebhookReply | null;
  /** The body of the 200 once the reports are durable (default: a small JSON). */
  acknowledgement?: Omit<WebhookReply, 'status'>;
}
