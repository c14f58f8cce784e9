import type { Db } from '../db/client.js';
import type { MessageRow } from '../db/schema.js';
import { renderTemplateAsText } from '../messaging/render.js';
import { layoutSms } from '../messaging/sms-encoding.js';
import type { ProviderDirectory } from '../providers/directory.js';
import type { Channel } from '../vocabulary.js';

/**
 * After a permanent failure, the tenant's fallback rule may re-route the message: to another
 * provider on the same channel, or from WhatsApp to SMS with the template rendered as text.
 * The message is queued again with a fresh attempt budget; its events keep both attempts.
 */
export type Reroute = {
  /** What the message's row takes on (record-outcomes.ts writes it with the outcome). */
  fields: {
    attempts: number;
    next_at: string;
    fallback_step: number;
    channel?: Channel;
    body?: string;
    channel_options?: Record<string, unknown>;
  };
  /** Where it went, for the status event's payload. */
  fallback: { provider: string } | { channel: Channel };
};

export async function reroute(
  db: Db,
  providers: ProviderDirectory,
  row: MessageRow,
  now: Date,
): Promise<Reroute | null> {
  const rule = await providers.fallback(row.tenantId, row.channel, row.fallbackStep);
  if (!rule) return null;
  const base = { attempts: 0, next_at: now.toISOString(), fallback_step: row.fallbackStep + 1 };
  if ('provider' in rule) return { fields: base, fallback: { provider: rule.provider } };
  const body = await renderTemplateAsText(db, row);
  const layout = layoutSms(body);
  return {
    fields: {
      ...base,
      channel: rule.channel,
      body,
      channel_options: {
        encoding: layout.encoding,
        segments: layout.segments,
        flash: false,
        fallbackFrom: row.channel,
      },
    },
    fallback: { channel: rule.channel },
  };
}
