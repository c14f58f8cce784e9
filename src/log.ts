import { performance } from 'node:perf_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { currentRequestId } from './observability/request-context.js';

export type { Logger };

// Anything that could carry a credential is censored wherever it appears in a log object.
const REDACT = [
  'apikey',
  'apiKey',
  'key',
  'authorization',
  '*.apikey',
  '*.apiKey',
  '*.key',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.apikey',
  'connectionParams',
  '*.connectionParams',
];

// Database errors carry the values of the statement that failed: drizzle puts its parameters
// in the message ("params: ...") and in `params`, PostgreSQL's detail repeats the row ("Failing
// row contains (...)"), the key ("Key (col)=(value)") or, in its context, a parameter. Those values are message content
// (numbers, text, metadata) or secrets, so every error logged, wherever it sits in the log
// object and whichever code path logs it, is scrubbed here; the SQL, the constraint and the
// error code stay, which is what an operator needs.
const VALUE_KEYS = new Set(['params', 'parameters', 'args', 'values', 'variables']);
const MAX_DEPTH = 5;

export function scrubText(text: string): string {
  return text
    .replace(/params: [\s\S]*?(?=\n {4}at |\ncaused by|$)/g, 'params: [redacted]')
    .replace(/Failing row contains \([\s\S]*?\)(?=\.|\n|$)/g, 'Failing row contains [redacted]')
    .replace(/(Key \([^)]*\))=\([\s\S]*?\)(?= already exists| is not present|\.|\n|$)/g, '$1=[redacted]')
    .replace(/(portal parameter \$\d+ = )'(?:[^']|'')*'/g, '$1[redacted]');
}

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (value instanceof Error) return scrubError(value, depth);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = VALUE_KEYS.has(k) && depth > 0 ? '[redacted]' : scrub(v, depth + 1);
  return out;
}

function scrubError(err: Error, depth: number): Record<string, unknown> {
  const serialized = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(serialized)) {
    if (k === 'raw') continue;
    out[k] = VALUE_KEYS.has(k) ? '[redacted]' : scrub(v, depth + 1);
  }
  // The cause's message and stack are folded into the error's by the serializer; its fields
  // (a database error's detail, code, constraint) are kept, scrubbed.
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && depth < MAX_DEPTH) {
    const { message: _m, stack: _s, ...fields } = scrubError(cause, depth + 1);
    if (Object.keys(fields).length > 1) out.cause = fields;
  }
  return out;
}

export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * Herald's logger. Without a destination it writes to stdout: human lines (pino-pretty) when
 * stdout is a terminal or `format` says so, JSON lines otherwise (what log collectors read).
 * Every line written while a request's work is in progress carries its requestId.
 */
export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'auto'): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { log: (object) => scrub(object, 0) as Record<string, unknown> },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    destination ?? (humanReadable(format) ? prettyStdout() : undefined),
  );
}

function humanReadable(format: LogFormat): boolean {
  return format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
}

/**
 * pino-pretty as a stream in this thread rather than a transport (a worker thread): a terminal
 * needs no throughput, and synchronous writes keep log lines in order with what Herald prints
 * directly (the first admin key).
 */
function prettyStdout(): DestinationStream {
  return pretty({
    colorize: process.stdout.isTTY === true,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'hostname',
    singleLine: true,
  });
}

/**
 * Runs one step of starting Herald with a line before (so a step that hangs is visible) and one
 * after, saying how long it took.
 */
export async function timedStep<T>(log: Logger, doing: string, done: string, work: () => Promise<T>): Promise<T> {
  log.info(doing);
  const started = performance.now();
  const result = await work();
  log.info({ ms: Math.round(performance.now() - started) }, done);
  return result;
}
