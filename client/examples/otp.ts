// One-time passwords: an AUTHENTICATION SMS that expires with the code, then a short live wait
// until the provider took it (SENT), so the app can offer another way at once if it failed.
//
//   HERALD_KEY=hk_… npx tsx examples/otp.ts +14155550123
import { randomInt } from 'node:crypto';
import { createHeraldClient, MessageStatusChangedDocument, SendSmsDocument } from '@herald/client';

const herald = createHeraldClient({
  url: process.env.HERALD_URL ?? 'http://127.0.0.1:4000',
  apiKey: process.env.HERALD_KEY ?? '',
});
const phone = process.argv[2] ?? '+14155550123';
const TTL_MS = 5 * 60_000;

const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
const { sendSms: sent } = await herald.mutate(SendSmsDocument, {
  input: {
    to: phone,
    text: `Your verification code is ${code}. It expires in 5 minutes.`,
    category: 'AUTHENTICATION',
    // Not sent at all once the code is no longer valid (EXPIRED instead).
    validUntil: new Date(Date.now() + TTL_MS).toISOString(),
    tags: ['otp'],
  },
});
if (sent.__typename !== 'Message') throw new Error(`${sent.__typename} (${sent.field}): ${sent.message}`);
console.log(`code for ${sent.to}: message ${sent.id}`);

// The history so far, then each change; `break` ends the subscription (and its socket).
let last = sent.status;
for await (const { messageStatusChanged: event } of herald.subscribe(
  MessageStatusChangedDocument,
  { id: sent.id },
  { signal: AbortSignal.timeout(30_000) },
)) {
  last = event.status;
  console.log(`  ${event.status}${event.errorCode ? ` (${event.errorCode})` : ''}`);
  if (['SENT', 'DELIVERED', 'READ', 'FAILED', 'UNDELIVERED', 'EXPIRED', 'CANCELED'].includes(last)) break;
}
if (last === 'SENT' || last === 'DELIVERED' || last === 'READ') console.log('code sent');
else {
  console.log(`code not sent (${last}): offer email or a call instead`);
  process.exitCode = 1;
}
