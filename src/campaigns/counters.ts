import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/raw-rows.js';
import type { CampaignRow } from '../db/schema.js';
import { MESSAGE_STATUSES, type MessageStatus } from '../vocabulary.js';

// A campaign's counters: its messages per status, summed from the delta rows the statement
// triggers of migration 0007 append in every transaction that changes them (exact whatever
// crashed), plus the recipients refused when added. Reading many campaigns is one grouped
// query; a campaign whose delta rows pile up is folded into one row per status.

export type CampaignCounters = Record<Lowercase<MessageStatus>, number> & {
  total: number;
  invalid: number;
  suppressed: number;
};

/** Past this many delta rows a campaign's counts are folded when read. */
const FOLD_AFTER_ROWS = 64;

/** The counters of each campaign, in order (one query, plus a fold now and then). */
export async function readCounters(db: Db, rows: readonly CampaignRow[]): Promise<CampaignCounters[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const result = await db.execute(sql`
    select campaign_id, status, sum(delta)::bigint as n, count(*)::int as pieces
    from campaign_counts
    where campaign_id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})
    group by campaign_id, status`);
  const found = rowsOf<{ campaign_id: string; status: MessageStatus; n: string | number; pieces: number }>(result);
  const sums = new Map<string, Map<MessageStatus, number>>();
  const pieces = new Map<string, number>();
  for (const r of found) {
    if (!sums.has(r.campaign_id)) sums.set(r.campaign_id, new Map());
    sums.get(r.campaign_id)!.set(r.status, Number(r.n));
    pieces.set(r.campaign_id, (pieces.get(r.campaign_id) ?? 0) + r.pieces);
  }
  for (const [id, n] of pieces) if (n > FOLD_AFTER_ROWS) await foldCounts(db, id);
  return rows.map((campaign) => {
    const byStatus = sums.get(campaign.id) ?? new Map<MessageStatus, number>();
    const counters = { total: 0, invalid: campaign.invalid, suppressed: campaign.suppressed } as CampaignCounters;
    for (const status of MESSAGE_STATUSES) {
      const n = byStatus.get(status) ?? 0;
      counters[status.toLowerCase() as Lowercase<MessageStatus>] = n;
      counters.total += n;
    }
    return counters;
  });
}

/**
 * Folds a campaign's delta rows into one per status, in one statement: the rows it deletes are
 * the rows it sums, so concurrent appends (not yet visible to it) and concurrent folds lose nothing.
 */
export async function foldCounts(db: Db, campaignId: string): Promise<void> {
  await db.execute(sql`
    with gone as (
      delete from campaign_counts where campaign_id = ${campaignId}::uuid returning status, delta
    )
    insert into campaign_counts (campaign_id, status, delta)
    select ${campaignId}::uuid, status, sum(delta) from gone group by status having sum(delta) <> 0`);
}
