import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHerald, type TestHerald } from './support/herald.js';

// How Herald serves the console's files (a build of its own here, so these tests do not depend
// on console/dist) and GraphiQL. The console itself is tested in a browser: test/browser/.

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** A raw GET: fetch would decode the body and hide which encoding Herald chose. */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

const INDEX =
  '<!doctype html><title>Herald Console</title><script type="module" src="/console/assets/app-1a2b.js"></script>';
const APP = `console.log(${JSON.stringify('herald '.repeat(200))});`;

describe('the console, built', () => {
  let h: TestHerald;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'herald-console-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), INDEX);
    await writeFile(join(dir, 'assets', 'app-1a2b.js'), APP);
    await writeFile(join(dir, 'assets', 'app-1a2b.js.br'), brotliCompressSync(APP));
    await writeFile(join(dir, 'assets', 'app-1a2b.js.gz'), gzipSync(APP));
    h = await startHerald({}, { consoleDir: dir });
  });
  afterAll(async () => {
    await h?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers / and every console route with the page, revalidated on each load', async () => {
    for (const path of ['/', '/console', '/console/', '/console/messages/01a2', '/console/send']) {
      const page = await get(`${h.url}${path}`);
      expect(page.status, path).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.body.toString()).toBe(INDEX);
      // The page may only reach Herald itself.
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    }
    const first = await get(`${h.url}/`);
    const again = await get(`${h.url}/`, { 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
  });

  it('sends hashed assets precompressed, cached for good, and the raw file to a client without compression', async () => {
    const url = `${h.url}/console/assets/app-1a2b.js`;
    const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.body.equals(brotliCompressSync(APP))).toBe(true);

    const gz = await get(url, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(APP);

    const raw = await get(url);
    expect(raw.headers['content-encoding']).toBeUndefined();
    expect(raw.body.toString()).toBe(APP);
  });

  it('answers a hashed asset it does not have with 404, not with the page', async () => {
    const missing = await get(`${h.url}/console/assets/app-old0.js`);
    expect(missing.status).toBe(404);
  });

  it('leaves other paths to their handlers', async () => {
    expect((await get(`${h.url}/healthz`)).status).toBe(200);
    expect((await get(`${h.url}/nothing-here`)).status).toBe(404);
  });
});

describe('the console, not built', () => {
  let h: TestHerald;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'herald-console-empty-'));
    h = await startHerald({}, { consoleDir: join(dir, 'dist') });
  });
  afterAll(async () => {
    await h?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('says so in the log and on the page, with the command that builds it', async () => {
    const page = await get(`${h.url}/`);
    expect(page.status).toBe(503);
    expect(page.body.toString()).toContain('npm run build:console');
    const warning = h.logLines().find((line) => line.includes('web console is not built'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning!).level).toBe(40);
  });
});

describe('GraphiQL', () => {
  let h: TestHerald;
  beforeAll(async () => {
    h = await startHerald();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('is served whole from Herald: no script, style or font from elsewhere; gzipped', async () => {
    const page = await get(h.graphqlUrl, { accept: 'text/html', 'accept-encoding': 'gzip' });
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBe('gzip');
    const html = gunzipSync(page.body).toString();
    expect(html).toContain('<title>Herald GraphiQL</title>');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href="https?:/i);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|fonts\.googleapis/);
    // The headers editor starts with the Authorization template, and the examples are there.
    expect(html).toContain('Bearer <your API key>');
    expect(html).toContain('subscription WatchMessages');
  });
});
