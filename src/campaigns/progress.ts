import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/client.js';
import type { CampaignRow } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import { type CampaignCounters, readCounters } from './counters.js';
import { getCampaign } from './queries.js';

// A campaign's progress as it changes: the campaign and its counters, read again every quarter of
// a second and handed on when anything differs (the first reading at once), until nothing more
// can change.
//
// Why a throttled re-read rather than the status hub's events: the counters that matter are
// exact sums in the database (campaign_counts), whichever process changed them, so reading them
// is right across processes without a transport of its own; messages being released, a pause
// or refused recipients being counted are no status events at all; and a draining campaign makes
// thousands of status events a second that each subscriber would otherwise filter, while a
// re-read costs two small queries per subscriber however fast the campaign goes.

export type CampaignProgress = { campaign: CampaignRow; counters: CampaignCounters };

export type ProgressStream = AsyncIterableIterator<CampaignProgress> & {
  /** Ends the stream now (the client went away), even while it waits for the next reading. */
  close(): void;
};

const INTERVAL_MS = 250;

/** Nothing more will change: COMPLETED, or CANCELED with its remaining messages canceled. */
const isSettled = (campaign: CampaignRow): boolean =>
  campaign.status === 'COMPLETED' || (campaign.status === 'CANCELED' && campaign.completedAt !== null);

/** The tenant's campaign's progress; fails with NotFoundError for anyone else's. */
export function watchProgress(db: Db, tenantId: string, campaignId: string, intervalMs = INTERVAL_MS): ProgressStream {
  const stopped = new AbortController();
  async function* readings(): AsyncGenerator<CampaignProgress> {
    let previous: string | undefined;
    while (!stopped.signal.aborted) {
      const campaign = await getCampaign(db, tenantId, campaignId);
      if (!campaign) throw new NotFoundError('Campaign', campaignId);
      const [counters] = await readCounters(db, [campaign]);
      const seen = JSON.stringify([campaign.status, campaign.startedAt, campaign.completedAt, counters]);
      if (seen !== previous) {
        previous = seen;
        yield { campaign, counters: counters! };
      }
      if (isSettled(campaign)) return;
      await sleep(intervalMs, undefined, { signal: stopped.signal }).catch(() => {});
    }
  }
  const stream = readings();
  const progress: ProgressStream = {
    next: () => stream.next(),
    return: () => {
      stopped.abort();
      return stream.return(undefined);
    },
    throw: (err: unknown) => {
      stopped.abort();
      return stream.throw(err);
    },
    close: () => stopped.abort(),
    [Symbol.asyncIterator]: () => progress,
  };
  return progress;
}
