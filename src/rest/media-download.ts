import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { NotFoundError } from '../errors.js';
import type { Logger } from '../log.js';
import { isUuid } from '../ids.js';
import type { Services } from '../services.js';
import { keyFromHeaders } from '../tenancy/authenticator.js';
import { errorBody, RestError } from './errors.js';
import { requestHeader } from '../net/http-headers.js';

// GET /media/<mediaId>: the tenant's stored bytes, with the content type detected at upload.
// Authenticated like the API (apikey header or Bearer; the key needs the read scope); another
// tenant's id is a 404, as an unknown one is. Served as an attachment with nosniff and a
// sandboxing CSP, so a browser never renders uploaded content as a page of this origin.

export const MEDIA_DOWNLOAD_PREFIX = '/media/';

export function createMediaDownloadHandler(deps: { services: Services; log: Logger }) {
  const { services, log } = deps;

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL, who: { keyId?: string }): Promise<number> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      throw new RestError(405, 'METHOD_NOT_ALLOWED', `${method.slice(0, 20)} is not supported here; use GET`, null, {
        allow: 'GET, HEAD',
      });
    }
    const header = (n: string) => requestHeader(req, n);
    const principal = await services.authenticator.authenticate(keyFromHeaders(header));
    if (!principal) {
      throw new RestError(
        401,
        'UNAUTHENTICATED',
        'missing or invalid API key: send it in the "apikey" header or as "Authorization: Bearer <key>"',
        null,
        {
          'www-authenticate': 'Bearer realm="herald"',
        },
      );
    }
    who.keyId = principal.keyId;
    if (!principal.scopes.includes('read'))
      throw new RestError(403, 'FORBIDDEN', 'this API key lacks the "read" scope');
    const id = url.pathname.slice(MEDIA_DOWNLOAD_PREFIX.length);
    const notFound = () =>
      new RestError(404, 'NOT_FOUND', `no media ${JSON.stringify(id.slice(0, 80))} for this tenant`);
    if (!isUuid(id)) throw notFound();
    let opened: Awaited<ReturnType<Services['media']['open']>>;
    try {
      opened = await services.media.open(principal.tenantId, id);
    } catch (err) {
      if (err instanceof NotFoundError) throw notFound();
      throw err;
    }
    const { media, stream } = opened;
    const etag = `"${media.sha256}"`;
    const common = { etag, 'cache-control': 'private, max-age=86400', 'x-content-type-options': 'nosniff' };
    if ((header('if-none-match') ?? '').split(',').some((t) => t.trim() === etag)) {
      stream.destroy();
      res.writeHead(304, common).end();
      return 304;
    }
    res.writeHead(200, {
      ...common,
      'content-type': media.mimeType === 'text/plain' ? 'text/plain; charset=utf-8' : media.mimeType,
      'content-length': String(media.sizeBytes),
      'content-disposition': disposition(media.filename ?? `${media.id}`),
      'content-security-policy': "default-src 'none'; sandbox",
    });
    if (method === 'HEAD') {
      stream.destroy();
      res.end();
      return 200;
    }
    await pipeline(stream, res);
    return 200;
  }

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const started = performance.now();
    const who: { keyId?: string } = {};
    let status: number;
    try {
      status = await serve(req, res, url, who);
    } catch (err) {
      if (res.headersSent) {
        // The bytes were on their way (the client went away, or the file could not be read).
        status = 499;
        log.debug({ err, path: url.pathname.slice(0, 200) }, 'media download interrupted');
        res.destroy();
      } else {
        const e = err instanceof RestError ? err : new RestError(500, 'INTERNAL', 'internal error');
        if (!(err instanceof RestError)) log.error({ err, path: url.pathname.slice(0, 200) }, 'media download failed');
        status = e.status;
        res
          .writeHead(e.status, {
            'content-type': 'application/json; charset=utf-8',
            'cache-control': 'no-store',
            ...e.headers,
          })
          .end(JSON.stringify(errorBody(e)));
      }
    }
    log.info(
      {
        method: req.method,
        path: url.pathname.slice(0, 200),
        status,
        ms: Math.round(performance.now() - started),
        keyId: who.keyId,
      },
      'media download',
    );
  };
}

/** attachment; an ASCII fallback name and the exact one in RFC 5987 form. */
function disposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
