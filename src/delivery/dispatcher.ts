import { setTimeout as sleep } from 'node:timers/promises';
import { and, asc, eq, getTableColumns, inArray, lt, lte, sql } from 'drizzle-orm';
import type { DeliveryConfig } from '../config.js';
import { QUEUE_CHANNEL, type Database, type Db } from '../db/client.js';
import { messages, type MessageRow } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import type { Logger } from '../log.js';
import { isMediaLink, type MessageStatus } from '../vocabulary.js';
import {
  appendStatusEvents,
  applyProviderEvents,
  applyProviderEventsInTx,
  lockProviderIds,
  takePendingEvents,
  type StatusChange,
  type StatusListener,
} from '../messaging/status-updates.js';
import { mediaFilename, providerMediaId } from '../media/provider-uploads.js';
import { getMedia } from '../media/queries.js';
import { readAll, type MediaStore } from '../media/store.js';
import type { EmailAttachment, Provider, ProviderStatusEvent, SendFailure, SendResult } from '../providers/provider.js';
import type { ProviderDirectory } from '../providers/directory.js';
import { renderTemplateAsText } from '../messaging/render.js';
import { layoutSms } from '../messaging/sms-encoding.js';
import { retryDelayMs } from './backoff.js';
import { Coalescer } from './coalescer.js';
import { sweepParkedReports } from './parked-reports.js';
import type { SendRateLimiter } from './rate-limit.js';

const EXPIRED_MESSAGE = 'validUntil passed before the message could be sent';
/**
 * Outcomes returning within this long of each other are recorded in one transaction. Short, so
 * that a worker killed at any moment leaves only its calls in flight sent but unrecorded.
 */
const RECORD_COALESCE_MS = 5;

export type DispatcherDeps = {
  database: Database;
  providers: ProviderDirectory;
  limiter: SendRateLimiter;
  config: DeliveryConfig;
  log: Logger;
  now: () => Date;
  onChanges: StatusListener;
  workerId: string;
  /** Where uploaded media lives, for providers that need their own copy (WhatsApp media ids). */
  mediaStore: MediaStore;
  random?: () => number;
};

/** What happened to one claimed message. */
type Outcome = { row: MessageRow; provider: Provider; startedAt: number } & (
  | { kind: 'sent'; result: Extract<SendResult, { ok: true }> }
  | { kind: 'failed'; result: Extract<SendResult, { ok: false }> }
  | { kind: 'released' } // never reached the provider (shutdown, lease about to expire)
);

/**
 * Turns queued messages into sent ones. The messages table is the queue: pipelines claim due
 * rows in batches with FOR UPDATE SKIP LOCKED under a lease, send them through the routed
 * provider under its rate limit, and record each outcome as soon as its call returns (outcomes
 * returning within a few milliseconds share a transaction), fenced by the lease (a worker that
 * lost its lease records nothing). A slow call therefore never holds finished ones unrecorded.
 * LISTEN/NOTIFY wakes idle pipelines; polling every `pollMs` is only the fallback.
 */
export class Dispatcher {
  private stopping = false;
  /** Aborted when stopping: claimed messages still waiting for their rate limit are released. */
  private readonly releaseWaiting = new AbortController();
  /** Aborted when the shutdown grace period is over: sends still in flight are abandoned. */
  private readonly abortSends = new AbortController();
  private wakeUp: (() => void) | undefined;
  private wakePending = false;
  private pipelines: Promise<void>[] = [];
  private timers: NodeJS.Timeout[] = [];
  private unlisten: (() => Promise<void>) | undefined;
  private flushingReports = false;
  private reportQueue: Array<{ events: ProviderStatusEvent[]; resolve: () => void; reject: (err: unknown) => void }> =
    [];

  private readonly recorder: Coalescer<Outcome>;

  constructor(private readonly deps: DispatcherDeps) {
    this.recorder = new Coalescer((outcomes) => this.recordAndPublish(outcomes), {
      delayMs: RECORD_COALESCE_MS,
      maxItems: Math.max(50, deps.config.batchSize),
    });
  }

  private get db(): Db {
    return this.deps.database.db;
  }

  async start(): Promise<void> {
    this.unlisten = await this.deps.database.listen(QUEUE_CHANNEL, () => this.wake());
    this.deps.providers.startReporting((events) => this.applyReports(events));
    const { leaseMs, reconcileAfterMs, workers } = this.deps.config;
    this.every(Math.max(250, Math.floor(leaseMs / 4)), () => this.recoverExpiredLeases());
    this.every(Math.max(100, Math.floor(reconcileAfterMs / 2)), () => this.reconcile());
    this.every(this.deps.config.parkedReports.sweepMs, () => this.sweepParkedReports());
    this.pipelines = Array.from({ length: workers }, () => this.pipeline());
  }

  /** Claims now instead of at the next poll (a message became due). */
  wake(): void {
    this.wakePending = true;
    this.wakeUp?.();
  }

  /** Stops claiming, gives in-flight sends `graceMs`, then releases what is left. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.releaseWaiting.abort();
    this.wake();
    for (const t of this.timers) clearInterval(t);
    const abortLater = setTimeout(() => this.abortSends.abort(), graceMs);
    await Promise.allSettled(this.pipelines);
    clearTimeout(abortLater);
    await this.unlisten?.().catch(() => {});
    await this.deps.providers.stop();
  }

  private every(ms: number, task: () => Promise<unknown>): void {
    let running = false;
    const timer = setInterval(() => {
      if (running || this.stopping) return;
      running = true;
      task()
        .catch((err) => this.deps.log.error({ err }, 'delivery background task failed'))
        .finally(() => (running = false));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private async pipeline(): Promise<void> {
    while (!this.stopping) {
      try {
        const claimed = await this.claim();
        if (claimed.length === 0) await this.idle();
        else await this.process(claimed);
      } catch (err) {
        this.deps.log.error({ err }, 'dispatch cycle failed');
        await sleep(this.deps.config.pollMs);
      }
    }
  }

  private idle(): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.deps.config.pollMs);
      const previous = this.wakeUp;
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakePending = false;
        previous?.();
        done();
      };
    }).finally(() => (this.wakeUp = undefined));
  }

  /** Claims due messages: SENDING under our lease, or EXPIRED when validUntil has passed. */
  private async claim(): Promise<MessageRow[]> {
    const now = this.deps.now();
    const lockedUntil = new Date(now.getTime() + this.deps.config.leaseMs);
    const { rows, changes } = await this.db.transaction(async (tx) => {
      const due = tx.$with('due').as(
        tx
          .select({ id: messages.id, previous: sql<MessageStatus>`${messages.status}`.as('previous') })
          .from(messages)
          .where(and(inArray(messages.status, ['QUEUED', 'SCHEDULED']), lte(messages.nextAttemptAt, now)))
          .orderBy(asc(messages.nextAttemptAt))
          .limit(this.deps.config.batchSize)
          .for('update', { skipLocked: true }),
      );
      const expired = sql`(${messages.validUntil} is not null and ${messages.validUntil} <= ${now.toISOString()}::timestamptz)`;
      const claimed = await tx
        .with(due)
        .update(messages)
        .set({
          status: sql`case when ${expired} then 'EXPIRED'::message_status else 'SENDING'::message_status end`,
          statusAt: now,
          attempts: sql`case when ${expired} then ${messages.attempts} else ${messages.attempts} + 1 end`,
          lockedUntil: sql`case when ${expired} then null else ${lockedUntil.toISOString()}::timestamptz end`,
          lockedBy: sql`case when ${expired} then null else ${this.deps.workerId} end`,
          lastErrorCode: sql`case when ${expired} then 'EXPIRED' else ${messages.lastErrorCode} end`,
          lastErrorMessage: sql`case when ${expired} then ${EXPIRED_MESSAGE} else ${messages.lastErrorMessage} end`,
          updatedAt: now,
        })
        .from(due)
        .where(eq(messages.id, due.id))
        .returning({ ...getTableColumns(messages), previous: due.previous });
      const byId = new Map(claimed.map((m) => [m.id, m]));
      const changes: StatusChange[] = claimed.map((m) => ({
        messageId: m.id,
        tenantId: m.tenantId,
        channel: m.channel,
        recipient: m.recipient,
        externalRef: m.externalRef,
        tags: m.tags,
        status: m.status,
        previousStatus: m.previous,
        errorCode: m.status === 'EXPIRED' ? 'EXPIRED' : null,
        errorMessage: m.status === 'EXPIRED' ? EXPIRED_MESSAGE : null,
        occurredAt: now,
      }));
      await appendStatusEvents(tx, changes, now, (c) => ({
        attempt: byId.get(c.messageId)?.attempts,
        worker: this.deps.workerId,
      }));
      return { rows: claimed.filter((m) => m.status === 'SENDING').map(({ previous: _, ...row }) => row), changes };
    });
    this.publish(changes);
    return rows;
  }

  /** Sends a claimed batch; each outcome is recorded as soon as its call returns. */
  private async process(rows: MessageRow[]): Promise<void> {
    const done = await Promise.allSettled(rows.map(async (row) => this.recorder.add(await this.sendOne(row))));
    // The next claim waits until the whole batch is on record (or left to its lease).
    const failed = done.find((d): d is PromiseRejectedResult => d.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async recordAndPublish(outcomes: Outcome[]): Promise<void> {
    this.publish(await this.record(outcomes));
  }

  private async sendOne(row: MessageRow): Promise<Outcome> {
    const { provider } = await this.deps.providers.route(
      row.tenantId,
      row.channel,
      row.fallbackStep,
      Boolean(row.channelOptions.fallbackFrom),
    );
    const startedAt = Date.now();
    // Waiting for the rate limit must end well before the lease does, or another worker could
    // claim the message while we still hold it.
    const leaseLeft =
      (row.lockedUntil?.getTime() ?? 0) - this.deps.now().getTime() - this.deps.config.sendTimeoutMs - 1000;
    const waitSignal = AbortSignal.any([this.releaseWaiting.signal, AbortSignal.timeout(Math.max(0, leaseLeft))]);
    try {
      await this.deps.limiter.acquire(this.rateKey(provider, row), this.rateFor(provider, row), waitSignal);
    } catch {
      return { kind: 'released', row, provider, startedAt };
    }
    const { sendTimeoutMs } = this.deps.config;
    const signal = AbortSignal.any([this.abortSends.signal, AbortSignal.timeout(sendTimeoutMs)]);
    let result: SendResult;
    const media = await this.providerMedia(row, provider, signal);
    if (!media.ok) return { kind: 'failed', row, provider, startedAt, result: media };
    const attachments = await this.emailAttachments(row);
    if (!attachments.ok) return { kind: 'failed', row, provider, startedAt, result: attachments };
    try {
      result = await provider.send(
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
        this.db,
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
      const rows = await getMedia(this.db, row.tenantId, wanted);
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
    const limits = this.deps.config.rateLimits;
    return (
      (row.sender && limits[`${provider.name}:${row.sender}`]) ||
      limits[provider.name] ||
      provider.capabilities.maxPerSecond
    );
  }

  /** Decides the next state of these outcomes' messages and writes all of them in one transaction. */
  private async record(outcomes: Outcome[]): Promise<StatusChange[]> {
    const now = this.deps.now();
    const { retry } = this.deps.config;
    const updates = await Promise.all(
      outcomes.map(async (o) => {
        // The claim's own lease end identifies it: a later claim of the same row has another.
        const base = {
          id: o.row.id,
          lease: o.row.lockedUntil?.toISOString(),
          provider: o.provider.name,
          attempts: o.row.attempts,
        };
        if (o.kind === 'sent') {
          return {
            ...base,
            status: 'SENT' as MessageStatus,
            pmid: o.result.providerMessageId,
            next_at: null,
            code: null,
            message: null,
            retryable: null,
          };
        }
        if (o.kind === 'released') {
          return {
            ...base,
            status: 'QUEUED' as MessageStatus,
            attempts: o.row.attempts - 1,
            pmid: null,
            next_at: now.toISOString(),
            code: null,
            message: null,
            retryable: null,
          };
        }
        const { code, message, retryable, retryAfterMs } = o.result;
        const nextAt = new Date(now.getTime() + retryDelayMs(retry, o.row.attempts, retryAfterMs, this.deps.random));
        const exhausted = o.row.attempts >= retry.maxAttempts;
        const tooLate = o.row.validUntil !== null && nextAt >= o.row.validUntil;
        const status: MessageStatus =
          code === 'EXPIRED' || (retryable && !exhausted && tooLate)
            ? 'EXPIRED'
            : !retryable || exhausted
              ? 'FAILED'
              : 'QUEUED';
        const why = retryable && exhausted ? `gave up after ${o.row.attempts} attempts: ${message}` : message;
        if (status === 'FAILED' && !retryable) {
          const rerouted = await this.fallback(o.row, now);
          if (rerouted)
            return { ...base, ...rerouted, status: 'QUEUED' as MessageStatus, pmid: null, code, message, retryable };
        }
        return {
          ...base,
          status,
          pmid: null,
          next_at: status === 'QUEUED' ? nextAt.toISOString() : null,
          code,
          message: why,
          retryable,
        };
      }),
    );

    const outcomeOf = new Map(outcomes.map((o) => [o.row.id, o]));
    const updateOf = new Map(updates.map((u) => [u.id, u]));
    const result = await this.db.transaction(async (tx) => {
      await lockProviderIds(
        tx,
        outcomes.flatMap((o) =>
          o.kind === 'sent' ? [[o.provider.name, o.result.providerMessageId] as [string, string]] : [],
        ),
      );
      // Fenced by the lease: if it expired and the message was claimed again (by anyone), this
      // outcome is stale and records nothing.
      const updated = await tx.execute(sql`
        update ${messages} as m set
          status = v.status,
          status_at = ${now.toISOString()}::timestamptz,
          provider = v.provider,
          provider_message_id = coalesce(v.pmid, m.provider_message_id),
          attempts = v.attempts,
          next_attempt_at = v.next_at,
          fallback_step = coalesce(v.fallback_step, m.fallback_step),
          channel = coalesce(v.channel, m.channel),
          body = coalesce(v.body, m.body),
          channel_options = coalesce(v.channel_options, m.channel_options),
          locked_until = null,
          locked_by = null,
          last_error_code = v.code,
          last_error_message = v.message,
          last_error_retryable = v.retryable,
          updated_at = ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb)
          as v(id uuid, lease timestamptz, status message_status, provider text, pmid text, attempts int, next_at timestamptz,
               code text, message text, retryable boolean, fallback_step int, channel channel, body text, channel_options jsonb)
        where m.id = v.id and m.locked_by = ${this.deps.workerId} and m.locked_until = v.lease and m.status = 'SENDING'
        returning m.id`);
      const kept = new Set(rowsOf<{ id: string }>(updated).map((r) => r.id));
      const changes: StatusChange[] = [];
      outcomes.forEach((o, i) => {
        const u = updates[i]!;
        if (!kept.has(u.id)) return;
        changes.push({
          messageId: o.row.id,
          tenantId: o.row.tenantId,
          channel: 'channel' in u && u.channel ? u.channel : o.row.channel,
          recipient: o.row.recipient,
          externalRef: o.row.externalRef,
          tags: o.row.tags,
          status: u.status,
          previousStatus: 'SENDING',
          errorCode: u.code,
          errorMessage: u.message,
          occurredAt: now,
        });
      });
      await appendStatusEvents(tx, changes, now, (c) => {
        const o = outcomeOf.get(c.messageId)!;
        const u = updateOf.get(c.messageId)!;
        return {
          attempt: o.row.attempts,
          provider: o.provider.name,
          durationMs: Date.now() - o.startedAt,
          ...(o.kind === 'sent' ? { providerMessageId: o.result.providerMessageId } : {}),
          ...(o.kind === 'failed' ? { retryable: o.result.retryable, raw: o.result.raw } : {}),
          ...('fallback' in u ? { fallback: u.fallback } : {}),
        };
      });
      // Reports that raced ahead of this bookkeeping were parked; apply them now.
      const sentByProvider = new Map<string, string[]>();
      for (const o of outcomes) {
        if (o.kind === 'sent' && kept.has(o.row.id)) {
          sentByProvider.set(o.provider.name, [
            ...(sentByProvider.get(o.provider.name) ?? []),
            o.result.providerMessageId,
          ]);
        }
      }
      for (const [provider, ids] of sentByProvider) {
        const pending = await takePendingEvents(tx, provider, ids);
        if (pending.length > 0) changes.push(...(await applyProviderEventsInTx(tx, pending, now)));
      }
      return { changes, lost: outcomes.length - kept.size };
    });
    if (result.lost > 0) this.deps.log.warn({ lost: result.lost }, 'lease expired before outcomes were recorded');
    if (outcomes.some((o) => o.kind === 'released' || (o.kind === 'failed' && o.result.retryable))) this.notify();
    return result.changes;
  }

  /**
   * After a permanent failure, the tenant's fallback rule may re-route the message: to another
   * provider on the same channel, or from WhatsApp to SMS with the template rendered as text.
   * The message is queued again with a fresh attempt budget; its events keep both attempts.
   */
  private async fallback(row: MessageRow, now: Date) {
    const rule = await this.deps.providers.fallback(row.tenantId, row.channel, row.fallbackStep);
    if (!rule) return null;
    const base = { attempts: 0, next_at: now.toISOString(), fallback_step: row.fallbackStep + 1 };
    if ('provider' in rule) return { ...base, fallback: { provider: rule.provider } };
    const body = await renderTemplateAsText(this.db, row);
    const layout = layoutSms(body);
    return {
      ...base,
      fallback: { channel: rule.channel },
      channel: rule.channel,
      body,
      channel_options: {
        encoding: layout.encoding,
        segments: layout.segments,
        flash: false,
        fallbackFrom: row.channel,
      },
    };
  }

  /** Messages whose worker vanished (lease expired) go back to the queue. */
  private async recoverExpiredLeases(): Promise<void> {
    const now = this.deps.now();
    const changes = await this.db.transaction(async (tx) => {
      const stale = await tx
        .update(messages)
        // next_attempt_at is left as it was: recovered messages keep their place at the front.
        .set({ status: 'QUEUED', statusAt: now, lockedUntil: null, lockedBy: null, updatedAt: now })
        .where(
          inArray(
            messages.id,
            tx
              .select({ id: messages.id })
              .from(messages)
              .where(and(eq(messages.status, 'SENDING'), lt(messages.lockedUntil, now)))
              .limit(1000)
              .for('update', { skipLocked: true }),
          ),
        )
        .returning();
      const changes: StatusChange[] = stale.map((m) => ({
        messageId: m.id,
        tenantId: m.tenantId,
        channel: m.channel,
        recipient: m.recipient,
        externalRef: m.externalRef,
        tags: m.tags,
        status: 'QUEUED',
        previousStatus: 'SENDING',
        errorCode: 'LEASE_EXPIRED',
        errorMessage: 'the worker sending this message stopped; queued again',
        occurredAt: now,
      }));
      await appendStatusEvents(tx, changes, now, () => ({}));
      return changes;
    });
    if (changes.length > 0) {
      this.deps.log.warn({ count: changes.length }, 'recovered messages from expired leases');
      this.publish(changes);
      this.wake();
    }
  }

  /** Drops parked reports whose provider id was never recorded: too old, or too many. */
  private async sweepParkedReports(): Promise<void> {
    const { expired, overCap } = await sweepParkedReports(this.db, this.deps.config.parkedReports, this.deps.now());
    // Counts only: a report's ids and payload are the provider's and the recipient's business.
    if (expired > 0) this.deps.log.info({ expired }, 'expired parked provider reports');
    if (Object.keys(overCap).length > 0)
      this.deps.log.warn({ dropped: overCap }, 'parked provider reports over the cap dropped, oldest first');
  }

  /** Asks providers that support lookups about messages whose reports are overdue. */
  private async reconcile(): Promise<void> {
    const lookups = this.deps.providers.all().filter((p) => p.lookupStatus);
    if (lookups.length === 0) return;
    const now = this.deps.now();
    const overdue = new Date(now.getTime() - this.deps.config.reconcileAfterMs);
    const rows = await this.db
      .select({ id: messages.id, provider: messages.provider, providerMessageId: messages.providerMessageId })
      .from(messages)
      .where(
        and(
          inArray(messages.status, ['SENT', 'DELIVERED']),
          inArray(
            messages.provider,
            lookups.map((p) => p.name),
          ),
          lt(messages.updatedAt, overdue),
        ),
      )
      .orderBy(asc(messages.updatedAt))
      .limit(200);
    if (rows.length === 0) return;
    const events = (
      await Promise.all(
        rows.map(
          async (r) => (await this.deps.providers.byName(r.provider!))?.lookupStatus?.(r.providerMessageId!, now) ?? [],
        ),
      )
    ).flat();
    await this.applyReports(events);
    // Checked now: not again before reconcileAfterMs, whatever the answer.
    await this.db
      .update(messages)
      .set({ updatedAt: now })
      .where(
        inArray(
          messages.id,
          rows.map((r) => r.id),
        ),
      );
  }

  /**
   * Applies provider reports in the order they arrive, one transaction at a time: reports
   * arriving together (many sandbox timers in one tick) share it, and a later report of a
   * message (READ) can never overtake an earlier one (DELIVERED) in a parallel transaction.
   * Each caller resolves once its report is durable.
   */
  private applyReports(events: ProviderStatusEvent[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.reportQueue.push({ events, resolve, reject });
      if (!this.flushingReports) {
        this.flushingReports = true;
        setImmediate(() => void this.flushReports());
      }
    });
  }

  private async flushReports(): Promise<void> {
    while (this.reportQueue.length > 0) {
      const batch = this.reportQueue.splice(0, this.reportQueue.length);
      try {
        this.publish(
          await applyProviderEvents(
            this.db,
            batch.flatMap((b) => b.events),
            this.deps.now(),
          ),
        );
        for (const b of batch) b.resolve();
      } catch (err) {
        this.deps.log.warn({ err }, 'applying provider reports failed');
        for (const b of batch) b.reject(err);
      }
    }
    this.flushingReports = false;
  }

  private notify(): void {
    this.db.execute(sql`select pg_notify(${QUEUE_CHANNEL}, '')`).catch(() => {});
  }

  private publish(changes: StatusChange[]): void {
    if (changes.length > 0) this.deps.onChanges(changes);
  }
}

/** postgres.js returns an array of rows, PGlite an object with `rows`. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}
