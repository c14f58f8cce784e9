import { and, asc, eq, inArray, ne, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { templates, tenants, type TemplateRow, type TenantRow } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { CHANNELS, TEMPLATE_STATUSES, type Channel } from '../vocabulary.js';
import { isUuid } from '../ids.js';
import { checkJson, checkOptionalText, checkText } from '../validation/input.js';
import { fillPlaceholders, paramCountOf, placeholderProblem } from './placeholders.js';

// A tenant's template registry: WhatsApp templates (as approved upstream), SMS templates with
// their India DLT ids, email templates (subject, text and html sharing one set of variables).
// Every query is scoped by the tenant; send-time checks against it are in send-checks.ts.

export { TEMPLATE_STATUSES, type TemplateStatus } from '../vocabulary.js';
export const HEADER_KINDS = ['NONE', 'TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT'] as const;
export type HeaderKind = (typeof HEADER_KINDS)[number];

export const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
export const TEMPLATE_LANGUAGE = /^[a-z]{2,3}(?:_[A-Z]{2})?$/;
const DLT_ID = /^\d{1,30}$/;
const MAX_LIST = 500;
/** As many as a send may carry (validate.ts). */
const MAX_PARAMS = 100;
const BODY_MAX: Record<Channel, number> = { WHATSAPP: 1024, SMS: 1600, EMAIL: 512 * 1024 };

type Opt<T> = T | null | undefined;

export type TemplateInput = {
  channel: string;
  name: string;
  language?: Opt<string>;
  category?: Opt<string>;
  body: string;
  headerKind?: Opt<string>;
  headerText?: Opt<string>;
  buttons?: Opt<readonly unknown[]>;
  status?: Opt<string>;
  dltEntityId?: Opt<string>;
  dltTemplateId?: Opt<string>;
  subject?: Opt<string>;
  html?: Opt<string>;
};

/** Omitted (undefined) keeps a field; null clears an optional one (and keeps a required one). */
export type TemplatePatch = { [K in Exclude<keyof TemplateInput, 'channel'>]?: Opt<NonNullable<TemplateInput[K]>> };

export type TemplateFilter = {
  channel?: Opt<string>;
  name?: Opt<string>;
  language?: Opt<string>;
  status?: Opt<string>;
};

/** What a tenant writes; Meta's side (metaTemplateId, rejectionReason, ...) is lifecycle.ts's. */
type Fields = Omit<
  TemplateRow,
  'id' | 'tenantId' | 'createdAt' | 'updatedAt' | 'metaTemplateId' | 'rejectionReason' | 'qualityRating' | 'syncedAt'
>;

function text(field: string, value: Opt<string>, max: number, required = false): string | null {
  const v = checkOptionalText(field, value)?.trim() ?? '';
  if (v.length === 0) {
    if (required) throw new ValidationError(field, `${field} must not be empty`);
    return null;
  }
  if (v.length > max) throw new ValidationError(field, `${field} must be at most ${max} characters`);
  return v;
}

function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new ValidationError(field, `${field} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function checkPlaceholders(field: string, value: string | null): void {
  const problem = value === null ? null : placeholderProblem(value);
  if (problem) throw new ValidationError(field, `${field} ${problem}`);
}

/** Checks and normalises a complete template; returns the row's fields with paramCount. */
function checkTemplate(input: TemplateInput): Fields {
  const channel = oneOf('channel', input.channel, CHANNELS);
  const name = checkText('name', input.name).trim();
  if (!TEMPLATE_NAME.test(name))
    throw new ValidationError('name', 'name must be 1 to 512 lower-case letters, digits and underscores');
  const language = (input.language ?? 'en').trim();
  if (!TEMPLATE_LANGUAGE.test(language))
    throw new ValidationError('language', 'language must be a language code such as en or en_US');
  const category = text('category', input.category, 100);
  const body = text('body', input.body, BODY_MAX[channel], true)!;
  const status = oneOf('status', input.status ?? 'APPROVED', TEMPLATE_STATUSES);
  const headerKind = oneOf('headerKind', input.headerKind ?? 'NONE', HEADER_KINDS);
  const headerText = text('headerText', input.headerText, 60);
  const buttons = [...(input.buttons ?? [])];
  // Shape before anything stringifies them: nested thousands deep they would exhaust the stack.
  for (const [i, b] of buttons.entries()) checkJson(`buttons.${i}`, b);
  const dltEntityId = text('dltEntityId', input.dltEntityId, 30);
  const dltTemplateId = text('dltTemplateId', input.dltTemplateId, 30);
  const subject = text('subject', input.subject, 998);
  const html = text('html', input.html, 512 * 1024);

  const only = (field: string, value: unknown, on: Channel) => {
    if (value !== null && channel !== on) throw new ValidationError(field, `${field} is for ${on} templates only`);
  };
  only('dltEntityId', dltEntityId, 'SMS');
  only('dltTemplateId', dltTemplateId, 'SMS');
  only('subject', subject, 'EMAIL');
  only('html', html, 'EMAIL');
  if (channel !== 'WHATSAPP' && headerKind !== 'NONE')
    throw new ValidationError('headerKind', 'headerKind is for WHATSAPP templates only; use NONE');
  if (channel !== 'WHATSAPP' && buttons.length > 0)
    throw new ValidationError('buttons', 'buttons are for WHATSAPP templates only');
  if (headerKind === 'TEXT' && headerText === null)
    throw new ValidationError('headerText', 'headerText is required when headerKind is TEXT');
  if (headerKind !== 'TEXT' && headerText !== null)
    throw new ValidationError('headerText', `headerText is only for a TEXT header (headerKind is ${headerKind})`);
  if (headerText !== null && /\{\{/.test(headerText)) {
    throw new ValidationError('headerText', 'headerText must not have placeholders: Herald sends body parameters only');
  }
  if (channel === 'EMAIL' && subject === null)
    throw new ValidationError('subject', 'subject is required for EMAIL templates');
  if (dltEntityId !== null && !DLT_ID.test(dltEntityId))
    throw new ValidationError('dltEntityId', 'dltEntityId must be the numeric DLT entity (PE) id');
  if (dltTemplateId !== null && !DLT_ID.test(dltTemplateId))
    throw new ValidationError('dltTemplateId', 'dltTemplateId must be the numeric DLT template id');
  if (buttons.length > 10) throw new ValidationError('buttons', 'buttons must be at most 10');
  buttons.forEach((b, i) => {
    if (typeof b !== 'object' || b === null || Array.isArray(b))
      throw new ValidationError(`buttons.${i}`, `buttons.${i} must be a JSON object`);
  });
  const json = JSON.stringify(buttons);
  if (json.length > 16_384) throw new ValidationError('buttons', 'buttons must be at most 16 KB of JSON');

  checkPlaceholders('body', body);
  checkPlaceholders('subject', subject);
  checkPlaceholders('html', html);
  const counted = paramCountOf([body, subject, html]);
  if ('gap' in counted) {
    throw new ValidationError(
      'body',
      `body placeholders must be numbered from {{1}} without gaps: {{${counted.gap}}} is missing (the highest is {{${counted.highest}}})`,
    );
  }
  if (counted.count > MAX_PARAMS)
    throw new ValidationError('body', `body must have at most ${MAX_PARAMS} placeholders`);

  return {
    channel,
    name,
    language,
    category,
    body,
    paramCount: counted.count,
    headerKind,
    headerText,
    buttons,
    status,
    dltEntityId,
    dltTemplateId,
    subject,
    html,
  };
}

const isUniqueViolation = (err: unknown): boolean => {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
};

const alreadyExists = (f: Pick<Fields, 'channel' | 'name' | 'language'>) =>
  new ValidationError(
    'name',
    `name ${f.name} (${f.language}) already exists: the tenant has a ${f.channel} template of that name and language`,
  );

/** A DLT template id names one SMS template of the tenant (send-time checks find it by that id). */
async function checkDltTemplateFree(db: Db, tenantId: string, f: Fields, exceptId?: string): Promise<void> {
  if (f.channel !== 'SMS' || f.dltTemplateId === null) return;
  const conds: SQL[] = [
    eq(templates.tenantId, tenantId),
    eq(templates.channel, 'SMS'),
    eq(templates.dltTemplateId, f.dltTemplateId),
  ];
  if (exceptId) conds.push(ne(templates.id, exceptId));
  const [taken] = await db
    .select({ name: templates.name, language: templates.language })
    .from(templates)
    .where(and(...conds))
    .limit(1);
  if (taken) {
    throw new ValidationError(
      'dltTemplateId',
      `dltTemplateId ${f.dltTemplateId} is already used by SMS template ${taken.name} (${taken.language})`,
    );
  }
}

async function writing<T>(f: Fields, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadyExists(f);
    throw err;
  }
}

export async function createTemplate(db: Db, tenantId: string, input: TemplateInput, now: Date): Promise<TemplateRow> {
  const f = checkTemplate(input);
  await checkDltTemplateFree(db, tenantId, f);
  const [row] = await writing(f, () =>
    db
      .insert(templates)
      .values({ id: newId(now.getTime()), tenantId, ...f, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning(),
  );
  if (!row) throw alreadyExists(f);
  return row;
}

export async function updateTemplate(
  db: Db,
  tenantId: string,
  id: string,
  patch: TemplatePatch,
  now: Date,
): Promise<TemplateRow> {
  const current = await getTemplate(db, tenantId, id);
  if (!current) throw new NotFoundError('Template', id);
  const keep = <K extends keyof TemplatePatch>(k: K, required = false): TemplateInput[K] => {
    const v = patch[k];
    if (v === undefined || (v === null && required)) return current[k as keyof TemplateRow] as TemplateInput[K];
    return v as TemplateInput[K];
  };
  const f = checkTemplate({
    channel: current.channel,
    name: keep('name', true) as string,
    language: keep('language', true),
    category: keep('category'),
    body: keep('body', true) as string,
    headerKind: keep('headerKind', true),
    headerText: keep('headerText'),
    buttons: keep('buttons', true),
    status: keep('status', true),
    dltEntityId: keep('dltEntityId'),
    dltTemplateId: keep('dltTemplateId'),
    subject: keep('subject'),
    html: keep('html'),
  });
  await checkDltTemplateFree(db, tenantId, f, current.id);
  const [row] = await writing(f, () =>
    db
      .update(templates)
      .set({ ...f, updatedAt: now })
      .where(and(eq(templates.id, current.id), eq(templates.tenantId, tenantId)))
      .returning(),
  );
  if (!row) throw new NotFoundError('Template', id);
  return row;
}

export async function deleteTemplate(db: Db, tenantId: string, id: string): Promise<TemplateRow> {
  if (!isUuid(id)) throw new NotFoundError('Template', id);
  const [row] = await db
    .delete(templates)
    .where(and(eq(templates.id, id.toLowerCase()), eq(templates.tenantId, tenantId)))
    .returning();
  if (!row) throw new NotFoundError('Template', id);
  return row;
}

export async function getTemplate(db: Db, tenantId: string, id: string): Promise<TemplateRow | undefined> {
  return (await getTemplates(db, tenantId, [id]))[0];
}

/** Loads templates by id, only the tenant's; unknown or foreign ids yield undefined. */
export async function getTemplates(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<(TemplateRow | undefined)[]> {
  const valid = ids.filter(isUuid).map((id) => id.toLowerCase());
  if (valid.length === 0) return ids.map(() => undefined);
  const rows = await db
    .select()
    .from(templates)
    .where(and(eq(templates.tenantId, tenantId), inArray(templates.id, valid)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id.toLowerCase()));
}

/** By channel, name and language; at most 500. */
export function listTemplates(db: Db, tenantId: string, filter: TemplateFilter = {}): Promise<TemplateRow[]> {
  const conds: SQL[] = [eq(templates.tenantId, tenantId)];
  checkOptionalText('name', filter.name);
  checkOptionalText('language', filter.language);
  checkOptionalText('status', filter.status);
  if (filter.channel) conds.push(eq(templates.channel, oneOf('channel', filter.channel, CHANNELS)));
  if (filter.name) conds.push(eq(templates.name, filter.name.trim()));
  if (filter.language) conds.push(eq(templates.language, filter.language.trim()));
  if (filter.status) conds.push(eq(templates.status, filter.status));
  return db
    .select()
    .from(templates)
    .where(and(...conds))
    .orderBy(asc(templates.channel), asc(templates.name), asc(templates.language))
    .limit(MAX_LIST);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "template invoice_due (en) expects 4 parameters, got 2", or null when the count is right. */
export function paramCountProblem(
  t: Pick<TemplateRow, 'name' | 'language' | 'paramCount'>,
  given: number,
): string | null {
  return given === t.paramCount
    ? null
    : `template ${t.name} (${t.language}) expects ${plural(t.paramCount, 'parameter')}, got ${given}`;
}

/** The languages a name is registered in, for "not in this language" refusals. */
export function languageProblem(name: string, language: string, registered: readonly string[]): string {
  return `template ${name} is not registered in ${language}; its languages are ${[...registered].sort().join(', ')}`;
}

export type TemplatePreview = {
  template: TemplateRow;
  text: string;
  headerText: string | null;
  subject: string | null;
  html: string | null;
};

/** The template filled in with the parameters, as a send with them would carry it. */
export async function previewTemplate(
  db: Db,
  tenantId: string,
  args: { channel: string; name: string; language?: Opt<string>; params?: Opt<readonly string[]> },
): Promise<TemplatePreview> {
  const channel = oneOf('channel', args.channel, CHANNELS);
  checkText('name', args.name);
  const language = checkOptionalText('language', args.language)?.trim() || 'en';
  const params = [...(args.params ?? [])];
  for (const [i, p] of params.entries()) checkText(`params.${i}`, p);
  const rows = await db
    .select()
    .from(templates)
    .where(and(eq(templates.tenantId, tenantId), eq(templates.channel, channel), eq(templates.name, args.name.trim())));
  if (rows.length === 0) throw new NotFoundError('Template', `${channel} ${args.name} (${language})`);
  const template = rows.find((r) => r.language === language);
  if (!template)
    throw new ValidationError(
      'language',
      languageProblem(
        args.name,
        language,
        rows.map((r) => r.language),
      ),
    );
  const countProblem = paramCountProblem(template, params.length);
  if (countProblem) throw new ValidationError('params', countProblem);
  const empty = params.findIndex((p) => p.trim().length === 0);
  if (empty >= 0) throw new ValidationError(`params.${empty}`, `params.${empty} must not be empty`);
  const fill = (s: string | null) => (s === null ? null : fillPlaceholders(s, params));
  return {
    template,
    text: fill(template.body)!,
    headerText: template.headerText,
    subject: fill(template.subject),
    html: fill(template.html),
  };
}

/** Strict templates: sends must name a registered template (see send-checks.ts). */
export async function setStrictTemplates(db: Db, tenantId: string, enabled: boolean): Promise<TenantRow> {
  const [row] = await db.update(tenants).set({ strictTemplates: enabled }).where(eq(tenants.id, tenantId)).returning();
  if (!row) throw new NotFoundError('Tenant', tenantId);
  return row;
}
