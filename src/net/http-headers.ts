import type { IncomingMessage } from 'node:http';

// Reading HTTP headers the same way on every side of Herald: requests it serves, and answers it
// gets from providers, callback receivers and media hosts.

/** The first value of a header Node may give as a list. */
export function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A request header by its lower-case name. */
export function requestHeader(req: IncomingMessage, name: string): string | undefined {
  return firstValue(req.headers[name]);
}

/** Retry-After as delta-seconds or an HTTP-date, in milliseconds from now. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = firstValue(value)?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
