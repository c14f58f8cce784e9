import { HeraldConnectionError, HeraldRequestError, type HeraldGraphQLError } from './errors.js';
import type { Sink } from './push-iterator.js';

// A subscription over Server-Sent Events (GraphQL over SSE, "distinct connections": one POST per
// subscription, `accept: text/event-stream`): `next` events carry results, `complete` ends it.
// For runtimes or networks where a WebSocket will not do; graphql-ws is the default.

export function sseEvents(
  fetchImpl: typeof fetch,
  endpoint: string,
  headers: Record<string, string>,
  body: { query: string; variables: Record<string, unknown> },
  signal: AbortSignal,
  sink: Sink<unknown>,
): void {
  void (async () => {
    const res = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(body),
      signal,
    });
    if (!res.ok || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
      // A refusal before the stream (401, a document over the limits) is JSON with its errors.
      const text = await res.text();
      let errors: HeraldGraphQLError[] = [{ message: `HTTP ${res.status}` }];
      try {
        errors = (JSON.parse(text) as { errors?: HeraldGraphQLError[] }).errors ?? errors;
      } catch {}
      throw new HeraldRequestError(errors, res.status);
    }
    if (!res.body) throw new HeraldConnectionError('the event stream has no body', res.status);
    let buffer = '';
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      buffer += read.value.replace(/\r\n?/g, '\n');
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event.name === 'complete') {
          await reader.cancel();
          return sink.complete();
        }
        if (event.name === 'next' && event.data) sink.next(JSON.parse(event.data));
      }
    }
    sink.error(new HeraldConnectionError('the event stream ended before the subscription completed'));
  })().catch((err: unknown) => {
    if (!signal.aborted) sink.error(err);
  });
}

/** One event's name and data lines (comments, the stream's keep-alives, are skipped). */
function parseEvent(block: string): { name: string; data: string } {
  let name = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  return { name, data: data.join('\n') };
}
