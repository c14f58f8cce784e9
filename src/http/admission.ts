import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authenticator } from '../tenancy/authenticator.js';
import type { Principal } from '../tenancy/service.js';
import type { KeyRateLimiter } from './key-rate-limit.js';

// Admission of an API request from its headers alone: the key is authenticated and its rate
// limit taken before any of the body is read, so a caller without a valid key (or over its
// limit) cannot make Herald read, buffer or parse an upload. A refusal answers with
// `connection: close`: Node would otherwise read and discard the rest of the body to keep the
// connection alive, which is the work being refused.

export type Refusal = { status: 401 | 429; retryAfterSeconds?: number };
export type Admission = { principal: Principal; refusal?: undefined } | { principal?: undefined; refusal: Refusal };

export function createAdmission(deps: { authenticator: Authenticator; limiter: KeyRateLimiter | undefined }) {
  return async function admit(key: string | undefined): Promise<Admission> {
    const principal = await deps.authenticator.authenticate(key);
    if (!principal) return { refusal: { status: 401 } };
    const decision = deps.limiter?.take(principal.keyId);
    if (decision && !decision.allowed)
      return { refusal: { status: 429, retryAfterSeconds: decision.retryAfterSeconds } };
    return { principal };
  };
}

export type Admit = ReturnType<typeof createAdmission>;

/** Answers a refusal without reading the request body, and closes the connection after it. */
export function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    ...headers,
    connection: 'close',
  });
  res.end(body);
  // Nothing more is read from this request: the socket closes once the answer is written.
  req.pause();
}

export function retryAfterHeader(refusal: Refusal): Record<string, string> {
  return refusal.retryAfterSeconds !== undefined ? { 'retry-after': String(refusal.retryAfterSeconds) } : {};
}

export const RATE_LIMITED_MESSAGE = (seconds: number) => `too many requests for this API key; retry in ${seconds} s`;
