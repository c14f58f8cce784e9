import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/raw-rows.js';
import type { Logger } from '../log.js';
import { PeriodicTask } from '../periodic.js';

// Delivery analytics' counts (message_counts, see src/db/schema.ts) grow by a few change rows per
// status change; folding moves those rows into one per combination and quarter hour, so what
// messageStats reads stays about one row per combination the messages have. Reading is exact
// whether or not a fold ran: it sums both tables.

/** Change rows one fold moves at most: one short transaction, however much arrived. */
export const FOLD_BATCH = 50_000;

/**
 * Moves up to `limit` change rows into message_counts, re-summing the counts of each quarter hour
 * they touch; answers how many it moved. The rows it deletes are the rows it sums, in one
 * statement, so appends it cannot see yet stay for the next fold and nothing is counted twice.
 * One fold at a time across processes (an advisory lock; a busy lock skips this one).
 */
export async function foldMessageCounts(db: Db, limit = FOLD_BATCH): Promise<number> {
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ locked: boolean }>(
      await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext('herald.message_counts.fold')) as locked`),
    );
    if (!lock?.locked) return 0;
    const [moved] = rowsOf<{ n: number }>(
      await tx.execute(sql`
        with changes as (
          delete from message_count_changes
          where ctid = any(array(select ctid from message_count_changes limit ${limit}))
          returning *
        ), touched as (
          select distinct tenant_id, quarter from changes
        ), folded as (
          delete from message_counts c using touched t
          where c.tenant_id = t.tenant_id and c.quarter = t.quarter
          returning c.*
        ), refolded as (
          insert into message_counts (tenant_id, quarter, channel, template_name, provider, campaign_id, tags,
            status, failure_code, messages, sent, delivered, read)
          select tenant_id, quarter, channel, template_name, provider, campaign_id, tags, status, failure_code,
            sum(messages), sum(sent), sum(delivered), sum(read)
          from (select * from changes union all select * from folded) rows
          group by 1, 2, 3, 4, 5, 6, 7, 8, 9
          having sum(messages) <> 0
          returning 1
        )
        select (select count(*) from changes)::int as n`),
    );
    return moved?.n ?? 0;
  });
}

/** How often each API process folds. */
export const FOLD_EVERY_MS = 5_000;

/** Folds every FOLD_EVERY_MS, batch after batch while batches come full. */
export function messageCountFold(db: Db, log: Logger): PeriodicTask {
  return new PeriodicTask(
    FOLD_EVERY_MS,
    async (task) => {
      let moved = await foldMessageCounts(db);
      while (moved === FOLD_BATCH && task.active) moved = await foldMessageCounts(db);
    },
    (err) => log.warn({ err }, 'folding the delivery counts failed; the next run retries'),
  );
}
