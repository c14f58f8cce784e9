import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

// The request id of the work in progress: set where a request enters Herald (HTTP) or where
// the work of an earlier request resumes (a queued message being dispatched), read by the
// logger (every line written meanwhile carries it), by the accept path (stored with the
// message) and by callbacks (sent as X-Request-Id). AsyncLocalStorage carries it through
// awaits, so no layer between needs to pass it along.

export const REQUEST_ID_HEADER = 'x-request-id';

/** Ids a caller may choose: up to 128 characters a log line, a header and a URL carry as they are. */
const ACCEPTED_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

const storage = new AsyncLocalStorage<string>();

/** The caller's x-request-id when it is a safe one; else a new id. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && ACCEPTED_ID.test(given) ? given : randomUUID();
}

/** Whether `id` is one Herald would accept as it is (stored values are checked again on use). */
export function isAcceptableRequestId(id: string): boolean {
  return ACCEPTED_ID.test(id);
}

/** Runs `work` as part of request `requestId` (nothing changes when there is none). */
export function withRequestId<T>(requestId: string | null | undefined, work: () => T): T {
  return requestId ? storage.run(requestId, work) : work();
}

/** The request id of the work in progress, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore();
}
