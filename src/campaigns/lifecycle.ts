import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { campaigns, messages, type CampaignRow } from '../db/schema.js';
import { CampaignStateError, NotFoundError, ValidationError } from '../errors.js';
import { isUuid } from '../ids.js';
import type { StatusChange } from '../messaging/status-updates.js';
import type { CampaignStatus } from '../vocabulary.js';
import { CANCEL_CHUNK, cancelChunk } from './cancel-messages.js';

// Starting, pausing, resuming and canceling a campaign. Each is one transaction that locks the
// campaign row first, so it is serialised with the others, with the release loop (release.ts)
// and with recipients being added; a wrong state is refused naming the current one.
//
// The messages follow from the campaign's status: the release loop gives a RUNNING campaign's
// held messages their turn. Pausing takes back what was released but not yet claimed (sends in
// flight finish); its retries waiting (QUEUED) stay as they are, and the claim passes over the
// messages of a PAUSED campaign (delivery/claim-messages.ts) until it is resumed. Canceling cancels at once what could be claimed any moment (released, retries
// waiting); the held bulk can then never be sent, and the release loop cancels it in chunks
// in the background (with status events and callbacks), then sets completedAt.

export type LifecycleDeps = { db: Db; now: () => Date };

type Transition = {
  from: readonly CampaignStatus[];
  refusal: (status: CampaignStatus) => string;
};

async function transition<T>(
  deps: LifecycleDeps,
  tenantId: string,
  campaignId: string,
  { from, refusal }: Transition,
  apply: (tx: Tx, campaign: CampaignRow, now: Date) => Promise<T>,
): Promise<T> {
  if (!isUuid(campaignId)) throw new NotFoundError('Campaign', campaignId);
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const [campaign] = await tx
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.id, campaignId.toLowerCase()), eq(campaigns.tenantId, tenantId)))
      .for('update');
    if (!campaign) throw new NotFoundError('Campaign', campaignId);
    if (!from.includes(campaign.status)) throw new CampaignStateError(campaign.status, refusal(campaign.status));
    return apply(tx, campaign, now);
  });
}

async function setStatus(tx: Tx, id: string, values: Partial<typeof campaigns.$inferInsert>): Promise<CampaignRow> {
  const [row] = await tx.update(campaigns).set(values).where(eq(campaigns.id, id)).returning();
  return row!;
}

/** RUNNING, or SCHEDULED until its sendAt when that lies ahead. */
const runningOrScheduled = (campaign: CampaignRow, now: Date): Partial<typeof campaigns.$inferInsert> =>
  campaign.sendAt && campaign.sendAt > now
    ? { status: 'SCHEDULED', updatedAt: now }
    : { status: 'RUNNING', startedAt: campaign.startedAt ?? now, updatedAt: now };

/** DRAFT -> RUNNING (SCHEDULED when sendAt lies ahead). A campaign without recipients is refused. */
export function startCampaign(deps: LifecycleDeps, tenantId: string, campaignId: string): Promise<CampaignRow> {
  return transition(
    deps,
    tenantId,
    campaignId,
    { from: ['DRAFT'], refusal: (s) => `only a DRAFT campaign can be started; this one is ${s}` },
    async (tx, campaign, now) => {
      const [any] = await tx
        .select({ id: messages.id })
        .from(messages)
        .where(eq(messages.campaignId, campaign.id))
        .limit(1);
      if (!any)
        throw new ValidationError('id', 'the campaign has no recipients: add them (addCampaignRecipients) first');
      return setStatus(tx, campaign.id, runningOrScheduled(campaign, now));
    },
  );
}

/** RUNNING or SCHEDULED -> PAUSED; released messages not yet claimed are held again, retries wait. */
export function pauseCampaign(deps: LifecycleDeps, tenantId: string, campaignId: string): Promise<CampaignRow> {
  return transition(
    deps,
    tenantId,
    campaignId,
    {
      from: ['RUNNING', 'SCHEDULED'],
      refusal: (s) => `only a RUNNING or SCHEDULED campaign can be paused; this one is ${s}`,
    },
    async (tx, campaign, now) => {
      // Rows a claim holds are waited for, and are SENDING once it commits: left to finish.
      await tx.execute(sql`
        update ${messages} set next_attempt_at = null
        where campaign_id = ${campaign.id}::uuid and status = 'SCHEDULED' and next_attempt_at is not null`);
      return setStatus(tx, campaign.id, { status: 'PAUSED', updatedAt: now });
    },
  );
}

/** PAUSED -> RUNNING (SCHEDULED when its sendAt still lies ahead). */
export function resumeCampaign(deps: LifecycleDeps, tenantId: string, campaignId: string): Promise<CampaignRow> {
  return transition(
    deps,
    tenantId,
    campaignId,
    { from: ['PAUSED'], refusal: (s) => `only a PAUSED campaign can be resumed; this one is ${s}` },
    (tx, campaign, now) => setStatus(tx, campaign.id, runningOrScheduled(campaign, now)),
  );
}

/**
 * DRAFT, SCHEDULED, RUNNING or PAUSED -> CANCELED. Messages that could be claimed any moment are
 * canceled in the same transaction (returned, to be published after commit); the held rest is
 * never released and is canceled by the release loop.
 */
export function cancelCampaign(
  deps: LifecycleDeps,
  tenantId: string,
  campaignId: string,
): Promise<{ campaign: CampaignRow; changes: StatusChange[] }> {
  return transition(
    deps,
    tenantId,
    campaignId,
    {
      from: ['DRAFT', 'SCHEDULED', 'RUNNING', 'PAUSED'],
      refusal: (s) => `a ${s} campaign cannot be canceled`,
    },
    async (tx, campaign, now) => {
      const changes: StatusChange[] = [];
      for (;;) {
        const chunk = await cancelChunk(tx, campaign.id, 'pending', now, { skipLocked: false });
        changes.push(...chunk);
        if (chunk.length < CANCEL_CHUNK) break;
      }
      return {
        campaign: await setStatus(tx, campaign.id, { status: 'CANCELED', canceledAt: now, updatedAt: now }),
        changes,
      };
    },
  );
}
