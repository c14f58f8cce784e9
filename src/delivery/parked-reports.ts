import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/raw-rows.js';

/**
 * Provider reports wait in pending_provider_events until the send records their provider id.
 * Ids that are never recorded (a send whose bookkeeping was lost and that went out again under
 * another id, a provider reporting a message Herald never sent) would keep theirs forever:
 * reports older than `maxAgeMs` are dropped (providers stop redelivering after days), and each
 * provider instance keeps at most `maxPerProvider`, the newest.
 */
export type ParkedReportLimits = { maxAgeMs: number; maxPerProvider: number };

export type ParkedReportSweep = {
  expired: number;
  /** Dropped over the cap, per provider instance. */
  overCap: Record<string, number>;
};

export async function sweepParkedReports(db: Db, limits: ParkedReportLimits, now: Date): Promise<ParkedReportSweep> {
  const cutoff = new Date(now.getTime() - limits.maxAgeMs).toISOString();
  const expired = rowsOf<{ n: number }>(
    await db.execute(sql`
      with gone as (delete from pending_provider_events where received_at < ${cutoff}::timestamptz returning 1)
      select count(*)::int as n from gone`),
  );
  // Ranked only within providers over the cap: the usual sweep is one small aggregate.
  const overCap = rowsOf<{ provider: string; n: number }>(
    await db.execute(sql`
      with crowded as (
        select provider from pending_provider_events group by provider having count(*) > ${limits.maxPerProvider}
      ), ranked as (
        select p.id, row_number() over (partition by p.provider order by p.received_at desc, p.id desc) as rank
        from pending_provider_events p join crowded c on c.provider = p.provider
      ), gone as (
        delete from pending_provider_events p using ranked r
        where p.id = r.id and r.rank > ${limits.maxPerProvider}
        returning p.provider
      )
      select provider, count(*)::int as n from gone group by provider`),
  );
  return {
    expired: Number(expired[0]?.n ?? 0),
    overCap: Object.fromEntries(overCap.map((r) => [r.provider, Number(r.n)])),
  };
}
