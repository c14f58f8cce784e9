import {
  type Context,
  context,
  type Span,
  type SpanOptions,
  SpanKind,
  SpanStatusCode,
  propagation,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';

// OpenTelemetry traces. Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: Herald's spans go through
// the API's global tracer, which without a registered provider is a no-op (no span objects are
// recorded, no context is injected), so tracing that is off costs a function call per span.
// The SDK is imported only when tracing is turned on.
//
// A message's trace crosses the queue as a W3C traceparent stored with it (messages.trace_parent)
// and with each callback it queues (callback_deliveries.trace_parent): dispatch, in whatever
// process, continues the accepting request's trace, and a callback continues the trace of the
// status change (a provider's webhook, a send) that queued it.

export { type Span, SpanKind, SpanStatusCode };

const tracer = () => trace.getTracer('herald');

/** Starts tracing for this process when OTEL_EXPORTER_OTLP_ENDPOINT says where to send spans. */
export async function startTracing(
  env: NodeJS.ProcessEnv,
  serviceName: string,
): Promise<(() => Promise<void>) | undefined> {
  if (!otlpEndpoint(env)) return undefined;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName }),
    // The exporter reads OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout) itself.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return () => provider.shutdown();
}

/** Where spans go: OpenTelemetry's own variables, the traces-specific one first. */
export function otlpEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
}

/** The endpoint as it may be logged: its origin, without credentials or path. */
export function loggableEndpoint(endpoint: string | undefined): string | undefined {
  try {
    return endpoint ? new URL(endpoint).origin : undefined;
  } catch {
    return 'unparsable';
  }
}

/**
 * Runs `work` in a new span (a child of the active one, or of `parent`), ending it when the
 * work settles and marking it failed when the work throws.
 */
export function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  return tracer().startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The active trace context as a W3C traceparent, or null when nothing is traced. */
export function traceParentNow(): string | null {
  if (!trace.getSpan(context.active())?.isRecording()) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** The context a stored traceparent continues (the root context when there is none). */
export function contextOf(traceParent: string | null | undefined): Context {
  if (!traceParent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent: traceParent });
}

/** Headers that carry the active trace context to an outbound request (none when untraced). */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (trace.getSpan(context.active())?.isRecording()) propagation.inject(context.active(), carrier);
  return carrier;
}
