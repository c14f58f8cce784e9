import postgres from 'postgres';

// The StatusHub's transport on PostgreSQL without Redis: LISTEN/NOTIFY, so a change committed by
// the dispatch process reaches subscribers of the API process (and of any `npm run worker`)
// through the database every process already shares. Like @graphql-yoga/redis-event-target,
// dispatchEvent publishes and every process, the publishing one included, hears the event from
// the database.
//
// NOTIFY carries at most 8000 bytes, so a batch of changes is cut into several notifications.
// Events dispatched in the same tick leave in one statement, on one connection: one round trip
// for many, and in the order they were dispatched (PostgreSQL delivers one transaction's
// notifications in order, and one connection's transactions in commit order).

/** One channel for every topic: the payload names its topic. */
const CHANNEL = 'herald_events';
/** NOTIFY's limit is 8000 bytes; the rest is room for the envelope. */
export const MAX_PAYLOAD_BYTES = 7900;

type Envelope = { t: string; d: unknown };

/** Makes an item that cannot fit a notification alone smaller (e.g. shortens its free text). */
export type Shrink = (item: unknown) => unknown;

/**
 * Payloads of at most `maxBytes` (UTF-8) for an event: an array detail is split across as many
 * notifications as it needs. An item that cannot fit alone goes `shrink`ed; if it still cannot,
 * it is dropped (returned in `tooLarge`).
 */
export function toPayloads(
  topic: string,
  detail: unknown,
  { maxBytes = MAX_PAYLOAD_BYTES, shrink }: { maxBytes?: number; shrink?: Shrink } = {},
): { payloads: string[]; tooLarge: unknown[] } {
  const whole = JSON.stringify({ t: topic, d: detail } satisfies Envelope);
  if (Buffer.byteLength(whole) <= maxBytes) return { payloads: [whole], tooLarge: [] };
  if (!Array.isArray(detail)) return { payloads: [], tooLarge: [detail] };
  const head = `{"t":${JSON.stringify(topic)},"d":[`;
  const overhead = Buffer.byteLength(head) + 2; // "]}"
  const payloads: string[] = [];
  const tooLarge: unknown[] = [];
  let items: string[] = [];
  let bytes = overhead;
  for (const item of detail) {
    let json = JSON.stringify(item);
    let size = Buffer.byteLength(json) + 1; // its comma
    if (overhead + size > maxBytes && shrink) {
      json = JSON.stringify(shrink(item));
      size = Buffer.byteLength(json) + 1;
    }
    if (overhead + size > maxBytes) {
      tooLarge.push(item);
      continue;
    }
    if (bytes + size > maxBytes) {
      payloads.push(`${head}${items.join(',')}]}`);
      items = [];
      bytes = overhead;
    }
    items.push(json);
    bytes += size;
  }
  if (items.length > 0) payloads.push(`${head}${items.join(',')}]}`);
  return { payloads, tooLarge };
}

export type PostgresEventTarget = {
  target: EventTarget;
  close(): Promise<void>;
};

/**
 * An EventTarget over LISTEN/NOTIFY on its own connection (plus the listening one postgres.js
 * keeps apart). Resolves once listening, so no event published after it is missed.
 * `publishOnly`: NOTIFY without LISTEN, for a process that never has subscribers.
 * `shrink`: see toPayloads.
 */
export async function createPostgresEventTarget(
  url: string,
  onError: (err: unknown, what: string) => void,
  { publishOnly = false, shrink }: { publishOnly?: boolean; shrink?: Shrink } = {},
): Promise<PostgresEventTarget> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const local = new EventTarget();
  const onNotify = (payload: string) => {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch (err) {
      onError(err, 'unreadable notification');
      return;
    }
    local.dispatchEvent(new CustomEvent(envelope.t, { detail: envelope.d }));
  };
  // A process without subscribers (dispatch) does not listen: reading every event would be
  // work for nothing.
  const { unlisten } = publishOnly ? { unlisten: async () => {} } : await sql.listen(CHANNEL, onNotify);

  let pending: string[] = [];
  let flushing: Promise<void> | undefined;
  let closed = false;
  const flush = async () => {
    // Whatever was dispatched meanwhile leaves together once the statement before it is done.
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      // One JSON array of payloads, expanded in its order (a jsonb array keeps it); pg_notify runs row by row.
      await sql`select pg_notify(${CHANNEL}, p) from jsonb_array_elements_text(${sql.json(batch)}) as p`.catch((err) =>
        onError(err, 'NOTIFY failed: live subscribers miss these events'),
      );
    }
    flushing = undefined;
  };

  const target: EventTarget = {
    addEventListener: (type, listener, options) => local.addEventListener(type, listener, options),
    removeEventListener: (type, listener, options) => local.removeEventListener(type, listener, options),
    dispatchEvent: (event) => {
      // Published after close (a report committed while the process stops): the change is stored
      // and its history replays it; only the live push to other processes is missed.
      if (closed) return true;
      const { payloads, tooLarge } = toPayloads(event.type, (event as CustomEvent).detail, { shrink });
      if (tooLarge.length > 0) onError(new Error(`${tooLarge.length} event(s) too large for NOTIFY`), event.type);
      pending.push(...payloads);
      flushing ??= Promise.resolve().then(flush);
      return true;
    },
  };
  return {
    target,
    close: async () => {
      await unlisten().catch(() => {});
      // Events published while the last batch went out (or while unlistening) go out too.
      while (flushing) await flushing;
      closed = true;
      await sql.end({ timeout: 5 });
    },
  };
}
