import type { Socket } from 'node:net';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { OutboundMessage, Provider, SendFailure, SendResult, SendSuccess } from './provider.js';
import { DESTINATION_NOT_ALLOWED, isDestinationNotAllowed, type OutboundGuard } from '../net/outbound.js';
import { redactor } from './redact.js';

// Email through any SMTP server (a relay, a mailbox provider's submission port, Amazon SES's
// SMTP interface...), with nodemailer's connection pool. SENT means the server answered 250 to
// the message: SMTP has no delivery reports. Bounces come back later as emails (DSNs) to the
// envelope sender's mailbox, not to Herald, so this provider exposes no webhook; an email it
// sent stays SENT unless something else reports on it.
//
// Each message carries Message-ID <herald message id@herald>: the same on every attempt, so a
// resend after a timeout can be recognised downstream, and a DSN (which quotes it) can be
// matched to the message. It is also the provider message id Herald stores.

export type SmtpConfig = {
  host: string;
  /** Default 587 (submission with STARTTLS). */
  port?: number;
  /** TLS from the first byte (port 465). Default: port === 465. */
  secure?: boolean;
  /** Refuse to go on without STARTTLS on a non-secure port (no plaintext credentials). Default false. */
  requireTls?: boolean;
  /** Verify the server's certificate. Default true; false only for self-signed test servers. */
  tlsRejectUnauthorized?: boolean;
  /** No authentication when absent (a relay that trusts the network). */
  user?: string;
  password?: string;
  /** Default sender ("Name <address>" or an address) when the message has none. */
  from?: string;
  /** Connections open at once at most (default 5); further sends wait for one. */
  poolSize?: number;
  /** Default 'smtp'. */
  name?: string;
  /** Set for tenant-configured instances: their host is tenant input, so connections are guarded. */
  outbound?: OutboundGuard;
  /** Default 10 messages per second per sender (override with HERALD_RATE_LIMITS). */
  maxPerSecond?: number;
  /** TCP connect, greeting and socket inactivity limits (defaults 10 s, 10 s, 60 s). */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
};

export const DEFAULT_MAX_PER_SECOND = 10;

const AUTH_FAILED = 'SMTP authentication failed: check SMTP_USER and SMTP_PASSWORD';

/** nodemailer's error: `code` is its own category, `responseCode` the server's reply code. */
type SmtpError = Error & {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  rejected?: string[];
  rejectedErrors?: SmtpError[];
};

export function createSmtpProvider(cfg: SmtpConfig): Provider {
  if (!cfg.host) throw new Error('smtp provider: host is required');
  if (cfg.user && cfg.password === undefined) throw new Error('smtp provider: a user needs a password');
  const name = cfg.name ?? 'smtp';
  const port = cfg.port ?? 587;
  const poolSize = cfg.poolSize ?? 5;

  // maxRequeues is a pool option @types/nodemailer does not list yet.
  const options: SMTPPool.Options & { maxRequeues: number } = {
    pool: true,
    host: cfg.host,
    port,
    secure: cfg.secure ?? port === 465,
    requireTLS: cfg.requireTls ?? false,
    tls: { rejectUnauthorized: cfg.tlsRejectUnauthorized ?? true },
    maxConnections: poolSize,
    // A connection closed under a message is retried once here; beyond that, Herald's own
    // retries (with backoff, counted as attempts) take over. nodemailer's default is forever.
    maxRequeues: 1,
    connectionTimeout: cfg.connectionTimeoutMs ?? 10_000,
    greetingTimeout: cfg.greetingTimeoutMs ?? 10_000,
    socketTimeout: cfg.socketTimeoutMs ?? 60_000,
    dnsTimeout: cfg.connectionTimeoutMs ?? 10_000,
    logger: false,
    // Tenant servers: Herald opens the TCP connection itself, through the outbound guard.
    ...(cfg.outbound && !cfg.outbound.allowPrivate
      ? { getSocket: guardedSocket(cfg.outbound, cfg.connectionTimeoutMs ?? 10_000) }
      : {}),
    ...(cfg.user ? { auth: { user: cfg.user, pass: cfg.password ?? '' } } : {}),
  };
  const transporter = nodemailer.createTransport(options);
  // Only OAuth2 token refreshes emit here (not used); an unhandled 'error' event would crash.
  transporter.on('error', () => {});

  // The password never leaves: not as itself, nor as the base64 forms AUTH PLAIN/LOGIN send.
  const secrets = cfg.password
    ? [
        cfg.password,
        Buffer.from(cfg.password).toString('base64'),
        Buffer.from(`\u0000${cfg.user ?? ''}\u0000${cfg.password}`).toString('base64'),
      ]
    : [];
  const { text: scrub, json: scrubRaw } = redactor(secrets);
  const fail = (code: string, message: string, retryable: boolean, raw?: unknown): SendFailure => ({
    ok: false,
    code,
    message: scrub(message),
    retryable,
    ...(raw !== undefined ? { raw: scrubRaw(raw) } : {}),
  });

  // nodemailer queues sends beyond its connections and sends them whenever one frees up, even
  // after Herald gave up waiting (a duplicate once Herald retries). So at most `poolSize` sends
  // are handed to it at a time; the others wait here, where giving up means nothing was sent.
  const slots = new Slots(poolSize);

  function mailFor(message: OutboundMessage): Mail.Options | SendFailure {
    const from = message.sender ?? cfg.from;
    if (!from)
      return fail(
        'NO_SENDER',
        `no sender: the message has no from address and provider ${name} has no SMTP_FROM`,
        false,
      );
    const opts = message.channelOptions;
    const to = addresses(opts.to);
    const html = typeof opts.html === 'string' ? opts.html : undefined;
    const text = message.body ?? undefined;
    if (html === undefined && text === undefined)
      return fail('NO_CONTENT', 'the email has neither text nor html', false);
    return {
      from,
      to: to.length > 0 ? to : [message.recipient],
      cc: addresses(opts.cc),
      bcc: addresses(opts.bcc),
      subject: message.subject ?? '',
      ...(text !== undefined ? { text } : {}),
      ...(html !== undefined ? { html } : {}),
      // Herald media read by the dispatcher: bytes in memory, never a path or a URL.
      ...(message.attachments?.length
        ? {
            attachments: message.attachments.map((a) => ({
              filename: a.filename,
              contentType: a.mimeType,
              content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
            })),
          }
        : {}),
      messageId: `<${message.id}@herald>`,
      // Never tracking pixels or link rewriting: nodemailer sends exactly this.
      disableFileAccess: true,
      disableUrlAccess: true,
    };
  }

  async function send(message: OutboundMessage, opts: { timeoutMs: number; signal: AbortSignal }): Promise<SendResult> {
    if (message.channel !== 'EMAIL')
      return fail('UNSUPPORTED_CHANNEL', `provider ${name} sends EMAIL only, not ${message.channel}`, false);
    if (message.validUntil && message.validUntil.getTime() <= Date.now()) {
      return fail('EXPIRED', 'the message expired (valid until) before it could be sent', false);
    }
    const mail = mailFor(message);
    if ('ok' in mail) return mail;
    if (opts.signal.aborted) return fail('ABORTED', 'the send was aborted before it started', true);

    return new Promise<SendResult>((resolve) => {
      let settled = false;
      let handedOver = false;
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      // Past the deadline the answer is "unknown": retryable, like an HTTP timeout. A message
      // already handed to nodemailer may still go out (at-least-once; same Message-ID).
      const timedOut = () =>
        handedOver
          ? fail('TIMEOUT', `the SMTP server did not accept the message within ${opts.timeoutMs} ms`, true)
          : fail('TIMEOUT', `no SMTP connection became free within ${opts.timeoutMs} ms (all ${poolSize} busy)`, true);
      const timer = setTimeout(() => finish(timedOut()), opts.timeoutMs);
      const onAbort = () => {
        // A deadline on the caller's signal (AbortSignal.timeout) is a timeout too.
        if ((opts.signal.reason as { name?: string } | undefined)?.name === 'TimeoutError') finish(timedOut());
        else
          finish(
            fail(
              'ABORTED',
              handedOver
                ? 'the send was aborted before the SMTP server answered'
                : 'the send was aborted before it started',
              true,
            ),
          );
      };
      opts.signal.addEventListener('abort', onAbort, { once: true });

      slots.acquire(() => {
        if (settled) return false; // gave up while waiting: nothing sent, the slot goes to the next
        handedOver = true;
        transporter.sendMail(mail, (err: Error | null, info: SMTPPool.SentMessageInfo) => {
          slots.release();
          finish(err ? classify(err as SmtpError) : accepted(info));
        });
        return true;
      });
    });
  }

  function accepted(info: SMTPPool.SentMessageInfo): SendSuccess {
    const response = typeof info.response === 'string' ? scrub(info.response) : '';
    const queueId = /queued as ([A-Za-z0-9._-]+)/i.exec(response)?.[1];
    return {
      ok: true,
      providerMessageId: info.messageId,
      raw: {
        response,
        ...(queueId ? { queueId } : {}),
        accepted: info.accepted,
        // Some recipients refused while others were accepted: the message is sent to the latter.
        rejected: info.rejected,
      },
    };
  }

  function classify(err: SmtpError): SendFailure {
    // The same answer whatever is behind a refused destination: no port scanning through sends.
    if (isDestinationNotAllowed(err)) return fail('DESTINATION_NOT_ALLOWED', DESTINATION_NOT_ALLOWED, false);
    const reply = err.response ? scrub(err.response) : undefined;
    const raw = {
      code: err.code,
      command: err.command,
      ...(err.responseCode ? { responseCode: err.responseCode } : {}),
      ...(reply ? { response: reply } : {}),
      ...(err.rejected?.length ? { rejected: err.rejected } : {}),
    };
    const said = reply ? ` (server said: ${reply})` : '';
    const status = err.responseCode;

    // Authentication: 535 bad credentials, 534 mechanism too weak, 530 required; 454 is temporary.
    if (err.code === 'EAUTH' || status === 535 || status === 534 || status === 530) {
      if (status !== undefined && status >= 400 && status < 500)
        return fail(`SMTP_${status}`, `temporary SMTP authentication failure${said}`, true, raw);
      return fail('SMTP_AUTH', `${AUTH_FAILED}${said}`, false, raw);
    }
    if (/certificate|self[- ]signed/i.test(err.message) && (err.code === 'ESOCKET' || err.code === 'ETLS')) {
      return fail(
        'SMTP_TLS',
        `the SMTP server's TLS certificate is not trusted (${err.message}); for a self-signed test server set SMTP_TLS_REJECT_UNAUTHORIZED=false`,
        false,
        raw,
      );
    }
    if (status !== undefined && status >= 400) {
      // Every recipient refused: retry if any refusal was temporary (mailbox busy, too many recipients).
      const temporary =
        status < 500 ||
        (err.rejectedErrors ?? []).some(
          (r) => r.responseCode !== undefined && r.responseCode >= 400 && r.responseCode < 500,
        );
      const what =
        err.command === 'RCPT TO'
          ? 'refused the recipients'
          : err.command === 'MAIL FROM'
            ? 'refused the sender'
            : 'refused the message';
      return temporary
        ? fail(`SMTP_${status}`, `the SMTP server ${what} temporarily, retrying later${said}`, true, raw)
        : fail(`SMTP_${status}`, `the SMTP server ${what}${said}`, false, raw);
    }
    switch (err.code) {
      case 'ETIMEDOUT':
        return fail('TIMEOUT', `the SMTP server at ${cfg.host}:${port} timed out: ${err.message}`, true, raw);
      case 'ECONNECTION':
      case 'ESOCKET':
      case 'EDNS':
      case 'ETLS':
      case 'EPROTOCOL':
        return fail('NETWORK', `cannot reach the SMTP server at ${cfg.host}:${port}: ${err.message}`, true, raw);
      // Refused before talking to the server (invalid address, message too large for the server's SIZE).
      case 'EENVELOPE':
      case 'EMESSAGE':
        return fail(err.code, `the email cannot be sent: ${err.message}`, false, raw);
      default:
        return fail('SMTP_ERROR', `SMTP error: ${err.message}`, true, raw);
    }
  }

  return {
    name,
    capabilities: { channels: ['EMAIL'], media: [], maxPerSecond: cfg.maxPerSecond ?? DEFAULT_MAX_PER_SECOND },
    send,
    stop: async () => {
      transporter.close();
    },
  };
}

function addresses(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : [];
}

/** A counting semaphore whose waiters may decline their turn (they gave up meanwhile). */
class Slots {
  private free: number;
  private readonly waiting: Array<() => boolean> = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Runs `take` when a slot is free; `take` returns false to decline it (not holding it). */
  acquire(take: () => boolean): void {
    if (this.free > 0) {
      this.free--;
      if (!take()) this.release();
    } else this.waiting.push(take);
  }

  release(): void {
    while (this.waiting.length > 0) {
      if (this.waiting.shift()!()) return; // handed over: still taken
    }
    this.free++;
  }
}

/** nodemailer's getSocket hook: the pool's connections, opened through the guard. */
export function guardedSocket(guard: OutboundGuard, timeoutMs: number) {
  return (
    options: { host?: string; port?: number },
    callback: (err: Error | null, socketOptions?: { connection: Socket }) => void,
  ): void => {
    guard.connectSocket(options.host ?? '', options.port ?? 587, timeoutMs).then(
      (connection) => callback(null, { connection }),
      (err: Error) => callback(err),
    );
  };
}
