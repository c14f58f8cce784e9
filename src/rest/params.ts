import type { IncomingMessage } from 'node:http';
import { parseDateTime, textProblem } from '../validation/input.js';
import { invalid, malformed, quote, RestError } from './errors.js';

// Request parameters of the SMSMedia-compatible endpoints, from the query string (GET and POST)
// and, for POST, from a JSON or form body. Names are case-insensitive (`templateName` is
// `templatename`); each parameter may be given once across all sources. Values become strings
// (JSON numbers and booleans are converted, null means absent) or, from JSON arrays, lists of
// strings; objects, NUL characters and broken Unicode are refused here, before anything else
// looks at them.

export type RawValue = string | string[];

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Bodies up to this many times the limit are drained so the client reads the 413. */
const DRAIN_FACTOR = 8;

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export class Params {
  private readonly values = new Map<string, RawValue>();

  /** Names as given (lower-cased), for the unknown-parameter check. */
  names(): string[] {
    return [...this.values.keys()];
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  add(rawName: string, value: unknown): void {
    if (!NAME.test(rawName)) throw invalid(sanitizedName(rawName), 'is not a known parameter name');
    const name = rawName.toLowerCase();
    if (this.values.has(name)) {
      throw invalid(
        name,
        'is given more than once (names are case-insensitive; separate several recipients with commas)',
      );
    }
    const converted = convert(name, value);
    if (converted !== undefined) this.values.set(name, converted);
  }

  /** The value as given, or undefined when absent; a list is refused. */
  raw(name: string): string | undefined {
    const v = this.values.get(name);
    if (Array.isArray(v)) throw invalid(name, 'must be a single value, not a list');
    return v;
  }

  /** A trimmed value; absent and empty are both undefined (for optional parameters). */
  optional(name: string): string | undefined {
    const v = this.raw(name)?.trim();
    return v ? v : undefined;
  }

  /** A comma-separated string (or, in JSON, a list of strings) as its non-empty entries. */
  list(name: string): string[] | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    const entries = Array.isArray(v) ? v : v.split(',');
    return entries.map((s) => s.trim()).filter((s) => s.length > 0);
  }

  /** true/false (any case), 1/0, or a JSON boolean; absent or empty is undefined. */
  boolean(name: string): boolean | undefined {
    const v = this.optional(name)?.toLowerCase();
    if (v === undefined) return undefined;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    throw invalid(name, 'must be true or false');
  }

  /** An ISO 8601 date-time with a time zone (Z or ±hh:mm). */
  dateTime(name: string): Date | undefined {
    let v = this.optional(name);
    if (v === undefined) return undefined;
    // An unencoded "+05:30" in a query string arrives as " 05:30".
    v = v.replace(/ (\d{2}:\d{2})$/, '+$1');
    const parsed = parseDateTime(v);
    if (!parsed) {
      throw invalid(
        name,
        'must be an ISO 8601 date-time with a time zone, e.g. 2025-04-15T10:00:00Z or 2025-04-15T15:30:00+05:30 (in a URL, write + as %2B)',
      );
    }
    return parsed;
  }
}

function sanitizedName(name: string): string {
  return name.replace(/[^\x21-\x7e]/g, '?').slice(0, 64) || '?';
}

function checkText(name: string, s: string): string {
  const problem = textProblem(s);
  if (problem) throw invalid(name, problem);
  return s;
}

function convert(name: string, value: unknown): RawValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return checkText(name, value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(name, 'must be a finite number');
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw invalid(name, 'is a number too large to be exact; send it as a string');
    }
    return String(value);
  }
  if (Array.isArray(value)) {
    if (value.length > 1000) throw invalid(name, 'must have at most 1000 entries');
    return value.map((entry, i) => {
      if (typeof entry === 'string') return checkText(name, entry);
      if (typeof entry === 'number' && Number.isSafeInteger(entry)) return String(entry);
      throw invalid(name, `entry ${i + 1} must be a string`);
    });
  }
  throw invalid(name, 'must be a string, not an object');
}

/** Reads the parameters of a GET (query string) or POST (query string and body). */
export async function readParams(req: IncomingMessage, url: URL, maxBodyBytes: number): Promise<Params> {
  const params = new Params();
  for (const [name, value] of url.searchParams) params.add(name, value);
  if (req.method !== 'POST') return params;

  const body = await readBody(req, maxBodyBytes);
  if (body.length === 0) return params;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw malformed('the body is not valid UTF-8');
  }
  if (text.trim().length === 0) return params;

  const contentType = req.headers['content-type'] ?? '';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  const charset = /;\s*charset="?([^";\s]+)"?/i.exec(contentType)?.[1]?.toLowerCase();
  if (charset !== undefined && !['utf-8', 'utf8', 'us-ascii'].includes(charset)) {
    throw new RestError(415, 'UNSUPPORTED_MEDIA_TYPE', `the body must be UTF-8, not ${quote(charset)}`);
  }
  if (mediaType === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw malformed(
        `the body is not valid JSON: ${err instanceof Error ? err.message.slice(0, 200) : 'parse error'}`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw malformed('the JSON body must be an object of parameters, e.g. {"mobile":"918800001234", ...}');
    }
    for (const [name, value] of Object.entries(parsed)) params.add(name, value);
    return params;
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    for (const [name, value] of new URLSearchParams(text)) params.add(name, value);
    return params;
  }
  throw new RestError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    `send the body as application/json or application/x-www-form-urlencoded${mediaType ? `, not ${quote(mediaType)}` : ' (the content-type header is missing)'}`,
  );
}

/**
 * The body as bytes. Past `limit` it is a 413; a body declared or found larger than a few times
 * the limit is not read at all (the connection closes after the answer).
 */
export function readBody(req: IncomingMessage, limit: number, drainLimit = limit * DRAIN_FACTOR): Promise<Buffer> {
  const tooLarge = () =>
    new RestError(413, 'PAYLOAD_TOO_LARGE', `the body is limited to ${limit} bytes`, null, { connection: 'close' });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > drainLimit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (err: RestError | null) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > drainLimit) {
        req.pause();
        settle(tooLarge());
      }
    });
    req.on('end', () => settle(size > limit ? tooLarge() : null));
    req.on('error', () => settle(malformed('the request body could not be read')));
    req.on('close', () => {
      if (!req.complete) settle(malformed('the request body was cut short'));
    });
    // Closed before these listeners existed (the client left while its key was checked).
    if (req.destroyed && !req.complete) settle(malformed('the request body was cut short'));
  });
}
