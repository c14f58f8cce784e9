import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, Kind, OperationTypeNode, print } from 'graphql';
import { ClientError, GraphQLClient } from 'graphql-request';
import { type Client as WsClient, createClient } from 'graphql-ws';
import { extractFiles, multipartBody } from './multipart.js';
import { type HeraldSubscription, pushIterator, type Sink } from './push-iterator.js';
import { HeraldConnectionError, type HeraldGraphQLError, HeraldRequestError } from './errors.js';
import { sseEvents } from './sse.js';

// createHeraldClient: Herald's GraphQL API with the types of the documents it is given (the
// typed documents this package exports, or an integrator's own from codegen). Queries and
// mutations over HTTP (graphql-request); subscriptions over graphql-ws (default) or
// Server-Sent Events, as async iterators that end when Herald completes the subscription.

export type HeraldClientOptions = {
  /** Herald's address (`http://127.0.0.1:4000`) or its GraphQL endpoint (`…/graphql`). */
  url: string;
  /** An API key (`hk_…`); its scopes decide what the client may do. */
  apiKey: string;
  /** How subscriptions travel: `ws` (graphql-ws, one socket shared by all) or `sse` (one stream each). */
  subscriptions?: 'ws' | 'sse';
  /** A WebSocket constructor where the runtime has none; on Node 20 the `ws` package is used. */
  webSocketImpl?: unknown;
  /** A fetch of your own (proxies, tests); the global one by default. */
  fetch?: typeof fetch;
};

export type SubscribeOptions = {
  /** Ends the subscription (the iterator finishes) when aborted. */
  signal?: AbortSignal;
};

/** Variables as an argument: optional when the operation has none or all are optional. */
export type VariablesArgs<V> =
  V extends Record<string, never>
    ? [variables?: V]
    : // biome-ignore lint/complexity/noBannedTypes: `{} extends V` asks whether every variable is optional
      {} extends V
      ? [variables?: V]
      : [variables: V];
type SubscribeArgs<V> = [...VariablesArgs<V>, options?: SubscribeOptions];

export type HeraldClient = {
  /** `…/graphql`: where requests go. */
  readonly endpoint: string;
  query<Result, Variables extends Record<string, unknown>>(
    document: TypedDocumentNode<Result, Variables>,
    ...variables: VariablesArgs<Variables>
  ): Promise<Result>;
  mutate<Result, Variables extends Record<string, unknown>>(
    document: TypedDocumentNode<Result, Variables>,
    ...variables: VariablesArgs<Variables>
  ): Promise<Result>;
  /** Each result as it comes; ends when Herald completes the subscription, on `break`, or on abort. */
  subscribe<Result, Variables extends Record<string, unknown>>(
    document: TypedDocumentNode<Result, Variables>,
    ...args: SubscribeArgs<Variables>
  ): HeraldSubscription<Result>;
  /** Closes the subscription socket, if one is open; running subscriptions end. */
  dispose(): Promise<void>;
};

export function createHeraldClient(options: HeraldClientOptions): HeraldClient {
  const endpoint = graphqlEndpoint(options.url);
  const headers = { authorization: `Bearer ${options.apiKey}` };
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const http = new GraphQLClient(endpoint, { headers, fetch: fetchImpl });

  async function request<R, V>(kind: OperationTypeNode, document: TypedDocumentNode<R, V>, variables: unknown) {
    assertOperation(document, kind);
    const upload = extractFiles((variables ?? {}) as Record<string, unknown>);
    if (upload.files.length > 0) return multipart<R>(print(document as DocumentNode), upload.variables, upload.files);
    try {
      return await http.request<R>(document as DocumentNode, upload.variables);
    } catch (err) {
      if (err instanceof ClientError) {
        const errors = err.response.errors?.length
          ? (err.response.errors as unknown as HeraldGraphQLError[])
          : [{ message: `HTTP ${err.response.status}` }];
        throw new HeraldRequestError(errors, err.response.status);
      }
      throw err;
    }
  }

  async function multipart<R>(
    query: string,
    variables: Record<string, unknown>,
    files: { path: string; file: Blob }[],
  ) {
    const res = await fetchImpl(endpoint, {
      method: 'POST',
      headers,
      body: multipartBody(query, variables, files),
    });
    const body = (await res.json().catch(() => ({}))) as { data?: R; errors?: HeraldGraphQLError[] };
    if (body.errors?.length || !res.ok || !body.data)
      throw new HeraldRequestError(body.errors?.length ? body.errors : [{ message: `HTTP ${res.status}` }], res.status);
    return body.data;
  }

  // One graphql-ws socket for all subscriptions, opened on the first and closed after the last.
  let ws: Promise<WsClient> | undefined;
  const wsClient = () => {
    ws ??= (async () =>
      createClient({
        url: endpoint.replace(/^http/, 'ws'),
        webSocketImpl: options.webSocketImpl ?? globalThis.WebSocket ?? (await import('ws')).default,
        connectionParams: { apiKey: options.apiKey },
        lazy: true,
        retryAttempts: 5,
        // A lost connection is retried; Herald refusing the key (4403: wrong or revoked) is not.
        shouldRetry: (event) => isCloseEvent(event) && event.code !== KEY_REFUSED,
      }))();
    return ws;
  };

  const overWebSocket =
    (query: string, variables: Record<string, unknown>) =>
    (sink: Sink<unknown>): (() => void) => {
      let unsubscribe: (() => void) | undefined;
      let stopped = false;
      wsClient().then((client) => {
        if (stopped) return;
        unsubscribe = client.subscribe<unknown>(
          { query, variables },
          {
            next: (result) => deliver(result, sink),
            error: (error) => sink.error(subscriptionError(error)),
            complete: () => sink.complete(),
          },
        );
      }, sink.error);
      return () => {
        stopped = true;
        unsubscribe?.();
      };
    };

  const overSse =
    (query: string, variables: Record<string, unknown>) =>
    (sink: Sink<unknown>): (() => void) => {
      const abort = new AbortController();
      sseEvents(fetchImpl, endpoint, headers, { query, variables }, abort.signal, {
        next: (result) => deliver(result as Result, sink),
        error: (error) => sink.error(error),
        complete: () => sink.complete(),
      });
      return () => abort.abort();
    };

  return {
    endpoint,
    query: (document, ...[variables]) => request(OperationTypeNode.QUERY, document, variables),
    mutate: (document, ...[variables]) => request(OperationTypeNode.MUTATION, document, variables),
    subscribe<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, ...args: SubscribeArgs<V>) {
      const [variables, subscribeOptions] = args as unknown as [V | undefined, SubscribeOptions | undefined];
      assertOperation(document, OperationTypeNode.SUBSCRIPTION);
      const transport = options.subscriptions === 'sse' ? overSse : overWebSocket;
      const source = transport(print(document as DocumentNode), (variables ?? {}) as Record<string, unknown>);
      return pushIterator(source as (sink: Sink<R>) => () => void, subscribeOptions?.signal);
    },
    async dispose() {
      const client = ws;
      ws = undefined;
      await (await client)?.dispose();
    },
  };
}

/** The graphql-ws close code for a key Herald refuses (on connecting, or once it is revoked). */
const KEY_REFUSED = 4403;

const isCloseEvent = (value: unknown): value is { code: number; reason?: string } =>
  typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'number';

/** A result's data to the consumer; a result with errors ends the subscription with them. */
type Result = { data?: unknown; errors?: readonly unknown[] };
function deliver(result: Result, sink: Sink<unknown>): void {
  if (result.errors?.length) sink.error(new HeraldRequestError(result.errors as unknown as HeraldGraphQLError[]));
  else if (result.data) sink.next(result.data);
}

/** What graphql-ws reports (GraphQL errors, a close event, an Error) as one of ours. */
function subscriptionError(error: unknown): Error {
  if (Array.isArray(error)) return new HeraldRequestError(error as HeraldGraphQLError[]);
  if (error instanceof Error) return error;
  if (isCloseEvent(error))
    return new HeraldConnectionError(
      `the subscription socket closed (${error.code}${error.reason ? `: ${error.reason}` : ''})`,
      error.code,
    );
  return new HeraldConnectionError(`the subscription socket failed: ${String(error)}`);
}

function graphqlEndpoint(url: string): string {
  const u = new URL(url);
  if (!u.pathname.endsWith('/graphql')) u.pathname = `${u.pathname.replace(/\/$/, '')}/graphql`;
  return u.toString();
}

/** A mutation given to `query` (or the like) is a mistake in the caller's code: said at once. */
function assertOperation(document: DocumentNode, kind: OperationTypeNode): void {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION)
    throw new TypeError('the document holds no operation');
  if (operation.operation !== kind)
    throw new TypeError(`${operation.name?.value ?? 'the operation'} is a ${operation.operation}, not a ${kind}`);
}
