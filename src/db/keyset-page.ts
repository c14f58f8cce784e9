import { ValidationError } from '../errors.js';

// Keyset pagination, the same for every list: `first/after` reads forwards, `last/before`
// backwards; a page is fetched one row beyond its size, and that extra row says whether more
// lie that way. Each list keeps its own order and cursor; this is what they share.

/** Rows a page holds at most, and without first/last. */
const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;

export type PageRequest = {
  first?: number | undefined;
  after?: string | undefined;
  last?: number | undefined;
  before?: string | undefined;
};

/** A page of rows, a cursor per row, and whether more lie either way (graphql/connection.ts shows it). */
export type KeysetPage<Row> = {
  rows: Row[];
  cursorOf: (row: Row) => string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
};

/** How a page reads: backwards for `last` without `first`; `size` rows (fetch one more). */
export type PageReading = { backwards: boolean; size: number };

/** The request's direction and size; sizes beyond 0..MAX_PAGE_SIZE, or first with last, are refused. */
export function readingOf(page: PageRequest): PageReading {
  const first = checkedSize(page.first, 'first');
  const last = checkedSize(page.last, 'last');
  if (first !== undefined && last !== undefined)
    throw new ValidationError('last', 'use either first or last, not both');
  const backwards = last !== undefined && first === undefined;
  return { backwards, size: (backwards ? last : first) ?? DEFAULT_PAGE_SIZE };
}

function checkedSize(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE)
    throw new ValidationError(field, `${field} must be between 0 and ${MAX_PAGE_SIZE}`);
  return value;
}

/** The page from rows fetched in its reading order, `size + 1` at most, put back in list order. */
export function keysetPage<Row>(
  fetched: Row[],
  reading: PageReading,
  page: PageRequest,
  cursorOf: (row: Row) => string,
): KeysetPage<Row> {
  const more = fetched.length > reading.size;
  const rows = fetched.slice(0, reading.size);
  if (reading.backwards) rows.reverse();
  return {
    rows,
    cursorOf,
    hasNextPage: reading.backwards ? page.before !== undefined : more,
    hasPreviousPage: reading.backwards ? more : page.after !== undefined,
  };
}
