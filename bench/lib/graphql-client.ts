import { Pool } from 'undici';

export type GraphQLResponse = {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: unknown[] } | undefined;
};

/**
 * Raw JSON-over-POST GraphQL client on a keep-alive undici pool, one connection per concurrent
 * client, so the measurement includes no connection set-up and no client library overhead.
 */
export class GraphQLClient {
  private readonly pool: Pool;
  private readonly headers: Record<string, string>;

  constructor(url: string, apiKey: string, connections: number) {
    this.pool = new Pool(url, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    this.headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${apiKey}`,
    };
  }

  async post(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
    const res = await this.pool.request({
      path: '/graphql',
      method: 'POST',
      headers: this.headers,
      body: JSON.stringify(variables ? { query, variables } : { query }),
    });
    const text = await res.body.text();
    let body: GraphQLResponse['body'];
    try {
      body = JSON.parse(text) as GraphQLResponse['body'];
    } catch {
      body = undefined;
    }
    return { status: res.statusCode, body };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * `{ __typename }`: the cheapest operation there is, the floor every request pays (HTTP, API-key
 * check, Yoga, one field). Throws `describe(res)` unless it answered as it should.
 */
export async function bareQuery(
  client: GraphQLClient,
  describe: (res: GraphQLResponse) => string = (res) => `HTTP ${res.status}`,
): Promise<void> {
  const res = await client.post('{ __typename }');
  if (res.status !== 200 || res.body?.data?.__typename !== 'Query') throw new Error(describe(res));
}
