import type { MessageRow } from '../db/schema.js';
import { MEDIA_TYPES, type Channel, type MediaType } from '../vocabulary.js';
import { sendEmail, sendSms, sendWhatsApp, type SendDeps } from '../messaging/send.js';
import type { Validators } from '../messaging/validate.js';
import { invalid, quote } from './errors.js';
import type { Params } from './params.js';

// The three SMSMedia-compatible send endpoints: their parameters (also the source of the
// OpenAPI document), how parameters become the service layer's send input (the same input
// GraphQL hands it), and how the service layer's field names map back to parameter names.

export type ParamType = 'string' | 'boolean' | 'integer' | 'date-time' | 'list';

export type ParamSpec = {
  name: string;
  type: ParamType;
  required?: boolean;
  description: string;
  example?: string | number | boolean;
  enum?: readonly string[];
  /** The send-input field it becomes; ValidationErrors naming that field name this parameter. */
  field?: string;
};

/** Recipients a request sends as single messages, one bad entry refusing all; a longer list is a campaign. */
export const MAX_RECIPIENTS = 100;
/** Recipients per request at most: a campaign's recipients per call. */
export const MAX_LIST_RECIPIENTS = 10_000;
/** Highest template parameter (param1..param100), as the service layer allows. */
export const MAX_TEMPLATE_PARAMS = 100;

export type Endpoint = {
  path: string;
  channel: Channel;
  /** The channel as people say it, in messages. */
  label: string;
  summary: string;
  description: string;
  /** The parameter holding the recipients. */
  recipients: 'mobile' | 'emailids';
  params: ParamSpec[];
  /** WhatsApp only: param1..paramN. */
  templateParams: boolean;
  /** Extra validator-field → parameter mappings beyond `params[].field`. */
  extraFields?: Record<string, string>;
  /** Reads the parameters: the recipients and the send input for one of them. */
  read(p: Params): { recipients: string[]; input(recipient: string): Record<string, unknown> };
  /**
   * Validates one input exactly as the send will (throws ValidationError) and returns whether a
   * stored message is this same request (an idempotent repeat rather than a conflict).
   */
  check(validators: Validators, input: Record<string, unknown>, now: Date): (row: MessageRow) => boolean;
  send(deps: SendDeps, tenantId: string, input: Record<string, unknown>): Promise<MessageRow>;
};

const commonParams = (channel: string, serviceId: string): ParamSpec[] => [
  {
    name: 'apikey',
    type: 'string',
    description:
      'Your Herald API key. Prefer the `apikey` header (or `Authorization: Bearer`): query strings end up in proxy, browser and server logs.',
  },
  {
    name: 'serviceid',
    type: 'integer',
    description: `The ${channel} service id (${serviceId} by default, HERALD_SERVICE_IDS). Optional; another service id is refused with 400.`,
    example: Number(serviceId),
  },
  {
    name: 'idempotencykey',
    type: 'string',
    field: 'idempotencyKey',
    description:
      'Same as the `Idempotency-Key` header (for clients that can only build URLs). A repeat of the same request returns the original message ids.',
  },
  {
    name: 'externalref',
    type: 'string',
    field: 'externalRef',
    description: 'Your own reference (invoice number, order id); at most 255 characters.',
  },
  {
    name: 'callbackurl',
    type: 'string',
    field: 'callbackUrl',
    description: 'http(s) URL that receives the status changes of these messages.',
  },
  {
    name: 'sendat',
    type: 'date-time',
    field: 'sendAt',
    description:
      'ISO 8601 with a time zone (encode "+" as %2B in URLs): the messages are held as SCHEDULED until then (at most 400 days ahead).',
  },
  {
    name: 'validuntil',
    type: 'date-time',
    field: 'validUntil',
    description: 'ISO 8601 with a time zone: give up (EXPIRED) rather than send after this time.',
  },
  {
    name: 'tags',
    type: 'list',
    field: 'tags',
    description: 'Comma-separated tags (in JSON also a list), each 1 to 64 letters, digits or _ . : -; at most 20.',
  },
];

function commonInput(p: Params): Record<string, unknown> {
  return {
    externalRef: p.optional('externalref'),
    callbackUrl: p.optional('callbackurl'),
    sendAt: p.dateTime('sendat'),
    validUntil: p.dateTime('validuntil'),
    tags: p.list('tags'),
  };
}

type Common = {
  externalRef?: string | undefined;
  callbackUrl?: string | undefined;
  sendAt?: Date | undefined;
  validUntil?: Date | undefined;
  tags?: string[] | undefined;
};

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const sameTime = (a: Date | null, b: Date | undefined): boolean => (a?.getTime() ?? null) === (b?.getTime() ?? null);
const option = (row: MessageRow, key: string): unknown => row.channelOptions[key];

function sameCommon(row: MessageRow, v: Common): boolean {
  return (
    row.externalRef === (v.externalRef ?? null) &&
    row.callbackUrl === (v.callbackUrl ?? null) &&
    sameList(row.tags, v.tags ?? []) &&
    sameTime(row.sendAt, v.sendAt) &&
    sameTime(row.validUntil, v.validUntil)
  );
}

function recipients(p: Params, name: 'mobile' | 'emailids'): string[] {
  const list = p.list(name);
  if (!list || list.length === 0) throw invalid(name, 'is required');
  if (list.length > MAX_LIST_RECIPIENTS)
    throw invalid(name, `lists ${list.length} recipients; at most ${MAX_LIST_RECIPIENTS} per request`);
  return list;
}

function required(p: Params, name: string): string {
  const v = p.raw(name);
  if (v === undefined) throw invalid(name, 'is required');
  return v;
}

/** "Contains a tag" is the rule: `<p>`, `<br/>`, `</div>`, `<!DOCTYPE html>`, `<!-- -->`. */
export function looksLikeHtml(body: string): boolean {
  return /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>|<!(?:--|doctype\s)/i.test(body);
}

const whatsApp: Endpoint = {
  path: '/api/whatsapp-cloud-api/send-message-api',
  channel: 'WHATSAPP',
  label: 'WhatsApp',
  summary: 'Send a WhatsApp template message',
  description:
    'Sends an approved WhatsApp template to each number in `mobile`. Template parameters are param1..paramN, numbered from 1 without gaps.',
  recipients: 'mobile',
  templateParams: true,
  params: [
    {
      name: 'mobile',
      type: 'list',
      required: true,
      field: 'to',
      description:
        'Recipient: digits with the country code (918800001234) or E.164 (+918800001234). Several, comma-separated, give one message each; more than 100 (up to 10,000) are sent as a campaign, each judged on its own.',
      example: '918800001234',
    },
    {
      name: 'templatename',
      type: 'string',
      required: true,
      field: 'templateName',
      description: 'Approved template name (lower-case letters, digits, _).',
      example: 'invoice_due',
    },
    {
      name: 'mediatype',
      type: 'string',
      field: 'mediaType',
      enum: ['none', 'image', 'video', 'document'],
      description: 'Header media of the template, case-insensitive; default none.',
      example: 'none',
    },
    {
      name: 'mediaid',
      type: 'string',
      field: 'mediaId',
      description: 'Id of uploaded media; required unless mediatype is none. Empty means none.',
    },
    {
      name: 'language',
      type: 'string',
      field: 'language',
      description: 'Template language code (en, en_US, hi); default en.',
    },
    ...commonParams('WhatsApp', '18'),
  ],
  read(p) {
    const to = recipients(p, 'mobile');
    const templateName = required(p, 'templatename');
    const rawType = p.optional('mediatype');
    let mediaType: MediaType | undefined;
    if (rawType !== undefined) {
      const upper = rawType.toUpperCase();
      if (!(MEDIA_TYPES as readonly string[]).includes(upper))
        throw invalid('mediatype', 'must be one of none, image, video, document');
      mediaType = upper as MediaType;
    }
    const numbers = p
      .names()
      .map((n) => /^param([1-9]\d{0,5})$/.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    const highest = Math.max(0, ...numbers);
    if (highest > MAX_TEMPLATE_PARAMS)
      throw invalid(`param${highest}`, `is beyond the last template parameter, param${MAX_TEMPLATE_PARAMS}`);
    const params: string[] = [];
    for (let i = 1; i <= highest; i++) {
      const value = p.raw(`param${i}`);
      if (value === undefined)
        throw invalid(
          `param${i}`,
          `is missing: template parameters are numbered from param1 without gaps (param${highest} was given)`,
        );
      params.push(value);
    }
    const base = {
      templateName,
      language: p.optional('language'),
      params: highest > 0 ? params : undefined,
      mediaType,
      mediaId: p.optional('mediaid'),
      ...commonInput(p),
    };
    return { recipients: to, input: (recipient) => ({ ...base, to: recipient }) };
  },
  check(validators, input, now) {
    const v = validators.whatsApp(input, now);
    return (row) =>
      row.channel === 'WHATSAPP' &&
      row.recipient === v.to &&
      row.templateName === v.templateName &&
      row.templateLanguage === (v.language ?? 'en') &&
      sameList(row.templateParams ?? [], v.params ?? []) &&
      row.mediaType === (v.mediaType ?? 'NONE') &&
      row.mediaId === (v.mediaId ?? null) &&
      sameCommon(row, v);
  },
  send: (deps, tenantId, input) => sendWhatsApp(deps, tenantId, input),
};

const sms: Endpoint = {
  path: '/api/sms/send-sms-api',
  channel: 'SMS',
  label: 'SMS',
  summary: 'Send an SMS',
  description:
    'Sends `smstext` to each number in `mobile`. Encoding (GSM-7 or UCS-2) and segments are computed on accept.',
  recipients: 'mobile',
  templateParams: false,
  params: [
    {
      name: 'senderid',
      type: 'string',
      field: 'senderId',
      description: 'Alphanumeric sender id (up to 11 letters/digits) or a phone number.',
      example: 'HERALD',
    },
    {
      name: 'mobile',
      type: 'list',
      required: true,
      field: 'to',
      description:
        'Recipient: digits with the country code (918800001234) or E.164. Several, comma-separated, give one message each; more than 100 (up to 10,000) are sent as a campaign, each judged on its own.',
      example: '918800001234',
    },
    {
      name: 'smstext',
      type: 'string',
      required: true,
      field: 'text',
      description: 'The text, at most 1600 characters.',
      example: 'Your invoice INV-1001 is due',
    },
    {
      name: 'nonenglish',
      type: 'boolean',
      field: 'unicode',
      description:
        'true forces UCS-2 (Unicode); false (default) detects the encoding from the text, so non-Latin text is still sent as UCS-2.',
      example: false,
    },
    {
      name: 'flash',
      type: 'boolean',
      field: 'flash',
      description: 'Flash SMS (shown at once, not stored); default false.',
      example: false,
    },
    { name: 'peid', type: 'string', field: 'dltEntityId', description: 'India DLT principal entity id (digits).' },
    {
      name: 'templateid',
      type: 'string',
      field: 'dltTemplateId',
      description: 'India DLT content template id (digits).',
    },
    ...commonParams('SMS', '6'),
  ],
  read(p) {
    const to = recipients(p, 'mobile');
    const base = {
      senderId: p.optional('senderid'),
      text: required(p, 'smstext'),
      unicode: p.boolean('nonenglish'),
      flash: p.boolean('flash'),
      dltEntityId: p.optional('peid'),
      dltTemplateId: p.optional('templateid'),
      ...commonInput(p),
    };
    return { recipients: to, input: (recipient) => ({ ...base, to: recipient }) };
  },
  check(validators, input, now) {
    const v = validators.sms(input, now);
    return (row) =>
      row.channel === 'SMS' &&
      row.recipient === v.to &&
      row.body === v.text &&
      row.sender === (v.senderId ?? null) &&
      (option(row, 'flash') ?? false) === (v.flash ?? false) &&
      (!v.unicode || option(row, 'encoding') === 'UCS2') &&
      option(row, 'dltEntityId') === v.dltEntityId &&
      option(row, 'dltTemplateId') === v.dltTemplateId &&
      sameCommon(row, v);
  },
  send: (deps, tenantId, input) => sendSms(deps, tenantId, input),
};

const email: Endpoint = {
  path: '/api/email/send-email-api',
  channel: 'EMAIL',
  label: 'email',
  summary: 'Send an email',
  description:
    'Sends one email to each address in `emailids` (each recipient gets a message of their own and sees only their address). ' +
    '`emailbody` is sent as HTML when it contains a tag (`<p>`, `<br>`, `</b>`, `<!DOCTYPE html>`...), as plain text otherwise.',
  recipients: 'emailids',
  templateParams: false,
  extraFields: { html: 'emailbody', text: 'emailbody' },
  params: [
    {
      name: 'emailids',
      type: 'list',
      required: true,
      field: 'to',
      description:
        'Recipient addresses, comma-separated; one email each; more than 100 (up to 10,000) are sent as a campaign, each judged on its own.',
      example: 'recipient@example.com',
    },
    {
      name: 'emailsubject',
      type: 'string',
      required: true,
      field: 'subject',
      description: 'Subject line.',
      example: 'Greetings',
    },
    {
      name: 'emailbody',
      type: 'string',
      required: true,
      description: 'HTML when it contains a tag, plain text otherwise; at most 512 KB.',
      example: 'Hello',
    },
    {
      name: 'emailfrom',
      type: 'string',
      field: 'from',
      description: "Sender address; default the provider's configured sender.",
    },
    {
      name: 'attachments',
      type: 'list',
      field: 'attachments',
      description:
        'Media ids (from /api/media/upload) to attach as files, comma-separated (in JSON also a list); at most 10, together at most HERALD_EMAIL_ATTACHMENT_MAX_BYTES.',
    },
    ...commonParams('email', '10'),
  ],
  read(p) {
    const to = recipients(p, 'emailids');
    const subject = required(p, 'emailsubject');
    const body = required(p, 'emailbody');
    const base = {
      subject,
      ...(looksLikeHtml(body) ? { html: body } : { text: body }),
      from: p.optional('emailfrom'),
      attachments: p.list('attachments'),
      ...commonInput(p),
    };
    return { recipients: to, input: (recipient) => ({ ...base, to: [recipient] }) };
  },
  check(validators, input, now) {
    const v = validators.email(input, now);
    return (row) =>
      row.channel === 'EMAIL' &&
      row.recipient === v.to[0] &&
      sameList((option(row, 'to') as string[] | undefined) ?? [row.recipient], v.to) &&
      row.subject === v.subject &&
      row.body === (v.text ?? null) &&
      option(row, 'html') === v.html &&
      row.sender === (v.from ?? null) &&
      sameList(
        (option(row, 'attachments') as string[] | undefined) ?? [],
        (v.attachments ?? []).map((id) => id.toLowerCase()),
      ) &&
      sameCommon(row, v);
  },
  send: (deps, tenantId, input) => sendEmail(deps, tenantId, input),
};

export const ENDPOINTS: readonly Endpoint[] = [whatsApp, sms, email];

/** The parameter names an endpoint knows (paramN aside). */
export function knownNames(endpoint: Endpoint): Set<string> {
  return new Set(endpoint.params.map((p) => p.name));
}

/**
 * The REST parameter a service-layer field names: `to` → mobile, `params.2` → param3,
 * `text` → smstext... `idempotencyKey` is whichever carried the key.
 */
export function parameterFor(endpoint: Endpoint, field: string, idempotencyParam: string): string {
  const [head = field, index] = field.split('.');
  if (head === 'params') return `param${index !== undefined ? Number(index) + 1 : 1}`;
  if (head === 'idempotencyKey') return idempotencyParam;
  const spec = endpoint.params.find((p) => p.field === head);
  return spec?.name ?? endpoint.extraFields?.[head] ?? head;
}

/**
 * A service-layer message restated with the parameter name: `to "123" is not...` becomes
 * `mobile "123" is not...`, `to.0 is not a valid email address` becomes
 * `emailids "x" is not a valid email address`, `tags.1 ...` becomes `tags entry 2: ...`.
 */
export function restateMessage(field: string, parameter: string, message: string, recipient?: string): string {
  const rest = message.startsWith(`${field} `) ? message.slice(field.length + 1) : message;
  if (recipient !== undefined) return `${parameter} ${rest.startsWith('"') ? '' : `${quote(recipient)} `}${rest}`;
  const index = /\.(\d+)$/.exec(field)?.[1];
  if (index !== undefined && !/^param\d+$/.test(parameter)) return `${parameter} entry ${Number(index) + 1}: ${rest}`;
  return `${parameter} ${rest}`;
}
