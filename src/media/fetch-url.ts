import { isIP } from 'node:net';
import { request } from 'undici';
import { ValidationError } from '../errors.js';
import { ALLOW_PRIVATE_SETTING, isDestinationNotAllowed, type OutboundGuard } from '../net/outbound.js';
import { MediaFetchError, MediaUrlRefusedError } from './errors.js';
import { firstValue } from '../net/http-headers.js';

// Fetching media from a URL the client names without letting the client reach what only Herald
// can reach (SSRF): http(s) only, no credentials in the URL, and the outbound guard
// (net/outbound.ts) before each hop (the first request and every redirect, at most 3) and again
// inside the connection itself, so a name that resolves differently the second time (DNS
// rebinding) still cannot connect anywhere private. One timeout covers the whole fetch, body
// included.

export type FetchMediaOptions = {
  /** The input being fetched, for error messages ("url", "mediaurl"). */
  field: string;
  guard: OutboundGuard;
  timeoutMs: number;
  maxRedirects?: number;
};

export type FetchedMedia = {
  /** The body; errors come out as MediaFetchError. Reading it to the end (or failing) releases the connection. */
  body: AsyncIterable<Uint8Array>;
  /** Content-Length the server announced, when it did. */
  contentLength: number | undefined;
  contentType: string | undefined;
  /** From Content-Disposition, else the last segment of the final URL's path. */
  filename: string | undefined;
  finalUrl: URL;
  /** Stops reading and releases the connection (when the body will not be read). */
  abort(): void;
};

export const DEFAULT_MAX_REDIRECTS = 3;
const MAX_URL_LENGTH = 2048;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A URL as it may be echoed or stored: no query string, fragment or credentials (they may hold tokens). */
export function redactUrl(url: URL | string): string {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function parseUrl(raw: string, field: string): URL {
  if (raw.length > MAX_URL_LENGTH)
    throw new ValidationError(field, `${field} must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ValidationError(field, `${field} is not a valid URL`);
  }
  checkUrl(url, field);
  return url;
}

function checkUrl(url: URL, field: string, via = ''): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MediaUrlRefusedError(
      field,
      `${field}${via} must be an http or https URL, not ${url.protocol.replace(/:$/, '')}`,
    );
  }
  if (url.username || url.password) {
    throw new MediaUrlRefusedError(
      field,
      `${field}${via} must not contain credentials; use a pre-signed URL or upload the file`,
    );
  }
}

const bareHost = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

export async function fetchMedia(raw: string, opts: FetchMediaOptions): Promise<FetchedMedia> {
  const { field, guard } = opts;
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let url = parseUrl(raw, field);
  const publicOnly = `Herald fetches media from public addresses only (${ALLOW_PRIVATE_SETTING}=true allows private ones)`;

  const signal = AbortSignal.timeout(opts.timeoutMs);
  // The agent checks every connection it makes (DNS rebinding between the check below and connect).
  const agent = guard.agent({
    connect: { timeout: opts.timeoutMs },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connections: 1,
  });
  const close = () => void agent.destroy().catch(() => {});

  const failure = (err: unknown, via: string): Error => {
    if (err instanceof MediaUrlRefusedError || err instanceof MediaFetchError || err instanceof ValidationError)
      return err;
    if (signal.aborted)
      return new MediaFetchError(field, `${field}${via} did not answer within ${Math.round(opts.timeoutMs / 1000)} s`);
    if (isDestinationNotAllowed(err))
      return new MediaUrlRefusedError(field, `${field}${via}: the destination is not allowed; ${publicOnly}`);
    const code = (err as { code?: string }).code;
    const why =
      code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'its host name could not be resolved'
        : `the request failed (${code ?? (err instanceof Error ? err.message : 'error')})`;
    return new MediaFetchError(field, `${field}${via} could not be fetched: ${why}`);
  };

  try {
    for (let hop = 0; ; hop++) {
      const via = hop === 0 ? '' : ` (after ${hop} redirect${hop > 1 ? 's' : ''}, at ${redactUrl(url)})`;
      const host = bareHost(url);
      if (!guard.allowPrivate) {
        const named = guard.hostRefusal(host);
        if (named) throw new MediaUrlRefusedError(field, `${field}${via} is ${named}; ${publicOnly}`);
        const addresses = isIP(host)
          ? [host]
          : (await guard.resolve(host).catch((err: unknown) => Promise.reject(failure(err, via)))).map(
              (a) => a.address,
            );
        if (addresses.length === 0)
          throw new MediaFetchError(field, `${field}${via} could not be fetched: its host name has no addresses`);
        for (const address of addresses) {
          const why = guard.reasonFor(address);
          if (why)
            throw new MediaUrlRefusedError(
              field,
              `${field}${via} host ${host} resolves to ${address}, a ${why} address; ${publicOnly}`,
            );
        }
      }
      let res: Awaited<ReturnType<typeof request>>;
      try {
        res = await request(url, {
          dispatcher: agent,
          method: 'GET',
          signal,
          headers: { accept: '*/*', 'accept-encoding': 'identity', 'user-agent': 'Herald-media-fetch/1' },
        });
      } catch (err) {
        throw failure(err, via);
      }
      if (REDIRECTS.has(res.statusCode)) {
        discard(res.body);
        const target = firstValue(res.headers.location);
        if (!target)
          throw new MediaFetchError(
            field,
            `${field}${via} answered HTTP ${res.statusCode} without a Location`,
            res.statusCode,
          );
        if (hop >= maxRedirects)
          throw new MediaFetchError(field, `${field} redirected more than ${maxRedirects} times`, res.statusCode);
        try {
          url = new URL(target, url);
        } catch {
          throw new MediaFetchError(field, `${field}${via} redirected to an invalid URL`, res.statusCode);
        }
        checkUrl(url, field, ` (redirect ${hop + 1})`);
        continue;
      }
      if (res.statusCode < 200 || res.statusCode > 299) {
        discard(res.body);
        throw new MediaFetchError(field, `${field}${via} answered HTTP ${res.statusCode}`, res.statusCode);
      }
      const length = Number(res.headers['content-length']);
      const body = res.body;
      const finalUrl = url;
      return {
        body: (async function* () {
          try {
            for await (const chunk of body) yield chunk as Uint8Array;
          } catch (err) {
            throw failure(err, via);
          } finally {
            discard(body);
            close();
          }
        })(),
        contentLength: Number.isSafeInteger(length) && length >= 0 ? length : undefined,
        contentType: firstValue(res.headers['content-type']),
        filename: filenameFrom(firstValue(res.headers['content-disposition']), finalUrl),
        finalUrl,
        abort: () => {
          discard(body);
          close();
        },
      };
    }
  } catch (err) {
    close();
    throw err;
  }
}

/** Stops reading a body; undici reports that as an error nobody needs to hear. */
function discard(body: { on(event: 'error', fn: () => void): unknown; destroy(): unknown; destroyed?: boolean }): void {
  body.on('error', () => {});
  if (!body.destroyed) body.destroy();
}

function filenameFrom(disposition: string | undefined, url: URL): string | undefined {
  if (disposition) {
    const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition)?.[1];
    if (extended) {
      try {
        return decodeURIComponent(extended.trim());
      } catch {
        // fall through to the plain form
      }
    }
    const plain = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/.exec(disposition);
    if (plain) return plain[1] ?? plain[2];
  }
  const last = url.pathname.split('/').pop();
  if (!last) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
