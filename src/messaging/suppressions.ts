import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { suppressions } from '../db/schema.js';
import type { Channel } from '../vocabulary.js';

// The tenant's opt-out list: recipients that must not receive MARKETING messages on a channel.

/**
 * Which of `recipients` (normalised as messages store them) are suppressed on `channel`. The
 * recipients travel as one JSON parameter: one statement text whatever their number (a campaign
 * asks about 10,000 at once), so prepared statements do not pile up per list length.
 */
export async function suppressedAmong(
  db: Db,
  tenantId: string,
  channel: Channel,
  recipients: readonly string[],
): Promise<Set<string>> {
  if (recipients.length === 0) return new Set();
  const rows = await db
    .select({ recipient: suppressions.recipient })
    .from(suppressions)
    .where(
      and(
        eq(suppressions.tenantId, tenantId),
        eq(suppressions.channel, channel),
        sql`${suppressions.recipient} in (select jsonb_array_elements_text(${JSON.stringify([...new Set(recipients)])}::jsonb))`,
      ),
    );
  return new Set(rows.map((r) => r.recipient));
}
