import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import type { HeraldMetrics } from '../observability/metrics.js';
import { inSpan, SpanKind } from '../observability/tracing.js';
import { applyProviderEvents, type StatusListener } from '../messaging/status-updates.js';
import { recordInbound } from '../messaging/inbound.js';
import type { InboundWebhook, ProviderStatusEvent } from '../providers/provider.js';
import type { MetaTemplateReport } from '../providers/whatsapp-templates.js';
import type { ProviderDirectory } from '../providers/directory.js';

// Provider status reports pushed to Herald: `POST /webhooks/<provider>` (and `GET` for the
// verification handshakes some providers use). In this order, and nothing written before the end:
//
//   1. the raw body is read (at most `maxBodyBytes`, else 413);
//   2. the provider checks the signature on the raw request, before anything is parsed (401);
//   3. the provider normalises the payload to ProviderStatusEvents (400 when it cannot);
//   4. the reports go through the status path in one transaction: raw report in
//      message_events (deduplicated, so redeliveries are recorded once), status machine, and
//      reports for provider ids not stored yet parked until the send records them;
//   5. 200 only after the commit (503 if it failed: the provider redelivers); then the changes
//      are published to the status feed.
//
// Requests arriving while a transaction runs are applied together in the next one, so a burst
// of callbacks costs a few transactions, not one each. Webhooks authenticate by signature, not
// by API key; nothing secret (signatures, bodies) is logged.

export type WebhookDeps = {
  db: Db;
  providers: ProviderDirectory;
  /** HERALD_PUBLIC_URL: the base URL providers call (and sign), without trailing slash. */
  publicUrl: string;
  now: () => Date;
  log: Logger;
  /** Receives the committed status changes (services.statusFeed.publish). */
  onChanges: StatusListener;
  /** Where webhook requests are counted, by provider and result. */
  metrics?: HeraldMetrics;
  /** Applies template review and quality changes (WhatsApp) to the registry of the provider's tenant. */
  onTemplates?: (providerName: string, reports: MetaTemplateReport[]) => Promise<unknown>;
  /** Transactions applying reports at the same time (1 on PGlite, a single connection). */
  concurrency: number;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
};

export type WebhookHandler = (req: IncomingMessage, res: ServerResponse, providerName: string) => Promise<void>;

/** `/webhooks/<provider>`: the provider name, or undefined for any other path. */
export function webhookProvider(pathname: string): string | undefined {
  return /^\/webhooks\/([a-z0-9_.-]{1,64})\/?$/.exec(pathname)?.[1];
}

const DEFAULT_MAX_BODY = 1024 * 1024;
/** Bodies up to this many times the limit are drained before the 413; larger ones are cut off. */
const DRAIN_FACTOR = 8;
/** Reports per transaction at most (a burst is split into several). */
const MAX_BATCH_EVENTS = 1000;

const DEFAULT_ACK = { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ ok: true }) };

function reply(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return void res.end();
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify({ error: { code, message } }));
}

export function createWebhookHandler(deps: WebhookDeps): WebhookHandler {
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_BODY;
  // Reports of concurrent requests are applied together, in the trace of the first of them; the
  // callbacks the changes queue continue that trace.
  const batcher = new ReportBatcher(async (events) => {
    const changes = await inSpan('status.apply', { attributes: { 'herald.reports': events.length } }, () =>
      applyProviderEvents(deps.db, events, deps.now()),
    );
    if (changes.length === 0) return;
    // Committed: a failing listener must not turn an applied report into an error.
    try {
      deps.onChanges(changes);
    } catch (err) {
      deps.log.error({ err }, 'status listener failed');
    }
  }, deps.concurrency);

  // Adapters never throw by contract; if one does anyway, the request is refused, not a 500.
  const guard = <T>(
    run: () => T | { ok: false; reason: string },
    reason: string,
    provider: string,
  ): T | { ok: false; reason: string } => {
    try {
      return run();
    } catch (err) {
      deps.log.error({ err, provider }, `webhook adapter threw: ${reason}`);
      return { ok: false, reason };
    }
  };

  return (req, res, providerName) =>
    inSpan(
      `webhook.receive ${providerName}`,
      { kind: SpanKind.SERVER, attributes: { 'herald.provider': providerName } },
      () => handle(req, res, providerName),
    );

  async function handle(req: IncomingMessage, res: ServerResponse, providerName: string): Promise<void> {
    const webhook = (await deps.providers.byName(providerName))?.webhook;
    if (!webhook)
      return reply(
        res,
        404,
        'NOT_FOUND',
        `no webhook for provider "${providerName}" (unknown, or its webhook is not configured)`,
      );
    const method = req.method ?? 'GET';
    if (method !== 'POST' && method !== 'GET') {
      return reply(res, 405, 'METHOD_NOT_ALLOWED', `${method} is not supported here`, {
        allow: webhook.handshake ? 'GET, POST' : 'POST',
      });
    }

    const body = await readBody(req, maxBody);
    if (body === 'too-large') {
      deps.metrics?.webhook(providerName, 'too_large');
      return reply(res, 413, 'PAYLOAD_TOO_LARGE', `webhook bodies are limited to ${maxBody} bytes`, {
        connection: 'close',
      });
    }
    if (body === 'aborted') return void res.destroy();

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    // The path and query exactly as received: providers sign the URL they called.
    const target = req.url?.startsWith('/') ? req.url : new URL(req.url ?? '/', 'http://herald.local').pathname;
    const inbound: InboundWebhook = {
      method,
      publicUrl: deps.publicUrl + target,
      headers,
      rawBody: body,
      receivedAt: deps.now(),
    };

    if (method === 'GET') {
      if (!webhook.handshake)
        return reply(
          res,
          405,
          'METHOD_NOT_ALLOWED',
          `provider "${providerName}" has no GET handshake; reports are POSTed`,
          { allow: 'POST' },
        );
      const answer = webhook.handshake(inbound);
      if (!answer) return reply(res, 403, 'FORBIDDEN', 'verification handshake refused');
      res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
      return;
    }

    const verdict = guard(() => webhook.verify(inbound), 'signature check failed', providerName);
    if (!verdict.ok) {
      deps.log.warn({ provider: providerName, reason: verdict.reason }, 'webhook rejected: bad signature');
      deps.metrics?.webhook(providerName, 'bad_signature');
      return reply(res, 401, 'INVALID_SIGNATURE', verdict.reason);
    }
    const parsed = guard(() => webhook.parse(inbound), 'payload could not be read', providerName);
    if (!parsed.ok) {
      deps.log.warn({ provider: providerName, reason: parsed.reason }, 'webhook rejected: payload not understood');
      deps.metrics?.webhook(providerName, 'bad_payload');
      return reply(res, 400, 'INVALID_PAYLOAD', parsed.reason);
    }
    if (parsed.events.length > 0) {
      try {
        await batcher.submit(parsed.events);
      } catch (err) {
        deps.log.error(
          { err, provider: providerName, events: parsed.events.length },
          'webhook reports could not be stored',
        );
        // Nothing committed: the provider delivers the report again later.
        deps.metrics?.webhook(providerName, 'unavailable');
        return reply(res, 503, 'UNAVAILABLE', 'the reports could not be stored; retry later', { 'retry-after': '5' });
      }
    }
    if (parsed.inbound && parsed.inbound.length > 0) {
      try {
        await recordInbound(deps.db, parsed.inbound, deps.now());
      } catch (err) {
        deps.log.error({ err, provider: providerName }, 'inbound messages could not be stored');
        deps.metrics?.webhook(providerName, 'unavailable');
        return reply(res, 503, 'UNAVAILABLE', 'the messages could not be stored; retry later', { 'retry-after': '5' });
      }
    }
    if (parsed.templates && parsed.templates.length > 0 && deps.onTemplates) {
      try {
        await deps.onTemplates(providerName, parsed.templates);
      } catch (err) {
        deps.log.error({ err, provider: providerName }, 'template changes could not be stored');
        return reply(res, 503, 'UNAVAILABLE', 'the template changes could not be stored; retry later', {
          'retry-after': '5',
        });
      }
    }
    // Counts only: inbound user messages carry personal content.
    deps.log.debug(
      { provider: providerName, events: parsed.events.length, inbound: parsed.inbound?.length ?? 0 },
      'webhook applied',
    );
    deps.metrics?.webhook(providerName, 'applied');
    const ack = webhook.acknowledgement ?? DEFAULT_ACK;
    res.writeHead(200, { 'content-type': ack.contentType }).end(ack.body);
  }
}

/**
 * The body as bytes, or 'too-large' past `limit`. An oversized body is still drained (up to a
 * few times the limit) so the client reads the 413 instead of a reset connection.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit * DRAIN_FACTOR) {
    req.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: Buffer | 'too-large' | 'aborted') => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit * DRAIN_FACTOR) {
        req.pause();
        settle('too-large');
      }
    });
    req.on('end', () => settle(size > limit ? 'too-large' : Buffer.concat(chunks, size)));
    req.on('error', () => settle('aborted'));
    req.on('close', () =>
      settle(req.complete ? (size > limit ? 'too-large' : Buffer.concat(chunks, size)) : 'aborted'),
    );
  });
}

type Pending = { events: ProviderStatusEvent[]; resolve: () => void; reject: (err: unknown) => void };

/**
 * Coalesces reports from concurrent requests: up to `concurrency` transactions at a time; what
 * arrives meanwhile goes into the next one. If a shared transaction fails, its requests are
 * retried one by one, so one bad report cannot fail the others.
 */
class ReportBatcher {
  private readonly queue: Pending[] = [];
  private running = 0;

  constructor(
    private readonly apply: (events: ProviderStatusEvent[]) => Promise<void>,
    private readonly concurrency: number,
  ) {}

  submit(events: ProviderStatusEvent[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const batch: Pending[] = [];
      let size = 0;
      while (this.queue.length > 0 && (batch.length === 0 || size + this.queue[0]!.events.length <= MAX_BATCH_EVENTS)) {
        const next = this.queue.shift()!;
        batch.push(next);
        size += next.events.length;
      }
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    try {
      await this.apply(unique(batch.flatMap((b) => b.events)));
      for (const b of batch) b.resolve();
      return;
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
    }
    for (const b of batch) {
      try {
        await this.apply(unique(b.events));
        b.resolve();
      } catch (err) {
        b.reject(err);
      }
    }
  }
}

/** One report per dedupe key (a provider repeating itself within one burst). */
function unique(events: ProviderStatusEvent[]): ProviderStatusEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.dedupeKey) && seen.add(e.dedupeKey));
}
