import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { HeraldMetrics } from '../observability/metrics.js';
import { inSpan, SpanKind, SpanStatusCode } from '../observability/tracing.js';

// Each executed query or mutation (over HTTP or a WebSocket) is timed into
// herald_graphql_operation_duration_seconds and runs inside a span named after it, so what it
// does (a send's accept, and through the message, its dispatch) belongs to its trace.
// Subscriptions are not operations that end: they are counted by herald_subscribers.

export function useOperationObservability(metrics: HeraldMetrics): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      const type = operation?.operation ?? 'unknown';
      const name = operation?.name?.value ?? args.operationName ?? undefined;
      setExecuteFn((execArgs) =>
        inSpan(
          `graphql.${type} ${name ?? 'anonymous'}`,
          {
            kind: SpanKind.SERVER,
            attributes: { 'graphql.operation.type': type, 'graphql.operation.name': name ?? '' },
          },
          async (span) => {
            const started = performance.now();
            let ok = false;
            try {
              const result = await executeFn(execArgs);
              ok = !('errors' in result && result.errors?.length);
              if (!ok) span.setStatus({ code: SpanStatusCode.ERROR });
              return result;
            } finally {
              metrics.operation(name, type, ok, (performance.now() - started) / 1000);
            }
          },
        ),
      );
    },
  };
}
