import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

// Reads a CSV file as a stream of records keyed by its header row, in chunks, so a file of a
// million rows never sits in memory whole.

export type CsvRecord = Record<string, string>;

/** One chunk of records and the 1-based file line of its first record (the header is line 1). */
export type CsvChunk = { firstRow: number; records: CsvRecord[]; bytesRead: number };

export async function* csvChunks(path: string, chunkSize: number): AsyncGenerator<CsvChunk> {
  const file = createReadStream(path);
  const parser = file.pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim()),
      bom: true,
      skip_empty_lines: true,
      trim: true,
    }),
  );
  let records: CsvRecord[] = [];
  let firstRow = 2;
  for await (const record of parser as AsyncIterable<CsvRecord>) {
    records.push(record);
    if (records.length === chunkSize) {
      yield { firstRow, records, bytesRead: file.bytesRead };
      firstRow += records.length;
      records = [];
    }
  }
  if (records.length > 0) yield { firstRow, records, bytesRead: file.bytesRead };
}

/** The header row of the file. */
export async function csvHeader(path: string): Promise<string[]> {
  const parser = createReadStream(path).pipe(parse({ to_line: 1, bom: true, trim: true }));
  for await (const row of parser as AsyncIterable<string[]>) return row;
  return [];
}
