import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requestHeader } from '../net/http-headers.js';

/** Where `npm install` (the `prepare` script, `npm run build:console`) writes the built console. */
export const CONSOLE_BUILD_DIR = fileURLToPath(new URL('../../console/dist/', import.meta.url));

/** The URL prefix of the console's own files; the page itself is also served at `/`. */
export const CONSOLE_PREFIX = '/console';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// The console talks to this Herald only: the browser refuses anything else it might try to load.
const CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

type Asset = { type: string; raw: Buffer; br?: Buffer; gzip?: Buffer; etag: string };

export type ConsoleSite = {
  /** False when the build output is missing: `/` then explains how to build it. */
  built: boolean;
  /** Answers `/`, `/console` and everything under `/console/`; false for any other path. */
  handles(pathname: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): void;
};

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Herald</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>Herald is running; its console is not built</h1>
<p>The web console is built by <code>npm install</code>. Build it now with
<code>npm run build:console</code>, then restart Herald.</p>
<p>The GraphQL API is at <a href="/graphql">/graphql</a>.</p>
</body></html>`;

/**
 * Loads the built console into memory at start (a few hundred KB): its files with the .br and
 * .gz the build wrote beside them. Hashed files under assets/ never change, so they are cached
 * for good; index.html is revalidated on each load.
 */
export async function loadConsoleSite(dir: string = CONSOLE_BUILD_DIR): Promise<ConsoleSite> {
  const assets = new Map<string, Asset>();
  let files: string[] = [];
  try {
    files = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const present = new Set(files);
  for (const file of files) {
    if (file.endsWith('.br') || file.endsWith('.gz')) continue;
    const raw = await readFile(file);
    const asset: Asset = {
      type: TYPES[extname(file)] ?? 'application/octet-stream',
      raw,
      etag: `"${raw.length.toString(36)}-${hashOf(raw)}"`,
    };
    if (present.has(`${file}.br`)) asset.br = await readFile(`${file}.br`);
    if (present.has(`${file}.gz`)) asset.gzip = await readFile(`${file}.gz`);
    assets.set(`${CONSOLE_PREFIX}/${relative(dir, file).split(sep).join('/')}`, asset);
  }
  const index = assets.get(`${CONSOLE_PREFIX}/index.html`);

  return {
    built: index !== undefined,
    handles: (pathname) => pathname === '/' || pathname === CONSOLE_PREFIX || pathname.startsWith(`${CONSOLE_PREFIX}/`),
    serve(req, res, pathname) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed');
        return;
      }
      if (!index) {
        res
          .writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
          .end(req.method === 'HEAD' ? undefined : NOT_BUILT_PAGE);
        return;
      }
      const hashed = pathname.startsWith(`${CONSOLE_PREFIX}/assets/`);
      const asset = assets.get(pathname);
      // A missing hashed file is a stale page asking for an old build: a 404, not the page.
      if (!asset && hashed) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      // Any other path is a route of the single-page app.
      send(req, res, asset ?? index, hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  };
}

function send(req: IncomingMessage, res: ServerResponse, asset: Asset, cacheControl: string): void {
  const headers: Record<string, string> = {
    'content-type': asset.type,
    'cache-control': cacheControl,
    etag: asset.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
    'content-security-policy': CSP,
    'referrer-policy': 'no-referrer',
  };
  if (requestHeader(req, 'if-none-match') === asset.etag) {
    res.writeHead(304, headers).end();
    return;
  }
  const accepted = requestHeader(req, 'accept-encoding') ?? '';
  let body = asset.raw;
  if (asset.br && /\bbr\b/.test(accepted)) {
    body = asset.br;
    headers['content-encoding'] = 'br';
  } else if (asset.gzip && /\bgzip\b/.test(accepted)) {
    body = asset.gzip;
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = String(body.length);
  res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
}

/** A short content digest for the ETag (FNV-1a; collisions only cost a revalidation). */
function hashOf(bytes: Buffer): string {
  let h = 0x811c9dc5;
  for (const byte of bytes) h = Math.imul(h ^ byte, 0x01000193);
  return (h >>> 0).toString(36);
}
