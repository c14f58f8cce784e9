// A keyset page from the domain (rows, a cursor per row, whether more lie either way) as a Relay
// connection: every list field answers the same shape the same way.

import type { KeysetPage } from '../db/keyset-page.js';

export function connectionOf<Row>(page: KeysetPage<Row>) {
  const edges = page.rows.map((node) => ({ cursor: page.cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
