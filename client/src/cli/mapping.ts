// `--map to=phone,param1=name,param2=amount,ref=invoice`: which CSV column feeds which part of a
// recipient. `to` is required; `paramN` fills placeholder {{N}} (WhatsApp template parameter N);
// `ref` is the recipient's externalRef; `meta.KEY` lands in its metadata.

import type { CsvRecord } from './csv-rows.js';

export type Mapping = { to: string; params: string[]; ref?: string; meta: Record<string, string> };

export type Recipient = { to: string; params?: string[]; externalRef?: string; metadata?: Record<string, string> };

export class MappingError extends Error {}

export function parseMapping(spec: string, header: readonly string[]): Mapping {
  const params: string[] = [];
  const meta: Record<string, string> = {};
  let to: string | undefined;
  let ref: string | undefined;
  for (const pair of spec.split(',').filter((p) => p.trim() !== '')) {
    const [key, column] = pair.split('=').map((s) => s.trim());
    if (!key || !column) throw new MappingError(`--map: "${pair}" is not key=column`);
    if (!header.includes(column))
      throw new MappingError(`--map: the file has no column "${column}" (columns: ${header.join(', ')})`);
    const param = /^param(\d+)$/.exec(key);
    if (key === 'to') to = column;
    else if (key === 'ref') ref = column;
    else if (param) params[Number(param[1]) - 1] = column;
    else if (key.startsWith('meta.') && key.length > 5) meta[key.slice(5)] = column;
    else throw new MappingError(`--map: unknown key "${key}" (use to, paramN, ref, meta.KEY)`);
  }
  if (!to) throw new MappingError('--map: name the column of the recipients, e.g. to=phone');
  for (let i = 0; i < params.length; i++)
    if (params[i] === undefined) throw new MappingError(`--map: param${i + 1} is missing (params are numbered from 1)`);
  return { to, params, ...(ref ? { ref } : {}), meta };
}

export function toRecipient(mapping: Mapping, record: CsvRecord): Recipient {
  const recipient: Recipient = { to: record[mapping.to] ?? '' };
  if (mapping.params.length > 0) recipient.params = mapping.params.map((c) => record[c] ?? '');
  if (mapping.ref && record[mapping.ref]) recipient.externalRef = record[mapping.ref];
  const metaKeys = Object.keys(mapping.meta);
  if (metaKeys.length > 0)
    recipient.metadata = Object.fromEntries(metaKeys.map((k) => [k, record[mapping.meta[k]!] ?? '']));
  return recipient;
}
