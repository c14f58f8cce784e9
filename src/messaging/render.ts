import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { templates, type MessageRow } from '../db/schema.js';

/**
 * A WhatsApp template message as plain text, for a fallback to SMS: the registered template's
 * body with its {{n}} placeholders filled in, or, for a template Herald does not know, its
 * parameters in order after the template name.
 */
export async function renderTemplateAsText(db: Db, message: MessageRow): Promise<string> {
  const params = message.templateParams ?? [];
  const [template] = await db
    .select({ body: templates.body })
    .from(templates)
    .where(
      and(
        eq(templates.tenantId, message.tenantId),
        eq(templates.channel, 'WHATSAPP'),
        eq(templates.name, message.templateName ?? ''),
        eq(templates.language, message.templateLanguage ?? 'en'),
      ),
    );
  if (template) return template.body.replace(/\{\{(\d+)\}\}/g, (_, n: string) => params[Number(n) - 1] ?? '');
  return [message.templateName ?? '', ...params].join('\n').slice(0, 1600);
}
