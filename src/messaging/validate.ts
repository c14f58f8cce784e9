import parsePhoneNumber, { type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { destinationRefused, type OutboundGuard } from '../net/outbound.js';
import { jsonProblem, textProblem } from '../validation/input.js';
import { type Channel, MEDIA_TYPES, MESSAGE_CATEGORIES, type MediaType } from '../vocabulary.js';

// Send-input rules shared by every API. Each schema both checks and normalises (E.164 phone
// numbers, lower-cased addresses, trimmed strings); the first problem becomes a ValidationError
// naming the input field.

const MAX_SCHEDULE_AHEAD_MS = 400 * 24 * 3600 * 1000;

/** Files one email may attach at most (their total size is HERALD_EMAIL_ATTACHMENT_MAX_BYTES at most). */
export const MAX_EMAIL_ATTACHMENTS = 10;

/** Free text: no NUL (PostgreSQL refuses it) and no lone surrogate (stored as U+FFFD otherwise). */
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .superRefine((s, ctx) => {
      const problem = textProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

const requiredText = (max: number) =>
  text(max)
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, 'must not be empty');

const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/**
 * Accepts +E.164, international digits without the plus (918800001234, as in the SMSMedia
 * guide), 00-prefixed numbers and, when a default country is configured, national numbers.
 */
export function normalizePhone(raw: string, defaultCountry?: string): string | null {
  const cleaned = raw.trim().replace(/[\s().-]/g, '');
  if (!/^\+?\d{4,17}$/.test(cleaned)) return null;
  const candidates: Array<() => ReturnType<typeof parsePhoneNumber>> = [];
  if (cleaned.startsWith('+')) candidates.push(() => parsePhoneNumber(cleaned));
  else if (cleaned.startsWith('00')) candidates.push(() => parsePhoneNumber(`+${cleaned.slice(2)}`));
  else {
    if (defaultCountry) candidates.push(() => parsePhoneNumber(cleaned, defaultCountry as CountryCode));
    candidates.push(() => parsePhoneNumber(`+${cleaned}`));
  }
  for (const parse of candidates) {
    const parsed = parse();
    if (parsed?.isValid()) return parsed.number;
  }
  return null;
}

const phone = (defaultCountry?: string) =>
  z.string().transform((raw, ctx) => {
    const e164 = normalizePhone(raw, defaultCountry);
    if (!e164) {
      ctx.addIssue({
        code: 'custom',
        message: `"${raw.slice(0, 40)}" is not a valid phone number; use E.164 (+918800001234) or digits with the country code`,
      });
      return z.NEVER;
    }
    return e164;
  });

const email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('is not a valid email address'))
  .transform((s) => s.toLowerCase());

const common = {
  idempotencyKey: optional(requiredText(255)),
  externalRef: optional(requiredText(255)),
  metadata: optional(
    z.unknown().superRefine((value, ctx) => {
      // Shape first: stringifying JSON nested thousands deep would exhaust the stack.
      const found = jsonProblem(value);
      if (found)
        return ctx.addIssue({
          code: 'custom',
          message: found.path ? `${found.problem} (at metadata.${found.path.slice(0, 120)})` : found.problem,
        });
      const json = JSON.stringify(value);
      if (json === undefined) ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      else if (json.length > 16_384) ctx.addIssue({ code: 'custom', message: 'must be at most 16 KB of JSON' });
    }),
  ),
  tags: optional(
    z
      .array(z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'tags are 1 to 64 letters, digits or _ . : -'))
      .max(20, 'at most 20 tags'),
  ),
  sendAt: optional(z.date()),
  validUntil: optional(z.date()),
  /** Why the message is sent: MARKETING sends are refused to suppressed recipients; absent means uncategorised. */
  category: optional(z.enum(MESSAGE_CATEGORIES, `must be one of ${MESSAGE_CATEGORIES.join(', ')}`)),
  callbackUrl: optional(
    text(2048).refine((s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'must be an http(s) URL'),
  ),
};

function smsSchema(defaultCountry?: string) {
  return z.object({
    to: phone(defaultCountry),
    senderId: optional(
      z
        .string()
        .trim()
        .regex(/^(?:[A-Za-z0-9 ]{1,11}|\+?\d{3,15})$/, 'must be up to 11 letters/digits or a phone number'),
    ),
    text: requiredText(1600),
    unicode: optional(z.boolean()),
    flash: optional(z.boolean()),
    dltEntityId: optional(
      z
        .string()
        .trim()
        .regex(/^\d{1,30}$/, 'must be the numeric DLT entity (PE) id'),
    ),
    dltTemplateId: optional(
      z
        .string()
        .trim()
        .regex(/^\d{1,30}$/, 'must be the numeric DLT template id'),
    ),
    ...common,
  });
}

function whatsAppSchema(defaultCountry?: string) {
  return z
    .object({
      to: phone(defaultCountry),
      templateName: z
        .string()
        .trim()
        .regex(/^[a-z0-9_]{1,512}$/, 'template names are lower-case letters, digits and underscores'),
      language: optional(
        z
          .string()
          .trim()
          .regex(/^[a-z]{2,3}(?:_[A-Z]{2})?$/, 'must be a language code such as en or en_US'),
      ),
      params: optional(z.array(requiredText(1024)).max(100, 'at most 100 parameters')),
      mediaType: optional(z.enum(MEDIA_TYPES, `must be one of ${MEDIA_TYPES.join(', ')}`)),
      mediaId: optional(requiredText(200)),
      ...common,
    })
    .superRefine((v, ctx) => {
      const type: MediaType = v.mediaType ?? 'NONE';
      if (type !== 'NONE' && !v.mediaId) {
        ctx.addIssue({ code: 'custom', path: ['mediaId'], message: `is required when mediaType is ${type}` });
      }
      if (type === 'NONE' && v.mediaId) {
        ctx.addIssue({
          code: 'custom',
          path: ['mediaType'],
          message: 'must be IMAGE, VIDEO or DOCUMENT when mediaId is given',
        });
      }
    });
}

const emailSchema = z
  .object({
    to: z.array(email).min(1, 'at least one recipient').max(50, 'at most 50 recipients'),
    cc: optional(z.array(email).max(50, 'at most 50 recipients')),
    bcc: optional(z.array(email).max(50, 'at most 50 recipients')),
    from: optional(email),
    subject: requiredText(998),
    html: optional(requiredText(512 * 1024)),
    text: optional(requiredText(512 * 1024)),
    /** Herald media ids of the tenant, attached as files (checked against the media table on accept). */
    attachments: optional(
      z.array(requiredText(200)).max(MAX_EMAIL_ATTACHMENTS, `at most ${MAX_EMAIL_ATTACHMENTS} attachments`),
    ),
    ...common,
  })
  .superRefine((v, ctx) => {
    if (!v.html && !v.text) ctx.addIssue({ code: 'custom', path: ['text'], message: 'html or text is required' });
  });

export type SmsInput = z.input<ReturnType<typeof smsSchema>>;
export type WhatsAppInput = z.input<ReturnType<typeof whatsAppSchema>>;
export type EmailInput = z.input<typeof emailSchema>;
export type ValidSms = z.output<ReturnType<typeof smsSchema>>;
export type ValidWhatsApp = z.output<ReturnType<typeof whatsAppSchema>>;
export type ValidEmail = z.output<typeof emailSchema>;
type Timing = { sendAt?: Date | undefined; validUntil?: Date | undefined };

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || 'input';
  throw new ValidationError(field, `${field} ${issue.message}`);
}

function checkTiming(v: Timing, now: Date): void {
  const horizon = now.getTime() + MAX_SCHEDULE_AHEAD_MS;
  if (v.sendAt && v.sendAt.getTime() > horizon) throw new ValidationError('sendAt', 'sendAt must be within 400 days');
  if (v.validUntil) {
    if (v.validUntil.getTime() <= now.getTime())
      throw new ValidationError('validUntil', 'validUntil must be in the future');
    if (v.sendAt && v.validUntil.getTime() <= v.sendAt.getTime()) {
      throw new ValidationError('validUntil', 'validUntil must be after sendAt');
    }
    if (v.validUntil.getTime() > horizon) throw new ValidationError('validUntil', 'validUntil must be within 400 days');
  }
}

/** Builds the validators once per default country. */
/**
 * `outbound` judges callbackUrl's host here (address literals in any spelling, reserved names)
 * without a DNS lookup on the send path; the callback's connection is guarded again when made.
 */
export function createValidators(defaultCountry?: string, outbound?: OutboundGuard) {
  const sms = smsSchema(defaultCountry);
  const whatsApp = whatsAppSchema(defaultCountry);
  const phoneNumber = phone(defaultCountry);
  const withTiming =
    <T extends Timing & { callbackUrl?: string | undefined }>(fn: (input: unknown) => T) =>
    (input: unknown, now: Date): T => {
      const v = fn(input);
      checkTiming(v, now);
      if (outbound && v.callbackUrl) {
        const why = outbound.hostRefusal(new URL(v.callbackUrl).hostname);
        if (why) throw destinationRefused('callbackUrl', why);
      }
      return v;
    };
  return {
    sms: withTiming((input) => parse(sms, input)),
    whatsApp: withTiming((input) => parse(whatsApp, input)),
    email: withTiming((input) => parse(emailSchema, input)),
    /**
     * A recipient of `channel` exactly as sends store it (E.164 phone number, lower-case email
     * address), or why it is not one: suppressions are compared with messages' recipients.
     */
    address: (channel: Channel, raw: unknown): { ok: true; value: string } | { ok: false; message: string } => {
      const result = (channel === 'EMAIL' ? email : phoneNumber).safeParse(raw);
      return result.success
        ? { ok: true, value: result.data }
        : { ok: false, message: result.error.issues[0]!.message };
    },
    /** Normalises a recipient given as a filter: phone numbers to E.164, addresses to lower case. */
    recipient: (raw: string): string =>
      raw.includes('@') ? raw.trim().toLowerCase() : (normalizePhone(raw, defaultCountry) ?? raw.trim()),
  };
}

export type Validators = ReturnType<typeof createValidators>;
