import { ValidationError } from '../errors.js';
import { checkEmailAttachments } from '../media/email-attachments.js';
import { checkTemplateMedia } from '../media/template-media.js';
import type { SendDeps } from '../messaging/send.js';
import { paramCountOf, placeholderProblem } from '../templates/placeholders.js';
import type { Channel } from '../vocabulary.js';

// What every message of a campaign sends, checked once when the campaign is created, exactly as
// a single send of that channel is checked (the channel's own validator, template registry,
// header media, attachments). Placeholders follow the template registry's one rule: {{1}},
// {{2}}, ... in SMS text and in email subject, html and text, filled by each recipient's
// `params` in order (params[0] fills {{1}}); WhatsApp params go to the provider's template as
// they are.

export type SmsContent = {
  text: string;
  senderId?: string | undefined;
  unicode?: boolean | undefined;
  flash?: boolean | undefined;
  dltEntityId?: string | undefined;
  dltTemplateId?: string | undefined;
};
export type WhatsAppContent = {
  templateName: string;
  language: string;
  mediaType: string;
  mediaId?: string | undefined;
};
export type EmailContent = {
  subject: string;
  html?: string | undefined;
  text?: string | undefined;
  from?: string | undefined;
  attachments?: string[] | undefined;
};

/** The stored content (campaigns.content) of each channel. */
export type CampaignContent =
  | { channel: 'SMS'; sms: SmsContent }
  | { channel: 'WHATSAPP'; whatsApp: WhatsAppContent }
  | { channel: 'EMAIL'; email: EmailContent };

/** The campaign-wide fields every message carries, as a single send takes them. */
export type CampaignDefaults = {
  tags?: string[] | undefined;
  sendAt?: Date | undefined;
  validUntil?: Date | undefined;
  callbackUrl?: string | undefined;
};

export type ContentChecks = Pick<SendDeps, 'validators' | 'media' | 'templates' | 'emailAttachmentMaxBytes'>;

// A stand-in recipient: content is checked by the channel's send validator, which wants one.
const PROBE_PHONE = '+918800001234';
const PROBE_EMAIL = 'campaign@example.com';

const CONTENT_KEY = { SMS: 'sms', WHATSAPP: 'whatsApp', EMAIL: 'email' } as const;
const COMMON_FIELDS = new Set(['tags', 'sendAt', 'validUntil', 'callbackUrl']);

/** A validator's field as the campaign input names it: content.sms.text, or tags.0 as is. */
function renamed(err: unknown, channel: Channel): unknown {
  if (!(err instanceof ValidationError)) return err;
  const top = err.field.split('.')[0]!;
  if (COMMON_FIELDS.has(top) || top === 'content') return err;
  const field = `content.${CONTENT_KEY[channel]}.${err.field}`;
  return new ValidationError(
    field,
    err.message.startsWith(err.field) ? `${field}${err.message.slice(err.field.length)}` : err.message,
  );
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** Texts holding placeholders must use the numbered form without gaps. */
function checkPlaceholders(channel: Channel, texts: Record<string, string | undefined>): void {
  for (const [name, text] of Object.entries(texts)) {
    const problem = text ? placeholderProblem(text) : null;
    if (problem)
      throw new ValidationError(
        `content.${CONTENT_KEY[channel]}.${name}`,
        `content.${CONTENT_KEY[channel]}.${name} ${problem}`,
      );
  }
  const count = paramCountOf(Object.values(texts));
  if ('gap' in count) {
    const field = `content.${CONTENT_KEY[channel]}`;
    throw new ValidationError(
      field,
      `${field} uses {{${count.highest}}} but not {{${count.gap}}}: number placeholders from 1 without gaps`,
    );
  }
}

/**
 * Checks the content given for `channel` (only that channel's member may be given) with the
 * campaign's defaults, and returns what is stored.
 */
export async function checkContent(
  deps: ContentChecks,
  tenantId: string,
  channel: Channel,
  input: unknown,
  defaults: CampaignDefaults,
  now: Date,
): Promise<CampaignContent> {
  const given = asRecord(input) ?? {};
  for (const [key, value] of Object.entries(given)) {
    if (value !== null && value !== undefined && key !== CONTENT_KEY[channel])
      throw new ValidationError(
        `content.${key}`,
        `content.${key} is not for a ${channel} campaign; give content.${CONTENT_KEY[channel]}`,
      );
  }
  const content = asRecord(given[CONTENT_KEY[channel]]);
  if (!content) {
    const field = `content.${CONTENT_KEY[channel]}`;
    throw new ValidationError(field, `${field} is required for a ${channel} campaign`);
  }
  try {
    if (channel === 'SMS') {
      const v = deps.validators.sms({ ...content, ...defaults, to: PROBE_PHONE }, now);
      checkPlaceholders(channel, { text: v.text });
      // A registered DLT template: the text with its placeholders must be the template's body.
      await deps.templates.sms(tenantId, v);
      return {
        channel,
        sms: {
          text: v.text,
          senderId: v.senderId,
          unicode: v.unicode,
          flash: v.flash,
          dltEntityId: v.dltEntityId,
          dltTemplateId: v.dltTemplateId,
        },
      };
    }
    if (channel === 'WHATSAPP') {
      const v = deps.validators.whatsApp({ ...content, ...defaults, to: PROBE_PHONE }, now);
      if (v.params !== undefined)
        throw new ValidationError(
          'params',
          'params are given per recipient (addCampaignRecipients), not in the content',
        );
      const whatsApp = { templateName: v.templateName, language: v.language ?? 'en', mediaType: v.mediaType ?? 'NONE' };
      try {
        await deps.templates.whatsApp(tenantId, whatsApp);
      } catch (err) {
        // The parameter count is each recipient's: checked when recipients are added.
        if (!(err instanceof ValidationError && err.field === 'params')) throw err;
      }
      if (v.mediaType && v.mediaType !== 'NONE' && v.mediaId)
        await checkTemplateMedia(deps.media, tenantId, v.mediaType, v.mediaId);
      return { channel, whatsApp: { ...whatsApp, mediaId: v.mediaId } };
    }
    const v = deps.validators.email({ ...content, ...defaults, to: [PROBE_EMAIL] }, now);
    checkPlaceholders(channel, { subject: v.subject, html: v.html, text: v.text });
    const attachments = v.attachments?.length
      ? await checkEmailAttachments(deps.media, tenantId, v.attachments, deps.emailAttachmentMaxBytes)
      : undefined;
    return { channel, email: { subject: v.subject, html: v.html, text: v.text, from: v.from, attachments } };
  } catch (err) {
    throw renamed(err, channel);
  }
}

/** How many params each recipient must give: the highest placeholder (null: the template decides, WhatsApp). */
export function paramCount(content: CampaignContent): number | null {
  if (content.channel === 'WHATSAPP') return null;
  const texts =
    content.channel === 'SMS' ? [content.sms.text] : [content.email.subject, content.email.html, content.email.text];
  const count = paramCountOf(texts);
  return 'count' in count ? count.count : count.highest;
}

/** The sender every message of the campaign is sent from (null: the provider's default). */
export function senderOf(content: CampaignContent): string | null {
  if (content.channel === 'SMS') return content.sms.senderId ?? null;
  if (content.channel === 'EMAIL') return content.email.from ?? null;
  return null;
}
