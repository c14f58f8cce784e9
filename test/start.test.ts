import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` on a machine with nothing else: embedded PGlite in HERALD_DATA_DIR, the admin key
// printed on the first start only, and a clean exit on SIGTERM.

const dataDir = mkdtempSync(join(tmpdir(), 'herald-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Starts `npm start`'s entry point on a port the system picks; `ready` gives its GraphQL URL. */
function start(): { child: ChildProcess; output: () => string; ready: Promise<string> } {
  // A port picked here could be taken by another test's connection before Herald binds it.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', HERALD_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.HERALD_BOOTSTRAP_API_KEY;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const url = /"url":"([^"]+)"[^\n]*Herald is listening/.exec(out)?.[1];
      if (url) {
        clearInterval(timer);
        resolve(url);
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`exited with ${code}: ${out}`));
    });
  });
  return { child, output: () => out, ready };
}

const stopped = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('npm start', () => {
  it('serves GraphQL on the embedded database, prints the bootstrap key once, persists it', async () => {
    const first = start();
    const url = await first.ready;
    const key = /(hk_\S+)/.exec(first.output())?.[1];
    expect(key).toBeDefined();
    const viewer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ viewer { tenant { name } } }' }),
    });
    expect(await viewer.json()).toEqual({ data: { viewer: { tenant: { name: 'default' } } } });
    first.child.kill('SIGTERM');
    expect(await stopped(first.child)).toBe(0);

    const second = start();
    const secondUrl = await second.ready;
    expect(second.output()).not.toMatch(/hk_/);
    const again = await fetch(secondUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: key! },
      body: JSON.stringify({ query: '{ viewer { scopes } }' }),
    });
    expect(again.status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await stopped(second.child)).toBe(0);
  });
});
