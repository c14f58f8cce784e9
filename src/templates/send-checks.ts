import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { templates, tenants } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { matchesTemplate } from './placeholders.js';
import { languageProblem, paramCountProblem } from './service.js';

// Send-time checks against the tenant's template registry, called by messaging/send.ts (so
// GraphQL and REST get the same answers). One indexed query per WhatsApp send; SMS are looked up
// only when they carry a DLT template id.
//
// WhatsApp: a template Herald does not know is passed on as given (the provider stays the
// authority) unless the tenant turned on strict templates. A registered one (tenant, WHATSAPP,
// name, language) must be APPROVED, get exactly its parameter count and the media its header
// names. A name registered only in other languages is refused, naming them.
// SMS: a dltTemplateId registered as an SMS template must be APPROVED, the text must be its body
// with the placeholders filled in (literal parts equal, whitespace aside), and a dltEntityId
// given must be the template's. A missing dltEntityId is not filled in from the template: the
// stored message stays what the caller sent (REST idempotency compares it field by field), and
// providers whose account carries the entity id need none. An unregistered dltTemplateId passes
// unless strict. An SMS without dltTemplateId is free text and is not checked.

export type WhatsAppTemplateUse = {
  templateName: string;
  language?: string | undefined;
  params?: readonly string[] | undefined;
  mediaType?: string | undefined;
};

export type SmsTemplateUse = {
  text: string;
  dltEntityId?: string | undefined;
  dltTemplateId?: string | undefined;
};

export type TemplateChecks = {
  /**
   * Throws a ValidationError when the send does not fit the tenant's registry; else the
   * registered template's category (free text as registered), null when it has none or is not registered.
   */
  whatsApp(tenantId: string, use: WhatsAppTemplateUse): Promise<string | null>;
  /** Throws likewise, for an SMS that names a DLT template id. */
  sms(tenantId: string, use: SmsTemplateUse): Promise<void>;
};

const MEDIA_HEADERS = new Set(['IMAGE', 'VIDEO', 'DOCUMENT']);
const article = (word: string): string => (/^[AEIOU]/.test(word) ? 'an' : 'a');

export function createTemplateChecks(db: Db): TemplateChecks {
  return {
    async whatsApp(tenantId, use) {
      const language = use.language ?? 'en';
      const rows = await db
        .select({
          strict: tenants.strictTemplates,
          language: templates.language,
          paramCount: templates.paramCount,
          headerKind: templates.headerKind,
          status: templates.status,
          rejectionReason: templates.rejectionReason,
          category: templates.category,
        })
        .from(tenants)
        .leftJoin(
          templates,
          and(
            eq(templates.tenantId, tenants.id),
            eq(templates.channel, 'WHATSAPP'),
            eq(templates.name, use.templateName),
          ),
        )
        .where(eq(tenants.id, tenantId));
      const strict = rows[0]?.strict ?? false;
      const registered = rows.filter((r) => r.language !== null);
      if (registered.length === 0) {
        if (!strict) return null;
        throw new ValidationError(
          'templateName',
          `templateName ${use.templateName} is not a registered WhatsApp template, and this tenant sends registered templates only (strict templates): register it with createTemplate first`,
        );
      }
      const t = registered.find((r) => r.language === language);
      if (!t)
        throw new ValidationError(
          'language',
          languageProblem(
            use.templateName,
            language,
            registered.map((r) => r.language!),
          ),
        );
      const shown = `template ${use.templateName} (${language})`;
      if (t.status !== 'APPROVED') {
        // Meta's reason, when it gave one, is what the sender needs to fix the template.
        const reason = t.rejectionReason ? ` (Meta's reason: ${t.rejectionReason})` : '';
        throw new ValidationError(
          'templateName',
          `${shown} is ${t.status}${reason}, not APPROVED: only approved templates can be sent`,
        );
      }
      const countProblem = paramCountProblem(
        { name: use.templateName, language, paramCount: t.paramCount! },
        use.params?.length ?? 0,
      );
      if (countProblem) throw new ValidationError('params', countProblem);
      const header = t.headerKind!;
      const mediaType = use.mediaType ?? 'NONE';
      if (MEDIA_HEADERS.has(header) && mediaType !== header) {
        throw new ValidationError(
          'mediaType',
          `${shown} has ${article(header)} ${header} header; mediaType must be ${header} (got ${mediaType})`,
        );
      }
      if (!MEDIA_HEADERS.has(header) && mediaType !== 'NONE') {
        throw new ValidationError(
          'mediaType',
          `${shown} has no media header (header ${header}); mediaType must be NONE (got ${mediaType})`,
        );
      }
      return t.category;
    },

    async sms(tenantId, use) {
      if (!use.dltTemplateId) return;
      const rows = await db
        .select({
          strict: tenants.strictTemplates,
          name: templates.name,
          language: templates.language,
          body: templates.body,
          status: templates.status,
          dltEntityId: templates.dltEntityId,
        })
        .from(tenants)
        .leftJoin(
          templates,
          and(
            eq(templates.tenantId, tenants.id),
            eq(templates.channel, 'SMS'),
            eq(templates.dltTemplateId, use.dltTemplateId),
          ),
        )
        .where(eq(tenants.id, tenantId))
        .limit(1);
      const row = rows[0];
      if (!row || row.name === null) {
        if (row?.strict) {
          throw new ValidationError(
            'dltTemplateId',
            `dltTemplateId ${use.dltTemplateId} is not a registered SMS template, and this tenant sends registered templates only (strict templates): register it with createTemplate first`,
          );
        }
        return;
      }
      const shown = `SMS template ${row.name} (${row.language}, DLT template ${use.dltTemplateId})`;
      if (row.status !== 'APPROVED') {
        throw new ValidationError(
          'dltTemplateId',
          `${shown} is ${row.status}, not APPROVED: only approved templates can be sent`,
        );
      }
      if (row.dltEntityId && use.dltEntityId && use.dltEntityId !== row.dltEntityId) {
        throw new ValidationError(
          'dltEntityId',
          `dltEntityId ${use.dltEntityId} is not the entity id of ${shown}, which is ${row.dltEntityId}`,
        );
      }
      if (!matchesTemplate(row.body!, use.text)) {
        const body = row.body!.length > 200 ? `${row.body!.slice(0, 200)}…` : row.body!;
        throw new ValidationError(
          'text',
          `text does not match ${shown}: it must be ${JSON.stringify(body)} with each {{n}} filled in`,
        );
      }
    },
  };
}
