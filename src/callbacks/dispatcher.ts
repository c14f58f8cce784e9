import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { request, type Agent } from 'undici';
import type { CallbackConfig } from '../config.js';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/raw-rows.js';
import { recordset, type RecordsetColumns } from '../db/recordset.js';
import { retryDelayMs } from '../delivery/backoff.js';
import { deadline } from '../net/follow-signal.js';
import { DESTINATION_NOT_ALLOWED, isDestinationNotAllowed, type OutboundGuard } from '../net/outbound.js';
import type { Logger } from '../log.js';
import type { HeraldMetrics } from '../observability/metrics.js';
import type { SecretBox } from '../providers/secrets.js';
import { openSecret, tenantCallbackSecrets } from './endpoints.js';
import { type AnyCallbackPayload, callbackBody, isTemplatePayload } from './payload.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.js';
import { parseRetryAfter } from '../net/http-headers.js';
import { isAcceptableRequestId, REQUEST_ID_HEADER, withRequestId } from '../observability/request-context.js';
import { contextOf, inSpan, SpanKind, SpanStatusCode, traceHeaders } from '../observability/tracing.js';

export type CallbackDispatcherDeps = {
  db: Db;
  config: CallbackConfig;
  log: Logger;
  now: () => Date;
  workerId: string;
  /** Opens the stored (sealed) signing secrets. */
  secrets: SecretBox;
  random?: () => number;
  /** Every callback URL is tenant input: connections go through the guard. */
  outbound: OutboundGuard;
  metrics?: HeraldMetrics | undefined;
};

/** A delivery this worker holds under its lease. */
type Claimed = {
  id: string;
  tenantId: string;
  endpointId: string | null;
  url: string;
  payload: AnyCallbackPayload;
  attempt: number;
  createdAt: Date;
  /** As stored: sealed. */
  secret: string | null;
  /** The request that accepted the message, sent as X-Request-Id. */
  requestId: string | null;
  /** The trace the POST continues (the status change's). */
  traceParent: string | null;
};

/** The outcome of one POST. */
type Attempt = {
  id: string;
  url: string;
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  at: Date;
  retryAfterMs: number;
};

/** How long a claim is held: the POST's timeout and time to record it. */
const LEASE_MARGIN_MS = 30_000;
const MAX_ERROR_LENGTH = 300;
const OPENED_SECRETS_KEPT = 10_000;

/**
 * POSTs queued callbacks. callback_deliveries is the queue: pipelines claim due rows with
 * FOR UPDATE SKIP LOCKED under a lease, POST them signed, and record each attempt. A delivery
 * is claimable only when no earlier delivery of the same message to the same destination is
 * still pending, so a receiver sees each message's events in order even across retries.
 * Failures retry with exponential backoff and full jitter until `maxAgeMs` after the event,
 * then the delivery is FAILED and the next event of that message goes out.
 */
export class CallbackDispatcher {
  private stopping = false;
  private readonly abortPosts = new AbortController();
  private wakeUp: (() => void) | undefined;
  private wakePending = false;
  private pipelines: Promise<void>[] = [];
  private readonly agent: Agent;
  private readonly openedSecrets = new Map<string, string>();

  constructor(private readonly deps: CallbackDispatcherDeps) {
    const { timeoutMs } = deps.config;
    this.agent = deps.outbound.agent({
      keepAliveTimeout: 30_000,
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  start(): void {
    this.pipelines = Array.from({ length: this.deps.config.workers }, () => this.pipeline());
  }

  /** Claims now instead of at the next poll (new status changes were committed). */
  wake(): void {
    this.wakePending = true;
    this.wakeUp?.();
  }

  /** Stops claiming; POSTs still running after `graceMs` are aborted (and recorded as failed). */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wake();
    const abortLater = setTimeout(
      () => this.abortPosts.abort(new Error('Herald shut down during the attempt')),
      graceMs,
    );
    await Promise.allSettled(this.pipelines);
    clearTimeout(abortLater);
    await this.agent.close().catch(() => {});
  }

  private async pipeline(): Promise<void> {
    while (!this.stopping) {
      try {
        const claimed = await this.claim();
        if (claimed.length === 0) {
          await this.idle();
          continue;
        }
        const attempts = await Promise.all(claimed.map((d) => this.post(d)));
        await this.record(claimed, attempts);
      } catch (err) {
        this.deps.log.error({ err }, 'callback cycle failed');
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

  /**
   * Takes due deliveries that head their chain (no earlier pending delivery of the same
   * message to the same endpoint, or to the same URL for per-message callbacks), counting the
   * attempt and taking the lease in the same statement. An expired lease (a worker that
   * vanished mid-POST) makes a row claimable again.
   */
  private async claim(): Promise<Claimed[]> {
    const now = this.deps.now();
    const at = now.toISOString();
    const lockedUntil = new Date(now.getTime() + this.deps.config.timeoutMs + LEASE_MARGIN_MS).toISOString();
    const result = await this.deps.db.execute(sql`
      with due as (
        select d.id, d.tenant_id, d.endpoint_id
        from callback_deliveries d
        where d.status = 'pending'
          and d.next_attempt_at <= ${at}::timestamptz
          and (d.locked_until is null or d.locked_until < ${at}::timestamptz)
          and not exists (
            select 1 from callback_deliveries p
            where p.message_id = d.message_id and p.id < d.id and p.status = 'pending' and ${sameDestination('p', 'd')})
        order by d.next_attempt_at, d.id
        limit ${this.deps.config.batchSize}
        for update of d skip locked
      )
      update callback_deliveries d set
        attempts = d.attempts + 1,
        locked_until = ${lockedUntil}::timestamptz,
        locked_by = ${this.deps.workerId}
      from due
        left join webhook_endpoints e on e.id = due.endpoint_id
        left join callback_secrets s on s.tenant_id = due.tenant_id and due.endpoint_id is null
      where d.id = due.id
      returning d.id::text as id, d.tenant_id, d.endpoint_id, d.url, d.payload::text as payload, d.attempts,
        d.created_at, coalesce(e.secret, s.secret) as secret, d.trace_parent,
        (select m.request_id from messages m where m.id = d.message_id) as request_id`);
    const claimed = rowsOf<{
      id: string;
      tenant_id: string;
      endpoint_id: string | null;
      url: string;
      payload: string;
      attempts: number;
      created_at: string | Date;
      secret: string | null;
      trace_parent: string | null;
      request_id: string | null;
    }>(result).map(
      (r): Claimed => ({
        id: r.id,
        tenantId: r.tenant_id,
        endpointId: r.endpoint_id,
        url: r.url,
        payload: JSON.parse(r.payload) as AnyCallbackPayload,
        attempt: Number(r.attempts),
        createdAt: new Date(r.created_at),
        secret: r.secret,
        requestId: r.request_id,
        traceParent: r.trace_parent,
      }),
    );
    // A tenant's first per-message callback creates its signing secret.
    const unsigned = claimed.filter((d) => d.secret === null);
    if (unsigned.length > 0) {
      const secrets = await tenantCallbackSecrets(
        this.deps.db,
        this.deps.secrets,
        [...new Set(unsigned.map((d) => d.tenantId))],
        now,
      );
      for (const d of unsigned) d.secret = secrets.get(d.tenantId) ?? null;
    }
    return claimed;
  }

  /** One signed POST, in the trace of the status change that queued it; never rejects. */
  private post(d: Claimed): Promise<Attempt> {
    return withRequestId(d.requestId, () =>
      inSpan(
        'callback.deliver',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            ...(isTemplatePayload(d.payload)
              ? { 'herald.template_id': d.payload.templateId }
              : { 'herald.message_id': d.payload.messageId }),
            'herald.attempt': d.attempt,
          },
        },
        async (span) => {
          const attempt = await this.attempt(d);
          span.setAttribute('http.response.status_code', attempt.statusCode ?? 0);
          if (!attempt.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.error ?? undefined });
          return attempt;
        },
        contextOf(d.traceParent),
      ),
    );
  }

  private async attempt(d: Claimed): Promise<Attempt> {
    const at = this.deps.now();
    const body = callbackBody(d.payload);
    const started = performance.now();
    const base = { id: d.id, url: d.url, at };
    let secret: string;
    try {
      secret = this.opened(d.secret ?? '');
    } catch {
      // Herald's own fault: sealed with another key (HERALD_ENCRYPTION_KEY differs between processes?).
      this.deps.log.error(
        { deliveryId: d.id },
        'a callback signing secret cannot be unsealed; check HERALD_ENCRYPTION_KEY',
      );
      const error = "the signing secret cannot be unsealed with this process's HERALD_ENCRYPTION_KEY";
      return { ...base, ok: false, statusCode: null, latencyMs: 0, error, retryAfterMs: 0 };
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Herald-Callbacks/1',
      [EVENT_ID_HEADER]: d.payload.eventId,
      [SIGNATURE_HEADER]: signatureHeader(secret, Math.floor(at.getTime() / 1000), body),
      // The receiver can tie the callback to the send that caused it, in its logs and traces.
      ...(d.requestId && isAcceptableRequestId(d.requestId) ? { [REQUEST_ID_HEADER]: d.requestId } : {}),
      ...traceHeaders(),
    };
    const call = deadline(this.abortPosts.signal, this.deps.config.timeoutMs);
    try {
      const res = await request(d.url, { method: 'POST', headers, body, dispatcher: this.agent, signal: call.signal });
      await res.body.dump().catch(() => {});
      const latencyMs = Math.round(performance.now() - started);
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      return {
        ...base,
        ok,
        statusCode: res.statusCode,
        latencyMs,
        error: ok ? null : `HTTP ${res.statusCode}`,
        retryAfterMs: ok ? 0 : (parseRetryAfter(res.headers['retry-after']) ?? 0),
      };
    } catch (err) {
      return {
        ...base,
        ok: false,
        statusCode: null,
        latencyMs: Math.round(performance.now() - started),
        error: describe(err),
        retryAfterMs: 0,
      };
    } finally {
      call.done();
    }
  }

  /** A stored (sealed) signing secret, opened once: unsealing every POST's would cost more than the POST. */
  private opened(stored: string): string {
    let secret = this.openedSecrets.get(stored);
    if (secret === undefined) {
      secret = openSecret(this.deps.secrets, stored);
      // Rotated secrets leave old entries behind: start over rather than grow without bound.
      if (this.openedSecrets.size >= OPENED_SECRETS_KEPT) this.openedSecrets.clear();
      this.openedSecrets.set(stored, secret);
    }
    return secret;
  }

  /**
   * Records the attempts and the state they leave each delivery in, in one statement, fenced
   * by the lease: a worker whose lease expired (and whose delivery another worker took)
   * records nothing.
   */
  private async record(claimed: Claimed[], attempts: Attempt[]): Promise<void> {
    const now = this.deps.now();
    const { retry, maxAgeMs } = this.deps.config;
    const rows = attempts.map((a, i): AttemptRecord => {
      const d = claimed[i]!;
      const delay = retryDelayMs(
        { ...retry, maxAttempts: Infinity },
        d.attempt,
        Math.min(a.retryAfterMs, retry.capMs),
        this.deps.random,
      );
      const nextAt = now.getTime() + delay;
      const giveUp = !a.ok && nextAt >= d.createdAt.getTime() + maxAgeMs;
      return {
        id: a.id,
        url: a.url,
        status: a.ok ? 'delivered' : giveUp ? 'failed' : 'pending',
        next_at: a.ok || giveUp ? null : new Date(nextAt).toISOString(),
        status_code: a.statusCode,
        latency_ms: a.latencyMs,
        error: a.error,
        at: a.at.toISOString(),
      };
    });
    rows.forEach((r, i) => {
      this.deps.metrics?.callback(r.status === 'pending' ? 'retrying' : r.status, r.latency_ms / 1000);
      if (r.status === 'delivered') return;
      const d = claimed[i]!;
      const retryInMs = r.next_at ? new Date(r.next_at).getTime() - now.getTime() : null;
      this.deps.log.warn(
        {
          deliveryId: d.id,
          messageId: 'messageId' in d.payload ? d.payload.messageId : undefined,
          ...(d.requestId ? { requestId: d.requestId } : {}),
          endpointId: d.endpointId,
          attempt: d.attempt,
          statusCode: r.status_code,
          error: r.error,
          retryInMs,
        },
        retryInMs === null
          ? 'callback attempt failed, given up after its retry window'
          : 'callback attempt failed, will retry',
      );
    });
    await this.deps.db.execute(sql`
      with v as (
        select * from ${recordset('v', attemptRecordColumns, rows)}
      ),
      updated as (
        update callback_deliveries d set
          status = v.status,
          next_attempt_at = v.next_at,
          delivered_at = case when v.status = 'delivered' then ${now.toISOString()}::timestamptz end,
          last_status_code = v.status_code,
          last_error = v.error,
          locked_until = null,
          locked_by = null
        from v
        where d.id = v.id and d.locked_by = ${this.deps.workerId} and d.status = 'pending'
        returning d.id, d.attempts, d.status, d.next_attempt_at, d.message_id, d.endpoint_id, d.url
      ),
      -- The events queued behind a delivery that will be retried cannot go before it: they are
      -- not due before it either, so claims do not wade through them while a receiver is down.
      postponed as (
        update callback_deliveries s set next_attempt_at = u.next_attempt_at
        from updated u
        where u.status = 'pending' and s.message_id = u.message_id and s.id > u.id and s.status = 'pending'
          and ${sameDestination('s', 'u')} and s.next_attempt_at < u.next_attempt_at
      )
      insert into callback_attempts (delivery_id, attempt, url, status_code, latency_ms, error, at)
      select updated.id, updated.attempts, v.url, v.status_code, v.latency_ms, v.error, v.at
      from updated join v on v.id = updated.id`);
  }
}

/** SQL: deliveries `a` and `b` go to the same endpoint, or to the same per-message URL. */
function sameDestination(a: string, b: string) {
  const [x, y] = [sql.raw(a), sql.raw(b)];
  return sql`${x}.endpoint_id is not distinct from ${y}.endpoint_id and (${y}.endpoint_id is not null or ${x}.url = ${y}.url)`;
}

/**
 * A short, secret-free account of a failed POST: the error code and message. A destination the
 * guard refused reads the same whatever listens there, so attempts cannot map a private network.
 */
function describe(err: unknown): string {
  if (isDestinationNotAllowed(err)) return DESTINATION_NOT_ALLOWED;
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const parts = [e.code ?? e.cause?.code ?? e.name, e.message ?? String(err)].filter(Boolean);
  return parts.join(': ').slice(0, MAX_ERROR_LENGTH);
}

/** One attempt and the state it leaves its delivery in, as `record` writes it. */
type AttemptRecord = {
  id: string;
  url: string;
  status: 'delivered' | 'failed' | 'pending';
  next_at: string | null;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  at: string;
};
const attemptRecordColumns: RecordsetColumns<AttemptRecord> = {
  id: 'bigint',
  url: 'text',
  status: 'callback_delivery_status',
  next_at: 'timestamptz',
  status_code: 'int',
  latency_ms: 'int',
  error: 'text',
  at: 'timestamptz',
};
