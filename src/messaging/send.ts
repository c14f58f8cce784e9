import type { MessageRow } from '../db/schema.js';
import { RecipientSuppressedError } from '../errors.js';
import { newId } from '../ids.js';
import { inSpan } from '../observability/tracing.js';
import { checkEmailAttachments } from '../media/email-attachments.js';
import { checkTemplateMedia, type MediaLookup } from '../media/template-media.js';
import type { TemplateChecks } from '../templates/send-checks.js';
import type { MessageWriter } from './message-writer.js';
import { layoutSms } from './sms-encoding.js';
import type { Validators } from './validate.js';
import { MESSAGE_CATEGORIES, type Channel, type MessageCategory } from '../vocabulary.js';

// The single entry point for accepting messages, used by GraphQL and REST alike: validate and
// normalise, then store durably as QUEUED (or SCHEDULED when sendAt lies ahead).

export type SendDeps = {
  writer: MessageWriter;
  validators: Validators;
  now: () => Date;
  /** Finds a tenant's uploaded media (WhatsApp header media ids are checked on accept). */
  media: MediaLookup;
  /** Largest total size of the media one email attaches (HERALD_EMAIL_ATTACHMENT_MAX_BYTES). */
  emailAttachmentMaxBytes: number;
  /** The tenant's template registry: parameter count, header media, status, strict mode. */
  templates: TemplateChecks;
  /** The tenant's opt-outs, asked about MARKETING sends only. */
  optOuts: OptOutChecks;
};

export type OptOutChecks = {
  /** Which of the recipients are on the tenant's suppression list for the channel (key lookups). */
  suppressedAmong(tenantId: string, channel: Channel, recipients: readonly string[]): Promise<Set<string>>;
  /** The message already stored under an idempotency key, if any. */
  original(tenantId: string, idempotencyKey: string): Promise<MessageRow | undefined>;
};

type CommonFields = {
  idempotencyKey?: string | undefined;
  externalRef?: string | undefined;
  metadata?: unknown;
  tags?: string[] | undefined;
  sendAt?: Date | undefined;
  validUntil?: Date | undefined;
  callbackUrl?: string | undefined;
  category?: MessageCategory | undefined;
};

function baseRow(tenantId: string, v: CommonFields, now: Date) {
  const scheduled = v.sendAt !== undefined && v.sendAt.getTime() > now.getTime();
  return {
    id: newId(now.getTime()),
    tenantId,
    status: scheduled ? ('SCHEDULED' as const) : ('QUEUED' as const),
    statusAt: now,
    nextAttemptAt: scheduled ? v.sendAt! : now,
    idempotencyKey: v.idempotencyKey ?? null,
    externalRef: v.externalRef ?? null,
    metadata: v.metadata ?? null,
    tags: v.tags ?? [],
    sendAt: v.sendAt ?? null,
    validUntil: v.validUntil ?? null,
    callbackUrl: v.callbackUrl ?? null,
    category: v.category ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Accepting is a span of its own: the message stores its context (MessageWriter), so its
 * dispatch, later and maybe elsewhere, continues the trace from here.
 */
function accepting(channel: Channel, accept: () => Promise<MessageRow>): Promise<MessageRow> {
  return inSpan('message.accept', { attributes: { 'herald.channel': channel } }, async (span) => {
    const row = await accept();
    span.setAttribute('herald.message_id', row.id);
    return row;
  });
}

export const sendSms = (deps: SendDeps, tenantId: string, input: unknown): Promise<MessageRow> =>
  accepting('SMS', () => acceptSms(deps, tenantId, input));

export const sendWhatsApp = (deps: SendDeps, tenantId: string, input: unknown): Promise<MessageRow> =>
  accepting('WHATSAPP', () => acceptWhatsApp(deps, tenantId, input));

export const sendEmail = (deps: SendDeps, tenantId: string, input: unknown): Promise<MessageRow> =>
  accepting('EMAIL', () => acceptEmail(deps, tenantId, input));

async function acceptSms(deps: SendDeps, tenantId: string, input: unknown): Promise<MessageRow> {
  const now = deps.now();
  const v = deps.validators.sms(input, now);
  // A registered DLT template: its text and entity id (templates/send-checks.ts).
  await deps.templates.sms(tenantId, v);
  const layout = layoutSms(v.text, v.unicode ?? false);
  const original = await refuseOptedOut(deps, tenantId, 'SMS', [v.to], v);
  if (original) return original;
  return deps.writer.insert({
    ...baseRow(tenantId, v, now),
    channel: 'SMS',
    recipient: v.to,
    sender: v.senderId ?? null,
    body: v.text,
    channelOptions: {
      encoding: layout.encoding,
      segments: layout.segments,
      flash: v.flash ?? false,
      ...(v.dltEntityId ? { dltEntityId: v.dltEntityId } : {}),
      ...(v.dltTemplateId ? { dltTemplateId: v.dltTemplateId } : {}),
    },
  });
}

async function acceptWhatsApp(deps: SendDeps, tenantId: string, input: unknown): Promise<MessageRow> {
  const now = deps.now();
  const v = deps.validators.whatsApp(input, now);
  // WhatsApp sends are always templates (no free-form text); a registered one must fit its
  // registration, an unknown one passes unless the tenant is strict (templates/send-checks.ts).
  const registered = await deps.templates.whatsApp(tenantId, v);
  // Without a category of its own, the send is what its registered template is.
  const category = v.category ?? categoryOf(registered);
  // Header media: the tenant's upload of the named kind, or an http(s) link the provider fetches.
  if (v.mediaType && v.mediaType !== 'NONE' && v.mediaId)
    await checkTemplateMedia(deps.media, tenantId, v.mediaType, v.mediaId);
  const original = await refuseOptedOut(deps, tenantId, 'WHATSAPP', [v.to], { ...v, category });
  if (original) return original;
  return deps.writer.insert({
    ...baseRow(tenantId, { ...v, category }, now),
    channel: 'WHATSAPP',
    recipient: v.to,
    templateName: v.templateName,
    templateLanguage: v.language ?? 'en',
    templateParams: v.params ?? [],
    mediaType: v.mediaType ?? 'NONE',
    mediaId: v.mediaId ?? null,
    channelOptions: {},
  });
}

async function acceptEmail(deps: SendDeps, tenantId: string, input: unknown): Promise<MessageRow> {
  const now = deps.now();
  const v = deps.validators.email(input, now);
  // Attachments: the tenant's uploads, within the total size an email may carry.
  const attachments = v.attachments?.length
    ? await checkEmailAttachments(deps.media, tenantId, v.attachments, deps.emailAttachmentMaxBytes)
    : [];
  const original = await refuseOptedOut(deps, tenantId, 'EMAIL', v.to, v);
  if (original) return original;
  return deps.writer.insert({
    ...baseRow(tenantId, v, now),
    channel: 'EMAIL',
    recipient: v.to[0]!,
    sender: v.from ?? null,
    subject: v.subject,
    body: v.text ?? null,
    channelOptions: {
      to: v.to,
      cc: v.cc ?? [],
      bcc: v.bcc ?? [],
      ...(v.html ? { html: v.html } : {}),
      ...(attachments.length > 0 ? { attachments } : {}),
    },
  });
}

/** A registered template's category, when it is one of Herald's (registries hold free text). */
function categoryOf(registered: string | null): MessageCategory | undefined {
  const word = registered?.trim().toUpperCase();
  return MESSAGE_CATEGORIES.find((c) => c === word);
}

/**
 * A MARKETING send to a suppressed recipient (an email: any of its To addresses) is refused: one
 * primary-key lookup, for MARKETING sends only; other categories and uncategorised sends are
 * never looked up. A repeat of a send accepted before the opt-out is still answered with its
 * original, as every idempotent repeat is.
 */
async function refuseOptedOut(
  deps: SendDeps,
  tenantId: string,
  channel: Channel,
  to: readonly string[],
  v: { category?: MessageCategory | undefined; idempotencyKey?: string | undefined },
): Promise<MessageRow | undefined> {
  if (v.category !== 'MARKETING') return undefined;
  const suppressed = await deps.optOuts.suppressedAmong(tenantId, channel, to);
  const index = to.findIndex((r) => suppressed.has(r));
  if (index < 0) return undefined;
  const original = v.idempotencyKey ? await deps.optOuts.original(tenantId, v.idempotencyKey) : undefined;
  if (original) return original;
  throw new RecipientSuppressedError(channel === 'EMAIL' ? `to.${index}` : 'to', channel, to[index]!);
}
