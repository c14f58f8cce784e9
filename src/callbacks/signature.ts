import { createHmac, randomBytes } from 'node:crypto';

// Callbacks are signed the way Stripe signs webhooks: the receiver recomputes
// HMAC-SHA256(secret, "<t>.<raw body>") and compares it with v1 in constant time, and rejects a
// t too far from its own clock, so a captured request cannot be replayed later.

export const SIGNATURE_HEADER = 'Herald-Signature';
export const EVENT_ID_HEADER = 'Herald-Event-Id';

/** A new signing secret: 256 random bits. The HMAC key is the whole string, prefix included. */
export const generateSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` */
export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}
