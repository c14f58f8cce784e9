import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

// A customer's callback receiver on a loopback port. It verifies Herald-Signature the way the
// README tells customers to (HMAC-SHA256 of "<t>.<raw body>", constant-time comparison, a
// timestamp within five minutes of its own clock) without using any Herald code, and records
// what it accepted. It can be taken down (503) or made to drop connections.

export type CallbackBody = {
  eventId: string;
  messageId: string;
  status: string;
  previousStatus: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  channel: string;
  to: string;
  externalRef: string | null;
  occurredAt: string;
};

export type ReceivedCallback = { body: CallbackBody; raw: string; headers: IncomingHttpHeaders };

export type ReceiverMode = 'up' | 'down' | 'drop';

export type CallbackReceiver = {
  url: string;
  /** The signing secret; while undefined nothing is verified (a receiver that trusts the network). */
  secret: string | undefined;
  /** up: verify and answer 204; down: answer 503; drop: close the connection without answering. */
  mode: ReceiverMode;
  /** Callbacks accepted (answered 2xx), in arrival order. */
  received: ReceivedCallback[];
  /** Requests refused while down or dropped. */
  refused: number;
  /** Requests whose signature did not verify (answered 401), with the reason. */
  rejected: string[];
  close(): Promise<void>;
};

const TOLERANCE_SECONDS = 300;

/** What a customer writes: null when the request is authentic and fresh, else why not. */
export function verifySignature(
  secret: string,
  header: string | undefined,
  rawBody: string,
  nowMs: number,
): string | null {
  if (!header) return 'no Herald-Signature header';
  const parts = header.split(',').map((p) => p.split('=') as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k]) => k === 'v1').map(([, v]) => v ?? '');
  if (!Number.isInteger(t) || signatures.length === 0) return 'malformed Herald-Signature header';
  if (Math.abs(nowMs / 1000 - t) > TOLERANCE_SECONDS) return `timestamp ${t} is too far from now`;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const match = signatures.some((v1) => {
    const given = Buffer.from(v1, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return match ? null : 'signature mismatch';
}

export async function startCallbackReceiver(opts: { now: () => Date; secret?: string }): Promise<CallbackReceiver> {
  const receiver: CallbackReceiver = {
    url: '',
    secret: opts.secret,
    mode: 'up',
    received: [],
    refused: 0,
    rejected: [],
    close: async () => {},
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (receiver.mode === 'drop') {
        receiver.refused++;
        req.socket.destroy();
        return;
      }
      if (receiver.mode === 'down') {
        receiver.refused++;
        res.writeHead(503).end('down for maintenance');
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      if (receiver.secret !== undefined) {
        const header = req.headers['herald-signature'];
        const problem = verifySignature(
          receiver.secret,
          Array.isArray(header) ? header[0] : header,
          raw,
          opts.now().getTime(),
        );
        if (problem) {
          receiver.rejected.push(problem);
          res.writeHead(401).end(problem);
          return;
        }
      }
      // The SMSMedia guide's receiver: `const { messageId, status, errorCode } = req.body`.
      const body = JSON.parse(raw) as CallbackBody;
      receiver.received.push({ body, raw, headers: req.headers });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/herald/callbacks`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}
