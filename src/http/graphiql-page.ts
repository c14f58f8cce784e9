import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { requestHeader } from '../net/http-headers.js';

const gzipAsync = promisify(gzip);

const HEADERS = JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2);

const EXAMPLE_QUERY = `# Herald's GraphQL API. Put your API key in the Headers tab below, then run an operation.
# More examples are in the other tabs: a send, and a live subscription.

query RecentMessages {
  viewer { scopes tenant { name } }
  messages(first: 10) {
    edges { node { messageId channel to status statusAt } }
  }
}
`;

const EXAMPLE_SEND = `mutation SendSms {
  sendSms(input: { to: "+919800000001", text: "Hello from Herald" }) {
    __typename
    ... on Message { messageId status }
    ... on ValidationError { message field }
    ... on RecipientSuppressedError { message }
  }
}
`;

const EXAMPLE_SUBSCRIBE = `subscription WatchMessages {
  messageEvents {
    messageId channel to previousStatus status occurredAt errorCode
  }
}
`;

/**
 * GraphiQL from the npm package (its scripts, styles and editor workers inline), so it works on a
 * server with no access to a CDN. The page is about 9 MB: rendered and gzipped once, on first use.
 */
export function createGraphiqlPage(): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  let page: Promise<{ raw: Buffer; gzip: Buffer }> | undefined;
  const render = async () => {
    const raw = Buffer.from(
      renderGraphiQL({
        title: 'Herald GraphiQL',
        subscriptionsProtocol: 'WS',
        headers: HEADERS,
        defaultHeaders: HEADERS,
        shouldPersistHeaders: false,
        defaultTabs: [
          { query: EXAMPLE_QUERY, headers: HEADERS },
          { query: EXAMPLE_SEND, headers: HEADERS },
          { query: EXAMPLE_SUBSCRIBE, headers: HEADERS },
        ],
      }),
    );
    return { raw, gzip: await gzipAsync(raw, { level: 6 }) };
  };
  return async (req, res) => {
    page ??= render();
    const { raw, gzip: zipped } = await page;
    const useGzip = /\bgzip\b/.test(requestHeader(req, 'accept-encoding') ?? '');
    const body = useGzip ? zipped : raw;
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        vary: 'accept-encoding',
        'content-length': String(body.length),
        ...(useGzip ? { 'content-encoding': 'gzip' } : {}),
      })
      .end(req.method === 'HEAD' ? undefined : body);
  };
}
