import { AggregatorRegistry, Counter, Histogram, Registry } from 'prom-client';
import type { StatusChange, StatusListener } from '../messaging/status-updates.js';
import type { MessageStatus } from '../vocabulary.js';

// Herald's counters and histograms (prom-client), one registry per Herald instance (tests run
// several in one process; the global registry would mix them). Each process counts what it does
// itself: the API accepts, applies webhooks and runs GraphQL; a dispatch process sends and POSTs
// callbacks. The process serving /metrics merges the others' figures in (metrics-ipc.ts), and
// the database-derived gauges (delivery/health.ts) are added there, once.

/** Status changes counted, by the counter that counts them. */
const COUNTED: Partial<Record<MessageStatus, 'sent' | 'failed' | 'delivered' | 'read'>> = {
  SENT: 'sent',
  FAILED: 'failed',
  UNDELIVERED: 'failed',
  DELIVERED: 'delivered',
  READ: 'read',
};

/** GraphQL operation names are the client's choice: only this many distinct ones get their own series. */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type WebhookResult = 'applied' | 'bad_signature' | 'bad_payload' | 'too_large' | 'unavailable';
export type CallbackResult = 'delivered' | 'retrying' | 'failed';

export class HeraldMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  private readonly accepted = new Counter({
    name: 'herald_messages_accepted_total',
    help: 'Messages accepted (stored QUEUED or SCHEDULED), by channel.',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  private readonly byStatus = {
    sent: this.messageCounter('sent', 'Messages a provider accepted (SENT)'),
    failed: this.messageCounter('failed', 'Messages that failed for good (FAILED, UNDELIVERED)'),
    delivered: this.messageCounter('delivered', 'Messages reported DELIVERED'),
    read: this.messageCounter('read', 'Messages reported READ'),
  };
  private readonly providerCalls = new Histogram({
    name: 'herald_provider_call_duration_seconds',
    help: "Duration of provider send calls (the upstream's answer included), by provider, channel and result.",
    labelNames: ['provider', 'channel', 'result'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly webhooks = new Counter({
    name: 'herald_webhook_reports_total',
    help: 'Provider webhook requests (POST /webhooks/<provider>), by provider and result.',
    labelNames: ['provider', 'result'] as const,
    registers: [this.registry],
  });
  private readonly callbacks = new Histogram({
    name: 'herald_callback_delivery_duration_seconds',
    help: 'Customer callback POSTs: duration, by result (delivered; retrying; failed: given up).',
    labelNames: ['result'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly operations = new Histogram({
    name: 'herald_graphql_operation_duration_seconds',
    help: 'GraphQL operations executed (queries and mutations over HTTP and WebSocket), by name, type and result.',
    labelNames: ['operation', 'type', 'result'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private messageCounter(what: string, help: string): Counter<'channel' | 'provider'> {
    return new Counter({
      name: `herald_messages_${what}_total`,
      help: `${help}, by channel and provider.`,
      labelNames: ['channel', 'provider'] as const,
      registers: [this.registry],
    });
  }

  /** Counts committed status changes, then hands them on: wraps a status listener. */
  counting(listener: StatusListener): StatusListener {
    return (changes) => {
      for (const c of changes) this.countChange(c);
      listener(changes);
    };
  }

  private countChange(c: StatusChange): void {
    if (c.previousStatus === null) {
      this.accepted.inc({ channel: c.channel });
      return;
    }
    const counter = COUNTED[c.status];
    if (counter) this.byStatus[counter].inc({ channel: c.channel, provider: c.provider ?? 'unknown' });
  }

  providerCall(provider: string, channel: string, ok: boolean, seconds: number): void {
    this.providerCalls.observe({ provider, channel, result: ok ? 'ok' : 'error' }, seconds);
  }

  webhook(provider: string, result: WebhookResult): void {
    this.webhooks.inc({ provider, result });
  }

  callback(result: CallbackResult, seconds: number): void {
    this.callbacks.observe({ result }, seconds);
  }

  operation(name: string | undefined, type: string, ok: boolean, seconds: number): void {
    this.operations.observe({ operation: this.operationLabel(name), type, result: ok ? 'ok' : 'error' }, seconds);
  }

  /** A name seen before, a new one while there is room, else "other": clients cannot grow the series without bound. */
  private operationLabel(name: string | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }

  /** This process's figures, in the form other processes merge (prom-client's JSON). */
  snapshot(): Promise<object[]> {
    return this.registry.getMetricsAsJSON();
  }

  /** The Prometheus text of this process's figures summed with those of `others` (snapshots). */
  async text(others: object[][] = []): Promise<string> {
    if (others.length === 0) return this.registry.metrics();
    return AggregatorRegistry.aggregate([await this.snapshot(), ...others]).metrics();
  }
}
