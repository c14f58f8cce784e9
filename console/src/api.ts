import { type Client, createClient } from 'graphql-ws';
import type { TypedDocumentString } from './gql/graphql';

/** A GraphQL error answer (or a failed request), with the first error's code. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

type Answer<R> = { data?: R | null; errors?: { message: string; extensions?: { code?: string } }[] };

/** Queries and mutations over HTTP, with the signed-in key. */
export async function execute<R, V>(key: string, document: TypedDocumentString<R, V>, variables?: V): Promise<R> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
  });
  const answer = (await res.json().catch(() => undefined)) as Answer<R> | undefined;
  const first = answer?.errors?.[0];
  if (first) throw new ApiError(answer.errors!.map((e) => e.message).join('; '), first.extensions?.code);
  if (!res.ok || !answer?.data) throw new ApiError(`Herald answered HTTP ${res.status}`);
  return answer.data;
}

/** `idle`: closed on purpose while nothing is watched (the connection is lazy). */
/** A mutation with one file, as a GraphQL multipart request (the `file` variable). */
export async function upload<R, V extends { file: File }>(
  key: string,
  document: TypedDocumentString<R, V>,
  variables: V,
): Promise<R> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: document.toString(), variables: { ...variables, file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', variables.file, variables.file.name);
  const res = await fetch('/graphql', { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  const answer = (await res.json().catch(() => undefined)) as Answer<R> | undefined;
  const first = answer?.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code);
  if (!res.ok || !answer?.data) throw new ApiError(`Herald answered HTTP ${res.status}`);
  return answer.data;
}

export type LiveState = 'connecting' | 'live' | 'idle' | 'closed';

/** One graphql-ws connection per signed-in session; browsers send the key in connectionParams. */
export function createLiveClient(key: string, onState: (state: LiveState) => void): Client {
  const url = new URL('/graphql', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return createClient({
    url: url.href,
    connectionParams: { authorization: `Bearer ${key}` },
    lazy: true,
    keepAlive: 15_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    on: {
      connecting: () => onState('connecting'),
      connected: () => onState('live'),
      closed: (event) => onState((event as CloseEvent | undefined)?.code === 1000 ? 'idle' : 'closed'),
    },
  });
}

export type Sink<R> = { next(data: R): void; error?(err: ApiError): void; complete?(): void };

/** Subscribes to a typed subscription document; returns the unsubscribe function. */
export function subscribe<R, V>(client: Client, document: TypedDocumentString<R, V>, variables: V, sink: Sink<R>) {
  return client.subscribe<R>(
    { query: document.toString(), variables: (variables ?? {}) as Record<string, unknown> },
    {
      next: (value) => {
        if (value.data) sink.next(value.data);
        else if (value.errors?.[0]) sink.error?.(new ApiError(value.errors[0].message));
      },
      error: (err) => sink.error?.(new ApiError(err instanceof Error ? err.message : 'subscription closed')),
      complete: () => sink.complete?.(),
    },
  );
}
