// The first rows of a CSV, read in the browser to map its columns before anything is uploaded.
// Herald itself parses the whole file on import (csv-parse); this reads only enough to show it:
// RFC 4180 quoting, CRLF or LF, a byte order mark.

const PREVIEW_BYTES = 64 * 1024;

export type CsvPreview = { header: string[]; rows: string[][] };

export async function previewCsv(file: Blob, maxRows = 5): Promise<CsvPreview> {
  const text = (await file.slice(0, PREVIEW_BYTES).text()).replace(/^\uFEFF/, '');
  const records = parseRecords(text, maxRows + 1, file.size > PREVIEW_BYTES);
  const [header = [], ...rows] = records;
  return { header: header.map((name) => name.trim()), rows };
}

/** Up to `limit` records; the last one is dropped when the text was cut short and it may be incomplete. */
function parseRecords(text: string, limit: number, truncated: boolean): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let complete = true;
  for (let i = 0; i < text.length && records.length < limit; i++) {
    const char = text[i];
    complete = false;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      if (record.length > 1 || record[0] !== '') records.push(record);
      record = [];
      cell = '';
      complete = true;
    } else cell += char;
  }
  if (!complete && records.length < limit && !truncated) {
    record.push(cell);
    records.push(record);
  }
  return records;
}

/** What a column fills, guessed from its name: the recipient, the external ref, or the next parameter. */
export function guessMapping(header: string[]): string[] {
  let param = 0;
  let hasTo = false;
  return header.map((name) => {
    const lower = name.toLowerCase().replace(/[^a-z]/g, '');
    if (!hasTo && ['to', 'phone', 'mobile', 'number', 'email', 'recipient', 'msisdn'].includes(lower)) {
      hasTo = true;
      return 'to';
    }
    if (['externalref', 'ref', 'reference', 'id'].includes(lower)) return 'externalRef';
    param++;
    return `params.${param}`;
  });
}
