import { createHash } from 'node:crypto';
import type { CampaignRow } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { layoutSms } from '../messaging/sms-encoding.js';
import { suppressedAmong } from '../messaging/suppressions.js';
import { fillPlaceholders } from '../templates/placeholders.js';
import { textProblem } from '../validation/input.js';
import { type CampaignContent, paramCount } from './content.js';
import type { CampaignDeps } from './deps.js';
import { getCampaign } from './queries.js';
import {
  type HeldMessage,
  closedTo,
  OPEN_STATUSES,
  type Refused,
  type SharedColumns,
  storeRecipients,
} from './store-recipients.js';

// Adding recipients to a campaign: each row is rendered (placeholders filled with its params)
// and checked by the channel's single-send validator on its own, so a bad row is reported
// (row, field, reason) and never fails its neighbours; MARKETING campaigns skip the tenant's
// suppressed recipients; the rest are stored as held messages, chunk by chunk
// (store-recipients.ts). The API's calls and CSV imports go through the same intake.

/** Most recipients one addCampaignRecipients call takes. */
export const MAX_RECIPIENTS_PER_CALL = 10_000;
/** A chunk is stored once it holds this many rows or this much rendered content. */
const CHUNK_ROWS = 10_000;
const CHUNK_BYTES = 8 * 1024 * 1024;

export type RecipientInput = {
  to: string;
  params?: readonly string[] | null | undefined;
  externalRef?: string | null | undefined;
  metadata?: unknown;
};

/** A row for the intake; `problem` refuses it up front (a CSV row missing a mapped cell). */
export type IntakeRow = { row: number; input: RecipientInput; problem?: { field: string; reason: string } | undefined };

/** A recipient refused on its own: `row` is its index in the call (or its CSV row number). */
export type InvalidRecipient = { row: number; field: string; reason: string };

export type AddTally = {
  accepted: number;
  /** Valid rows the campaign already had (same address or external ref), skipped. */
  duplicates: number;
  /** Rows refused as invalid in this call (counted in the campaign's `invalid` once, however often added). */
  invalid: number;
  suppressed: number;
};

export type AddResult = AddTally & { campaign: CampaignRow; invalidRows: InvalidRecipient[] };

const MAX_PARAM_LENGTH = 1024;

/** The campaign's recipients intake; one per call or import. */
export class RecipientIntake {
  private readonly count: number | null;
  private readonly shared: SharedColumns;
  /** WhatsApp: the registry's verdict per parameter count (one lookup per distinct count). */
  private readonly templateVerdicts = new Map<number, ValidationError | null>();

  constructor(
    private readonly deps: CampaignDeps,
    readonly campaign: CampaignRow,
    private readonly content: CampaignContent,
  ) {
    this.count = paramCount(content);
    this.shared = sharedColumns(content);
  }

  /** Loads the campaign (the tenant's, still open to recipients). */
  static async open(deps: CampaignDeps, tenantId: string, campaignId: string): Promise<RecipientIntake> {
    const campaign = await getCampaign(deps.db, tenantId, campaignId);
    if (!campaign) throw new NotFoundError('Campaign', campaignId);
    if (!OPEN_STATUSES.includes(campaign.status)) throw closedTo(campaign.status);
    return new RecipientIntake(deps, campaign, campaign.content as CampaignContent);
  }

  /**
   * Adds rows (`row` numbers them in the answer). `report` receives each invalid row, in order;
   * the tally counts them all.
   */
  async add(rows: ReadonlyArray<IntakeRow>, report: (r: InvalidRecipient) => void): Promise<AddTally> {
    const tally: AddTally = { accepted: 0, duplicates: 0, invalid: 0, suppressed: 0 };
    const now = this.deps.now();
    let held: HeldMessage[] = [];
    let refused: Refused[] = [];
    let bytes = 0;
    const flush = async () => {
      const stored = await this.store(held, refused, now);
      tally.accepted += stored.accepted;
      tally.duplicates += stored.duplicates;
      tally.suppressed += stored.suppressed;
      held = [];
      refused = [];
      bytes = 0;
    };
    if (this.content.channel === 'WHATSAPP') await this.askTemplateRegistry(rows);
    for (const { row, input, problem } of rows) {
      const prepared = problem ?? this.prepare(input, now);
      if ('field' in prepared) {
        tally.invalid++;
        report({ row, field: prepared.field, reason: prepared.reason });
        refused.push({ key: invalidKey(input), kind: 'INVALID' });
        continue;
      }
      held.push(prepared);
      // What a row weighs is its rendered text (an email's html can be large); the rest is small.
      const html = prepared.channel_options.html;
      bytes +=
        (prepared.body?.length ?? 0) + (prepared.subject?.length ?? 0) + (typeof html === 'string' ? html.length : 0);
      if (held.length >= CHUNK_ROWS || bytes >= CHUNK_BYTES) await flush();
    }
    if (held.length > 0 || refused.length > 0) await flush();
    return tally;
  }

  /** Suppressed recipients of a MARKETING campaign become refusals; the rest is stored. */
  private async store(held: HeldMessage[], refused: Refused[], now: Date) {
    let sendable = held;
    let suppressed = 0;
    if (this.campaign.category === 'MARKETING' && held.length > 0) {
      const blocked = await suppressedAmong(
        this.deps.db,
        this.campaign.tenantId,
        this.campaign.channel,
        held.map((h) => h.recipient),
      );
      if (blocked.size > 0) {
        sendable = held.filter((h) => !blocked.has(h.recipient));
        suppressed = held.length - sendable.length;
        for (const h of held)
          if (blocked.has(h.recipient)) refused.push({ key: `s:${h.recipient}`, kind: 'SUPPRESSED' });
      }
    }
    const stored = await storeRecipients(this.deps.db, this.campaign, this.shared, sendable, refused, now);
    return { accepted: stored.accepted, duplicates: sendable.length - stored.accepted, suppressed };
  }

  /** The recipient's message, or why it is refused. */
  private prepare(input: RecipientInput, now: Date): HeldMessage | { field: string; reason: string } {
    try {
      const params = checkParams(input.params, this.count);
      const common = { to: input.to, externalRef: input.externalRef, metadata: input.metadata };
      const c = this.content;
      if (c.channel === 'SMS') {
        const v = this.deps.validators.sms({ ...c.sms, ...common, text: fillPlaceholders(c.sms.text, params) }, now);
        const layout = layoutSms(v.text, v.unicode ?? false);
        return held(v.to, v, {
          body: v.text,
          channel_options: {
            encoding: layout.encoding,
            segments: layout.segments,
            flash: v.flash ?? false,
            ...(v.dltEntityId ? { dltEntityId: v.dltEntityId } : {}),
            ...(v.dltTemplateId ? { dltTemplateId: v.dltTemplateId } : {}),
          },
        });
      }
      if (c.channel === 'WHATSAPP') {
        const v = this.deps.validators.whatsApp({ ...c.whatsApp, ...common, params }, now);
        const verdict = this.templateVerdicts.get(params.length);
        if (verdict) throw verdict;
        return held(v.to, v, { template_params: v.params ?? [], channel_options: {} });
      }
      const e = c.email;
      const v = this.deps.validators.email(
        {
          ...common,
          to: [input.to],
          from: e.from,
          subject: fillPlaceholders(e.subject, params),
          html: e.html === undefined ? undefined : fillPlaceholders(e.html, params.map(escapeHtml)),
          text: e.text === undefined ? undefined : fillPlaceholders(e.text, params),
        },
        now,
      );
      return held(v.to[0]!, v, {
        subject: v.subject,
        body: v.text ?? null,
        channel_options: {
          to: v.to,
          cc: [],
          bcc: [],
          ...(v.html ? { html: v.html } : {}),
          ...(e.attachments?.length ? { attachments: e.attachments } : {}),
        },
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const field = err.field === 'to.0' ? 'to' : err.field;
      return { field, reason: field === err.field ? err.message : err.message.replace(/^to\.0/, 'to') };
    }
  }

  /** WhatsApp: the registry's verdict on each parameter count the rows give (one lookup per new count). */
  private async askTemplateRegistry(rows: ReadonlyArray<IntakeRow>): Promise<void> {
    const c = this.content as Extract<CampaignContent, { channel: 'WHATSAPP' }>;
    const counts = new Set(rows.map((r) => (Array.isArray(r.input.params) ? r.input.params.length : 0)));
    for (const count of counts) {
      // More than 100 params are refused by the send validator before the verdict is read.
      if (count > 100 || this.templateVerdicts.has(count)) continue;
      try {
        await this.deps.templates.whatsApp(this.campaign.tenantId, {
          ...c.whatsApp,
          params: new Array<string>(count).fill(''),
        });
        this.templateVerdicts.set(count, null);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        this.templateVerdicts.set(count, err);
      }
    }
  }
}

/** The message columns every recipient of the content shares. */
function sharedColumns(content: CampaignContent): SharedColumns {
  const none = { sender: null, templateName: null, templateLanguage: null, mediaType: null, mediaId: null };
  if (content.channel === 'SMS') return { ...none, sender: content.sms.senderId ?? null };
  if (content.channel === 'EMAIL') return { ...none, sender: content.email.from ?? null };
  const w = content.whatsApp;
  return {
    ...none,
    templateName: w.templateName,
    templateLanguage: w.language,
    mediaType: w.mediaType,
    mediaId: w.mediaId ?? null,
  };
}

function held(
  recipient: string,
  v: { externalRef?: string | undefined; metadata?: unknown },
  content: Partial<Pick<HeldMessage, 'template_params' | 'body' | 'subject'>> & Pick<HeldMessage, 'channel_options'>,
): HeldMessage {
  return {
    id: newId(),
    recipient,
    template_params: content.template_params ?? null,
    body: content.body ?? null,
    subject: content.subject ?? null,
    channel_options: content.channel_options,
    external_ref: v.externalRef ?? null,
    metadata: v.metadata ?? null,
  };
}

/** The recipient's params: strings, as many as the content's placeholders (any number for WhatsApp). */
function checkParams(params: RecipientInput['params'], count: number | null): string[] {
  const list = params ?? [];
  if (!Array.isArray(list)) throw new ValidationError('params', 'params must be a list of strings');
  list.forEach((p, i) => {
    if (typeof p !== 'string') throw new ValidationError(`params.${i}`, `params.${i} must be a string`);
    if (p.length > MAX_PARAM_LENGTH)
      throw new ValidationError(`params.${i}`, `params.${i} must be at most ${MAX_PARAM_LENGTH} characters`);
    const problem = textProblem(p);
    if (problem) throw new ValidationError(`params.${i}`, `params.${i} ${problem}`);
  });
  if (count !== null && list.length !== count)
    throw new ValidationError(
      'params',
      `params must have ${count} value${count === 1 ? '' : 's'} (the content's placeholders {{1}}..{{${count}}}), got ${list.length}`,
    );
  return list as string[];
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** A recipient's value placed in the campaign's HTML is text, never markup. */
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);

/** The same refused row, added again, has the same key (its address, params and reference as given). */
function invalidKey(input: RecipientInput): string {
  const given = [
    typeof input.to === 'string' ? input.to : null,
    Array.isArray(input.params) ? input.params : null,
    input.externalRef ?? null,
  ];
  return `i:${createHash('sha256').update(JSON.stringify(given)).digest('base64url')}`;
}
