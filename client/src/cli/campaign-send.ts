import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { HeraldApi } from './api.js';
import { csvChunks, csvHeader } from './csv-rows.js';
import { type Mapping, parseMapping, toRecipient } from './mapping.js';
import type { CliCountersFragment, CreateCampaignInput } from './graphql.js';

// `herald campaign send contacts.csv …`: create the campaign (or find the one an earlier run of
// the same file and options created: the idempotency key is a digest of both), add the file's
// rows in chunks, start it, follow its progress live until it is done, print a summary.
// Re-running after an interruption adds nothing twice: the campaign is the same and Herald skips
// recipients it already has.

export type SendOptions = {
  channel: 'sms' | 'whatsapp' | 'email';
  map: string;
  name?: string;
  category?: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  rate?: number;
  sendAt?: string;
  tags?: string[];
  // WhatsApp
  template?: string;
  language?: string;
  headerMedia?: string;
  headerType?: 'IMAGE' | 'VIDEO' | 'DOCUMENT';
  // SMS
  text?: string;
  senderId?: string;
  dltEntityId?: string;
  dltTemplateId?: string;
  // Email
  subject?: string;
  html?: string;
  from?: string;
  chunkSize: number;
  dryRun: boolean;
};

/** The first invalid rows are printed; the rest are counted. */
const INVALID_ROWS_SHOWN = 20;

export type Output = { log: (line: string) => void; isTTY: boolean; stream: NodeJS.WritableStream };

export async function campaignSend(api: HeraldApi, file: string, opts: SendOptions, out: Output): Promise<number> {
  const mapping = parseMapping(opts.map, await csvHeader(file));
  if (opts.dryRun) return dryRun(file, mapping, opts, out);

  const input: CreateCampaignInput = {
    ...campaignInput(file, opts),
    idempotencyKey: await runKey(file, opts),
  };
  const campaign = await api.createCampaign(input);
  out.log(`campaign ${campaign.id} (${campaign.status})`);

  const size = (await stat(file)).size;
  const bar = progressBar(
    out,
    'adding   [{bar}] {rows} rows | {accepted} accepted | {duplicates} already there | {invalid} invalid | {suppressed} suppressed',
  );
  const totals = { rows: 0, accepted: 0, duplicates: 0, invalid: 0, suppressed: 0 };
  const invalidRows: string[] = [];
  bar.start(size, 0, totals);
  for await (const chunk of csvChunks(file, opts.chunkSize)) {
    const added = await api.addRecipients(
      campaign.id,
      chunk.records.map((r) => toRecipient(mapping, r)),
    );
    totals.rows += chunk.records.length;
    totals.accepted += added.accepted;
    totals.duplicates += added.duplicates;
    totals.invalid += added.invalidCount;
    totals.suppressed += added.suppressed;
    for (const bad of added.invalid)
      if (invalidRows.length < INVALID_ROWS_SHOWN)
        invalidRows.push(`  row ${chunk.firstRow + bad.row}: ${bad.field}: ${bad.reason}`);
    bar.update(chunk.bytesRead, totals);
  }
  bar.update(size, totals);
  bar.stop();
  out.log(
    `added: ${totals.rows} rows read, ${totals.accepted} accepted, ${totals.duplicates} already there, ` +
      `${totals.invalid} invalid, ${totals.suppressed} suppressed`,
  );
  if (invalidRows.length > 0) {
    out.log('invalid rows:');
    for (const line of invalidRows) out.log(line);
    if (totals.invalid > invalidRows.length) out.log(`  … and ${totals.invalid - invalidRows.length} more`);
  }

  if (totals.accepted + totals.duplicates === 0) {
    out.log('no valid recipient in the file: the campaign was not started');
    return 2;
  }
  const started = await api.startCampaign(campaign.id);
  out.log(`campaign ${started.status.toLowerCase()}`);
  const final = await follow(api, campaign.id, out);
  out.log(summaryTable(final.status, final.counters));
  return final.counters.invalid > 0 ? 2 : final.status === 'COMPLETED' ? 0 : 1;
}

/**
 * Follows campaignProgress until the campaign is done, with a bar of the messages handed to a
 * provider (a campaign completes once none is waiting; reports may still move them on).
 */
async function follow(api: HeraldApi, id: string, out: Output) {
  const bar = progressBar(
    out,
    'sending  [{bar}] {done}/{total} handed over | {sent} sent | {delivered} delivered | {failed} failed',
  );
  let last: { status: string; counters: CliCountersFragment } | undefined;
  let started = false;
  for await (const p of api.campaignProgress(id)) {
    last = p;
    const c = p.counters;
    const done = c.total - c.scheduled - c.queued - c.sending;
    const values = {
      done,
      total: c.total,
      sent: c.sent,
      delivered: c.delivered + c.read,
      failed: c.failed + c.undelivered,
    };
    if (!started) bar.start(Math.max(c.total, 1), done, values);
    else bar.setTotal(Math.max(c.total, 1));
    started = true;
    bar.update(done, values);
  }
  bar.stop();
  if (!last) throw new Error('the progress subscription ended without a value');
  return last;
}

function summaryTable(status: string, c: CliCountersFragment): string {
  const rows: Array<[string, number]> = [
    ['scheduled', c.scheduled],
    ['queued', c.queued],
    ['sending', c.sending],
    ['sent', c.sent],
    ['delivered', c.delivered],
    ['read', c.read],
    ['failed', c.failed],
    ['undelivered', c.undelivered],
    ['expired', c.expired],
    ['canceled', c.canceled],
    ['messages', c.total],
    ['invalid rows', c.invalid],
    ['suppressed', c.suppressed],
  ];
  const width = Math.max(...rows.map(([, n]) => String(n).length));
  return [`campaign ${status}`, ...rows.map(([k, n]) => `  ${k.padEnd(12)} ${String(n).padStart(width)}`)].join('\n');
}

/** Reads every row and checks what can be checked without sending anything. */
async function dryRun(file: string, mapping: Mapping, opts: SendOptions, out: Output): Promise<number> {
  campaignInput(file, opts); // the channel's required options, refused as a real run would
  let rows = 0;
  const problems: string[] = [];
  let problemCount = 0;
  for await (const chunk of csvChunks(file, opts.chunkSize)) {
    chunk.records.forEach((record, i) => {
      const r = toRecipient(mapping, record);
      const emptyParam = r.params?.indexOf('') ?? -1;
      const field = r.to === '' ? 'to' : emptyParam >= 0 ? `param${emptyParam + 1}` : undefined;
      if (!field) return;
      problemCount++;
      if (problems.length < INVALID_ROWS_SHOWN) problems.push(`  row ${chunk.firstRow + i}: ${field}: empty`);
    });
    rows += chunk.records.length;
  }
  out.log(`dry run: ${rows} rows read, ${problemCount} with empty mapped values; nothing was sent`);
  for (const line of problems) out.log(line);
  return problemCount > 0 ? 2 : 0;
}

function campaignInput(file: string, opts: SendOptions): Omit<CreateCampaignInput, 'idempotencyKey'> {
  const common = {
    name: opts.name ?? basename(file),
    ...(opts.category ? { category: opts.category } : {}),
    ...(opts.rate ? { ratePerSecond: opts.rate } : {}),
    ...(opts.sendAt ? { sendAt: opts.sendAt } : {}),
    ...(opts.tags?.length ? { tags: opts.tags } : {}),
  };
  switch (opts.channel) {
    case 'whatsapp':
      if (!opts.template) throw new UsageError('--template is required for WhatsApp');
      return {
        ...common,
        channel: 'WHATSAPP',
        content: {
          whatsApp: {
            templateName: opts.template,
            ...(opts.language ? { language: opts.language } : {}),
            ...(opts.headerMedia ? { mediaId: opts.headerMedia, mediaType: opts.headerType ?? 'IMAGE' } : {}),
          },
        },
      };
    case 'sms':
      if (!opts.text) throw new UsageError('--text is required for SMS');
      return {
        ...common,
        channel: 'SMS',
        content: {
          sms: {
            text: opts.text,
            ...(opts.senderId ? { senderId: opts.senderId } : {}),
            ...(opts.dltEntityId ? { dltEntityId: opts.dltEntityId } : {}),
            ...(opts.dltTemplateId ? { dltTemplateId: opts.dltTemplateId } : {}),
          },
        },
      };
    case 'email':
      if (!opts.subject) throw new UsageError('--subject is required for email');
      return {
        ...common,
        channel: 'EMAIL',
        content: {
          email: {
            subject: opts.subject,
            ...(opts.html ? { html: opts.html } : {}),
            ...(opts.text ? { text: opts.text } : {}),
            ...(opts.from ? { from: opts.from } : {}),
          },
        },
      };
  }
}

export class UsageError extends Error {}

/** The same file sent with the same options is the same campaign. */
async function runKey(file: string, opts: SendOptions): Promise<string> {
  const hash = createHash('sha256');
  const { chunkSize: _, dryRun: __, ...meaningful } = opts;
  hash.update(JSON.stringify(meaningful));
  for await (const bytes of createReadStream(file)) hash.update(bytes as Buffer);
  return `herald-cli-${hash.digest('hex').slice(0, 40)}`;
}

function progressBar(out: Output, format: string): SingleBar {
  return new SingleBar(
    { format, stream: out.stream, noTTYOutput: true, notTTYSchedule: 1000, hideCursor: out.isTTY },
    Presets.shades_classic,
  );
}
