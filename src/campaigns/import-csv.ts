import { CsvError, parse } from 'csv-parse';
import type { CampaignRow } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { MIME } from '../media/kinds.js';
import { PROTOTYPE_KEYS, textProblem } from '../validation/input.js';
import type { CampaignDeps } from './deps.js';
import { getCampaign } from './queries.js';
import {
  type AddTally,
  type IntakeRow,
  type InvalidRecipient,
  type RecipientInput,
  RecipientIntake,
} from './recipients.js';

// A campaign's recipients from an uploaded CSV (a media item): the file is streamed from the
// media store through csv-parse, never held whole; the header row names the columns, a mapping
// says which column is `to`, which fill params {{1}}.., externalRef and metadata keys; rows go
// to the same intake as addCampaignRecipients, in chunks. Running an import again (after an
// interruption, or twice) adds nothing twice: recipients are unique per campaign by address and
// external ref, and refused rows are counted once (campaign_refusals).

export type ColumnMapping = { column: string; field: string };

export type ImportResult = AddTally & {
  campaign: CampaignRow;
  /** Data rows read (the header not included). */
  rows: number;
  /** The first MAX_REPORTED_ROWS invalid rows; `row` is the row number a spreadsheet shows (the header is row 1). */
  invalidRows: InvalidRecipient[];
};

export const MAX_REPORTED_ROWS = 1_000;
const MAX_MAPPINGS = 200;
/** A chunk is handed to the intake at this many rows or this many bytes of cells. */
const CHUNK_ROWS = 5_000;
const CHUNK_BYTES = 4 * 1024 * 1024;
/** One row may hold at most this much (a row past it is a malformed file, not a recipient). */
const MAX_ROW_BYTES = 64 * 1024;

type Plan = {
  to: number;
  params: number[];
  externalRef: number | undefined;
  metadata: Array<[string, number]>;
  /** The header's names, to report a field by the column that fed it. */
  header: readonly string[];
};

/** Which column index feeds each recipient field. */
function planOf(mapping: readonly ColumnMapping[], header: readonly string[]): Plan {
  if (mapping.length === 0 || mapping.length > MAX_MAPPINGS)
    throw new ValidationError('mapping', `mapping must have 1 to ${MAX_MAPPINGS} entries`);
  const seen = new Set<string>();
  const params = new Map<number, number>();
  const plan: Plan = { to: -1, params: [], externalRef: undefined, metadata: [], header };
  mapping.forEach(({ column, field }, i) => {
    for (const [name, value] of [
      ['column', column],
      ['field', field],
    ] as const) {
      const problem = typeof value === 'string' ? textProblem(value) : 'must be text';
      if (problem) throw new ValidationError(`mapping.${i}.${name}`, `mapping.${i}.${name} ${problem}`);
    }
    if (seen.has(field))
      throw new ValidationError(`mapping.${i}.field`, `mapping.${i}.field ${field.slice(0, 80)} is mapped twice`);
    seen.add(field);
    const index = header.indexOf(column.trim());
    if (index < 0)
      throw new ValidationError(
        `mapping.${i}.column`,
        `mapping.${i}.column ${JSON.stringify(column.slice(0, 80))} is not a column of the CSV's header row`,
      );
    const param = /^params\.([1-9]\d{0,2})$/.exec(field);
    const meta = /^metadata\.([A-Za-z0-9_-]{1,64})$/.exec(field);
    if (field === 'to') plan.to = index;
    else if (field === 'externalRef') plan.externalRef = index;
    else if (param) params.set(Number(param[1]), index);
    else if (meta && !PROTOTYPE_KEYS.has(meta[1]!)) plan.metadata.push([meta[1]!, index]);
    else
      throw new ValidationError(
        `mapping.${i}.field`,
        `mapping.${i}.field must be to, externalRef, params.N (N from 1) or metadata.<key> (letters, digits, _ and -)`,
      );
  });
  if (plan.to < 0) throw new ValidationError('mapping', 'mapping must say which column is to');
  for (let n = 1; n <= params.size; n++) {
    const index = params.get(n);
    if (index === undefined)
      throw new ValidationError(
        'mapping',
        `mapping gives params up to ${Math.max(...params.keys())} but not params.${n}`,
      );
    plan.params.push(index);
  }
  return plan;
}

/** The recipient of a row, refused up front when the row lacks a mapped cell. */
function rowOf(plan: Plan, row: number, cells: readonly string[]): IntakeRow {
  const ref = plan.externalRef === undefined ? undefined : cells[plan.externalRef]?.trim();
  const input: RecipientInput = {
    to: cells[plan.to] ?? '',
    params: plan.params.map((i) => cells[i] ?? ''),
    externalRef: ref ? ref : undefined,
    metadata: plan.metadata.length
      ? Object.fromEntries(plan.metadata.map(([key, i]) => [key, cells[i] ?? '']))
      : undefined,
  };
  const used = [
    plan.to,
    ...plan.params,
    ...(plan.externalRef === undefined ? [] : [plan.externalRef]),
    ...plan.metadata.map(([, i]) => i),
  ];
  const missing = used.find((i) => i >= cells.length);
  if (missing === undefined) return { row, input };
  const column = plan.header[missing]!;
  return {
    row,
    input,
    problem: {
      field: column,
      reason: `${column} is missing: the row has ${cells.length} of the header's ${plan.header.length} columns`,
    },
  };
}

/** A refusal as the file's user reads it: the field named by its column ("phone", not "to"). */
function byColumn(plan: Plan, r: InvalidRecipient): InvalidRecipient {
  const param = /^params\.(\d+)$/.exec(r.field);
  const index =
    r.field === 'to'
      ? plan.to
      : r.field === 'externalRef'
        ? plan.externalRef
        : param
          ? plan.params[Number(param[1])]
          : undefined;
  if (index === undefined) return r;
  const column = plan.header[index]!;
  return {
    row: r.row,
    field: column,
    reason: r.reason.startsWith(r.field) ? `${column}${r.reason.slice(r.field.length)}` : r.reason,
  };
}

export async function importCampaignRecipients(
  deps: CampaignDeps,
  tenantId: string,
  campaignId: string,
  mediaId: string,
  mapping: readonly ColumnMapping[],
): Promise<ImportResult> {
  const intake = await RecipientIntake.open(deps, tenantId, campaignId);
  const { media, stream } = await deps.openMedia(tenantId, mediaId);
  const result: ImportResult = {
    campaign: intake.campaign,
    rows: 0,
    accepted: 0,
    duplicates: 0,
    invalid: 0,
    suppressed: 0,
    invalidRows: [],
  };
  if (media.mimeType !== MIME.csv && media.mimeType !== MIME.text) {
    stream.destroy();
    throw new ValidationError(
      'mediaId',
      `mediaId is ${media.mimeType}, not a CSV: upload the file with a .csv filename or the text/csv content type`,
    );
  }
  const parser = parse({
    bom: true,
    relax_column_count: true,
    max_record_size: MAX_ROW_BYTES,
  });
  stream.on('error', (err) => parser.destroy(err));
  stream.pipe(parser);
  let plan: Plan | undefined;
  let chunk: IntakeRow[] = [];
  let bytes = 0;
  const report = (r: InvalidRecipient) => {
    if (plan && result.invalidRows.length < MAX_REPORTED_ROWS) result.invalidRows.push(byColumn(plan, r));
  };
  const flush = async () => {
    const tally = await intake.add(chunk, report);
    result.accepted += tally.accepted;
    result.duplicates += tally.duplicates;
    result.invalid += tally.invalid;
    result.suppressed += tally.suppressed;
    chunk = [];
    bytes = 0;
  };
  let malformed: CsvError | undefined;
  try {
    // Rows are numbered as a spreadsheet shows them: the header is row 1, a blank line is a row
    // (skipped), a quoted cell spanning lines stays one row.
    let row = 0;
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      if (record.length === 1 && record[0]!.trim() === '') continue;
      if (!plan) {
        plan = planOf(
          mapping,
          record.map((c) => c.trim()),
        );
        continue;
      }
      result.rows++;
      chunk.push(rowOf(plan, row, record));
      bytes += record.reduce((n, c) => n + c.length, 0);
      if (chunk.length >= CHUNK_ROWS || bytes >= CHUNK_BYTES) await flush();
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    malformed = err;
  } finally {
    stream.destroy();
    parser.destroy();
  }
  // The rows read before a malformed one are added all the same: a fixed file imported again
  // adds only what is new.
  if (chunk.length > 0) await flush();
  if (malformed)
    throw new ValidationError(
      'mediaId',
      `the CSV cannot be read past line ${typeof malformed.lines === 'number' ? malformed.lines : '?'} (${malformed.code}); the rows before it were added, and importing the fixed file adds each recipient once`,
    );
  if (!plan) throw new ValidationError('mediaId', 'the CSV is empty: it needs a header row naming its columns');
  // Read again: the counters of refused rows moved.
  result.campaign = (await getCampaign(deps.db, tenantId, campaignId)) ?? result.campaign;
  return result;
}
