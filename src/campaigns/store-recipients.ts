import { and, eq, sql } from 'drizzle-orm';
import { currentRequestId } from '../observability/request-context.js';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/raw-rows.js';
import { recordset, type RecordsetColumns } from '../db/recordset.js';
import { campaigns, type CampaignRow } from '../db/schema.js';
import { CampaignStateError, NotFoundError } from '../errors.js';
import type { CampaignStatus } from '../vocabulary.js';

// One chunk of a campaign's recipients, stored in one transaction: the held messages in one
// statement (a multi-row insert from a JSON recordset; `on conflict do nothing` skips a recipient
// the campaign already has, by address or external ref), then the refused rows not counted yet
// and the campaign's invalid/suppressed counters in a second. The campaign row is locked first,
// so a cancel or completion never misses messages added concurrently, and the status is checked
// under that lock.
//
// Held messages get no status event: their history starts when they leave the held state
// (claimed, or canceled). Writing one event (and its callbacks) per recipient would double what
// a million-recipient import writes, for an event that says no more than createdAt.

/** Statuses in which recipients may be added. */
export const OPEN_STATUSES: readonly CampaignStatus[] = ['DRAFT', 'SCHEDULED', 'RUNNING', 'PAUSED'];

/** The refusal of recipients for a campaign in `status` (not one of OPEN_STATUSES). */
export const closedTo = (status: CampaignStatus): CampaignStateError =>
  new CampaignStateError(
    status,
    `recipients can be added to DRAFT, SCHEDULED, RUNNING or PAUSED campaigns; this one is ${status}`,
  );

/** What varies per message of a campaign; everything else is the campaign's. */
export type HeldMessage = {
  id: string;
  recipient: string;
  template_params: string[] | null;
  body: string | null;
  subject: string | null;
  channel_options: Record<string, unknown>;
  external_ref: string | null;
  metadata: unknown;
};
const heldColumns: RecordsetColumns<HeldMessage> = {
  id: 'uuid',
  recipient: 'text',
  template_params: 'jsonb',
  body: 'text',
  subject: 'text',
  channel_options: 'jsonb',
  external_ref: 'text',
  metadata: 'jsonb',
};

/** The message columns every recipient of the campaign shares. */
export type SharedColumns = {
  sender: string | null;
  templateName: string | null;
  templateLanguage: string | null;
  mediaType: string | null;
  mediaId: string | null;
};

export type Refused = { key: string; kind: 'INVALID' | 'SUPPRESSED' };
const refusedColumns: RecordsetColumns<Refused> = { key: 'text', kind: 'text' };

export type StoredChunk = {
  accepted: number;
  /** Refused rows counted now (a refusal already on record is not counted again). */
  newlyInvalid: number;
  newlySuppressed: number;
};

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export function storeRecipients(
  db: Db,
  campaign: CampaignRow,
  shared: SharedColumns,
  held: readonly HeldMessage[],
  refused: readonly Refused[],
  now: Date,
): Promise<StoredChunk> {
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ status: campaigns.status })
      .from(campaigns)
      .where(and(eq(campaigns.id, campaign.id), eq(campaigns.tenantId, campaign.tenantId)))
      .for('no key update');
    if (!locked) throw new NotFoundError('Campaign', campaign.id);
    if (!OPEN_STATUSES.includes(locked.status)) throw closedTo(locked.status);
    let accepted = 0;
    if (held.length > 0) {
      const at = now.toISOString();
      // The request that added them names their dispatch's log lines and callbacks. Not its
      // trace: a campaign's recipients would make one trace of thousands of sends.
      const requestId = currentRequestId() ?? null;
      const result = await tx.execute(sql`
        with added as (
          insert into messages (id, tenant_id, channel, status, status_at, recipient, sender, template_name,
            template_language, template_params, body, subject, media_type, media_id, channel_options, next_attempt_at,
            external_ref, metadata, tags, category, campaign_id, send_at, valid_until, callback_url, request_id,
            created_at, updated_at)
          select h.id, ${campaign.tenantId}::uuid, ${campaign.channel}::channel, 'SCHEDULED', ${at}::timestamptz,
            h.recipient, ${shared.sender}, ${shared.templateName}, ${shared.templateLanguage}, h.template_params,
            h.body, h.subject, ${shared.mediaType}, ${shared.mediaId}, h.channel_options, null, h.external_ref,
            h.metadata, array(select jsonb_array_elements_text(${JSON.stringify(campaign.tags)}::jsonb)),
            ${campaign.category}::message_category, ${campaign.id}::uuid, ${iso(campaign.sendAt)}::timestamptz,
            ${iso(campaign.validUntil)}::timestamptz, ${campaign.callbackUrl}, ${requestId}::text, ${at}::timestamptz,
            ${at}::timestamptz
          from ${recordset('h', heldColumns, held)}
          on conflict do nothing
          returning 1
        )
        select count(*)::int as n from added`);
      accepted = rowsOf<{ n: number }>(result)[0]!.n;
    }
    if (refused.length === 0) return { accepted, newlyInvalid: 0, newlySuppressed: 0 };
    const result = await tx.execute(sql`
      with counted as (
        insert into campaign_refusals (campaign_id, key, kind)
        select ${campaign.id}::uuid, r.key, r.kind from ${recordset('r', refusedColumns, refused)}
        on conflict do nothing
        returning kind
      ),
      sums as (
        select count(*) filter (where kind = 'INVALID')::int as invalid,
          count(*) filter (where kind = 'SUPPRESSED')::int as suppressed
        from counted
      ),
      bumped as (
        update campaigns set invalid = campaigns.invalid + sums.invalid,
          suppressed = campaigns.suppressed + sums.suppressed,
          updated_at = ${now.toISOString()}::timestamptz
        from sums where campaigns.id = ${campaign.id}::uuid
        returning 1
      )
      select sums.invalid, sums.suppressed from sums cross join (select count(*) from bumped) as b`);
    const sums = rowsOf<{ invalid: number; suppressed: number }>(result)[0]!;
    return { accepted, newlyInvalid: sums.invalid, newlySuppressed: sums.suppressed };
  });
}
