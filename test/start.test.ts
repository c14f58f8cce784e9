import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` on a machine with nothing else: embedded PGlite in HERALD_DATA_DIR, the admin key
// printed on the first start only, and a clean exit on SIGTERM.

const dirs: string[] = [];
const newDataDir = () => {
  dirs.push(mkdtempSync(join(tmpdir(), 'herald-start-')));
  return dirs.at(-1)!;
};
const dataDir = newDataDir();
// A test that fails or times out midway must not leave its Heralds running.
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts `npm start`'s entry point (or `npm run worker`'s) on a port the system picks; `ready`
 * gives its GraphQL URL.
 */
function start(opts: { dir?: string; port?: number; entry?: string } = {}): {
  child: ChildProcess;
  output: () => string;
  ready: Promise<string>;
} {
  // A port picked here could be taken by another test's connection before Herald binds it.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(opts.port ?? 0),
    HOST: '127.0.0.1',
    HERALD_DATA_DIR: opts.dir ?? dataDir,
  };
  delete env.DATABASE_URL;
  delete env.HERALD_BOOTSTRAP_API_KEY;
  const child = spawn(process.execPath, ['--import', 'tsx', opts.entry ?? 'src/main.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
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

/** What `{ viewer { tenant { name } } }` answers with this key. */
async function viewerOf(url: string, key: string): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ viewer { tenant { name } } }' }),
  });
  return res.json();
}

describe('npm start', () => {
  it('serves GraphQL on the embedded database, prints the bootstrap key once, persists it', async () => {
    const first = start();
    const url = await first.ready;
    const key = /(hk_\S+)/.exec(first.output())?.[1];
    expect(key).toBeDefined();
    expect(await viewerOf(url, key!)).toEqual({ data: { viewer: { tenant: { name: 'default' } } } });
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
  }, 120_000);

  it('a first start on a taken port says so without a stack trace and creates no key; the next start prints a usable one', async () => {
    const dir = newDataDir();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const refused = start({ dir, port });
    await expect(refused.ready).rejects.toThrow(/exited with 1/);
    taken.close();
    expect(refused.output()).toMatch(/Herald failed to start: listen EADDRINUSE/);
    expect(refused.output()).not.toMatch(/\n\s+at /); // no stack trace
    expect(refused.output()).not.toMatch(/hk_/);

    const next = start({ dir });
    const url = await next.ready;
    const key = /(hk_\S+)/.exec(next.output())?.[1];
    expect(key).toBeDefined();
    expect(await viewerOf(url, key!)).toEqual({ data: { viewer: { tenant: { name: 'default' } } } });
    next.child.kill('SIGTERM');
    expect(await stopped(next.child)).toBe(0);
  }, 120_000);

  it('a worker refuses an embedded data directory a running Herald holds, saying to use PostgreSQL', async () => {
    const dir = newDataDir();
    const server = start({ dir });
    await server.ready;
    const worker = start({ dir, entry: 'src/worker.ts' });
    await expect(worker.ready).rejects.toThrow(/exited with 1/);
    expect(worker.output()).toMatch(
      new RegExp(
        `Herald worker failed to start: the embedded data directory \\S+ is in use by process ${server.child.pid}; .*PostgreSQL`,
      ),
    );
    server.child.kill('SIGTERM');
    expect(await stopped(server.child)).toBe(0);
  }, 120_000);
});
