import { performance } from 'node:perf_hooks';
import type { DeliveryConfig } from '../config.js';
import type { Db } from '../db/client.js';
import type { MessageRow } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import { mediaFilename, providerMediaId } from '../media/provider-uploads.js';
import { getMedia } from '../media/queries.js';
import { readAll, type MediaStore } from '../media/store.js';
import { deadline } from '../net/follow-signal.js';
import type { ProviderDirectory } from '../providers/directory.js';
import type { EmailAttachment, Provider, SendFailure, SendResult } from '../providers/provider.js';
import { isMediaLink } from '../vocabulary.js';
import type { HeraldMetrics } from '../observability/metrics.js';
import { withRequestId } from '../observability/request-context.js';
import { contextOf, inSpan, type Span, SpanKind, SpanStatusCode } from '../observability/tracing.js';
import type { SendRateLimiter } from './rate-limit.js';

/**
 * Sending one claimed message: route it to its provider, wait for that provider's rate limit
 * (never past the lease, so no other worker can claim it meanwhile), fetch what the provider
 * needs (its own media id, an email's attachments) and make the call. Nothing here writes the
 * message: the outcome goes to record-outcomes.ts, and a send the process dies during is left
 * to its lease (claim-messages.ts says what that means).
 */

/** What happened to one claimed message. */
export type Outcome = { row: MessageRow; provider: Provider; startedAt: number } & (
  | { kind: 'sent'; result: Extract<SendResult, { ok: true }> }
  | { kind: 'failed'; result: Extract<SendResult, { ok: false }> }
  | { kind: 'released' } // never reached the provider (shutdown, lease about to expire)
);

export type SenderDeps = {
  db: Db;
  providers: ProviderDirectory;
  limiter: SendRateLimiter;
  config: DeliveryConfig;
  now: () => Date;
  mediaStore: MediaStore;
  metrics?: HeraldMetrics | undefined;
  /** Aborted when stopping: messages still waiting for their rate limit are released. */
  releaseWaiting: AbortSignal;
  /** Aborted when the shutdown grace period is over: sends still in flight are abandoned. */
  abortSends: AbortSignal;
};

export class MessageSender {
  constructor(private readonly deps: SenderDeps) {}

  /**
   * Sends as part of the request that accepted the message: its log lines carry that request's
   * id, and its span continues that request's trace (stored with the message).
   */
  send(row: MessageRow): Promise<Outcome> {
    return withRequestId(row.requestId, () =>
      inSpan(
        'message.dispatch',
        { kind: SpanKind.CONSUMER, attributes: { 'herald.message_id': row.id, 'herald.channel': row.channel } },
        (span) => this.dispatch(row, span),
        contextOf(row.traceParent),
      ),
    );
  }

  private async dispatch(row: MessageRow, span: Span): Promise<Outcome> {
    const { provider } = await this.deps.providers.route(
      row.tenantId,
      row.channel,
      row.fallbackStep,
      Boolean(row.channelOptions.fallbackFrom),
    );
    span.setAttribute('herald.provider', provider.name);
    const startedAt = Date.now();
    // Waiting for the rate limit must end well before the lease does, or another worker could
    // claim the message while we still hold it.
    const leaseLeft =
      (row.lockedUntil?.getTime() ?? 0) - this.deps.now().getTime() - this.deps.config.sendTimeoutMs - 1000;
    const wait = deadline(this.deps.releaseWaiting, Math.max(0, leaseLeft));
    try {
      await this.deps.limiter.acquire(this.rateKey(provider, row), this.rateFor(provider, row), wait.signal);
    } catch {
      return { kind: 'released', row, provider, startedAt };
    } finally {
      wait.done();
    }
    const { sendTimeoutMs } = this.deps.config;
    const call = deadline(this.deps.abortSends, sendTimeoutMs);
    try {
      return await this.call(row, provider, startedAt, call.signal);
    } finally {
      call.done();
    }
  }

  /** The provider call itself (with its media and attachments), under the send's deadline. */
  private async call(row: MessageRow, provider: Provider, startedAt: number, signal: AbortSignal): Promise<Outcome> {
    const { sendTimeoutMs } = this.deps.config;
    let result: SendResult;
    const media = await this.providerMedia(row, provider, signal);
    if (!media.ok) return { kind: 'failed', row, provider, startedAt, result: media };
    const attachments = await this.emailAttachments(row);
    if (!attachments.ok) return { kind: 'failed', row, provider, startedAt, result: attachments };
    try {
      result = await this.providerCall(provider, row, () =>
        provider.send(
          {
            id: row.id,
            tenantId: row.tenantId,
            channel: row.channel,
            recipient: row.recipient,
            sender: row.sender,
            templateName: row.templateName,
            templateLanguage: row.templateLanguage,
            templateParams: row.templateParams,
            body: row.body,
            subject: row.subject,
            mediaType: row.mediaType,
            mediaId: media.mediaId,
            channelOptions: row.channelOptions,
            validUntil: row.validUntil,
            attempt: row.attempts,
            ...(attachments.files ? { attachments: attachments.files } : {}),
          },
          { timeoutMs: sendTimeoutMs, signal },
        ),
      );
    } catch (err) {
      // Adapters classify their own errors; anything that escapes is treated as transient.
      result = {
        ok: false,
        code: 'PROVIDER_ERROR',
        message: err instanceof Error ? err.message : String(err),
        retryable: true,
      };
    }
    return result.ok
      ? { kind: 'sent', row, provider, startedAt, result }
      : { kind: 'failed', row, provider, startedAt, result };
  }

  /** The provider's call as a span of its own (the HTTP or SMTP exchange with the upstream). */
  private providerCall(provider: Provider, row: MessageRow, call: () => Promise<SendResult>): Promise<SendResult> {
    return inSpan(
      `provider.send ${provider.name}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'herald.provider': provider.name, 'herald.channel': row.channel, 'herald.attempt': row.attempts },
      },
      async (span) => {
        const started = performance.now();
        const result = await call().catch((err: unknown) => {
          this.deps.metrics?.providerCall(provider.name, row.channel, false, (performance.now() - started) / 1000);
          throw err;
        });
        this.deps.metrics?.providerCall(provider.name, row.channel, result.ok, (performance.now() - started) / 1000);
        if (!result.ok) {
          span.setAttribute('herald.error_code', result.code);
          span.setStatus({ code: SpanStatusCode.ERROR, message: result.code });
        }
        return result;
      },
    );
  }

  /**
   * The media id to give the provider: Herald's uploads become the provider's own id when it
   * keeps media (WhatsApp Cloud API), uploaded once and reused until it expires; links and
   * providers without a media store get the message's id as it is.
   */
  private async providerMedia(
    row: MessageRow,
    provider: Provider,
    signal: AbortSignal,
  ): Promise<{ ok: true; mediaId: string | null } | SendFailure> {
    const upload = provider.uploadMedia?.bind(provider);
    if (!row.mediaId || row.mediaType === 'NONE' || !upload || isMediaLink(row.mediaId))
      return { ok: true, mediaId: row.mediaId };
    let failure: SendFailure | undefined;
    try {
      const mediaId = await providerMediaId(
        this.deps.db,
        this.deps.mediaStore,
        row.mediaId,
        provider.name,
        async (bytes, mimeType, filename) => {
          const r = await upload({ bytes, mimeType, filename }, { timeoutMs: this.deps.config.sendTimeoutMs, signal });
          if (!r.ok) {
            failure = r;
            throw r;
          }
          return { id: r.id };
        },
        this.deps.now(),
      );
      return { ok: true, mediaId };
    } catch (err) {
      return (
        failure ?? {
          ok: false,
          code: 'MEDIA_UNAVAILABLE',
          message: `media ${row.mediaId} could not be read: ${err instanceof Error ? err.message : err}`,
          retryable: false,
        }
      );
    }
  }

  /**
   * An email's attachments (channelOptions.attachments, media ids checked on accept), read from
   * the media store. A media item gone since (row deleted, file missing) fails the message for good.
   */
  private async emailAttachments(
    row: MessageRow,
  ): Promise<{ ok: true; files: EmailAttachment[] | undefined } | SendFailure> {
    const ids = row.channel === 'EMAIL' ? row.channelOptions.attachments : undefined;
    if (!Array.isArray(ids) || ids.length === 0) return { ok: true, files: undefined };
    const wanted = ids.map(String);
    try {
      const rows = await getMedia(this.deps.db, row.tenantId, wanted);
      const missing = wanted.filter((_, i) => !rows[i]);
      if (missing.length > 0) {
        return {
          ok: false,
          code: 'MEDIA_UNAVAILABLE',
          message: `attached media ${missing.join(', ')} no longer exists`,
          retryable: false,
        };
      }
      const files = await Promise.all(
        rows.map(async (m) => ({
          filename: mediaFilename(m!),
          mimeType: m!.mimeType,
          content: await readAll(await this.deps.mediaStore.get(m!.storageKey)),
        })),
      );
      return { ok: true, files };
    } catch (err) {
      // A file gone from the store is for good; a database or disk hiccup is worth another try.
      const gone = err instanceof NotFoundError;
      return {
        ok: false,
        code: 'MEDIA_UNAVAILABLE',
        message: `attached media could not be read: ${err instanceof Error ? err.message : err}`,
        retryable: !gone,
      };
    }
  }

  private rateKey(provider: Provider, row: MessageRow): string {
    return `${provider.name}:${row.sender ?? '-'}`;
  }

  private rateFor(provider: Provider, row: MessageRow): number {
    return sendRateOf(this.deps.config.rateLimits, provider, row.sender);
  }
}

/** Sends per second through `provider` from `sender`: the sender's configured limit, the provider's, or its own. */
export function sendRateOf(limits: DeliveryConfig['rateLimits'], provider: Provider, sender: string | null): number {
  return (
    (sender && limits[`${provider.name}:${sender}`]) || limits[provider.name] || provider.capabilities.maxPerSecond
  );
}
