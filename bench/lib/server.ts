import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import { createBenchDatabase } from './database.js';
import type { BenchOptions } from './options.js';

/** A Herald server running as a child process on its own throw-away database. */
export type HeraldProcess = {
  url: string;
  apiKey: string;
  pid: number;
  /** Which database it runs on, for the report. */
  database: string;
  /** The last few KB of the child's stdout/stderr (pino logs at LOG_LEVEL=warn). */
  output(): string;
  /** SIGTERM, SIGKILL after a grace period, then drop the database. Safe to call twice. */
  stop(): Promise<void>;
};

const running = new Set<HeraldProcess>();
const OUTPUT_LIMIT = 8 * 1024;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve()); // could not be spawned at all
  });
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 60_000,
): Promise<void> {
  let exited = false;
  void exitOf(child).then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`Herald exited during start-up (code ${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Herald did not answer /healthz within ${timeoutMs / 1000} s:\n${output()}`);
}

/** Scenario-specific settings over the inherited environment; `undefined` removes a variable. */
export type HeraldEnv = Record<string, string | undefined>;

/**
 * `env` may be a function of the URL Herald will listen on, for settings that name it
 * (HERALD_PUBLIC_URL, which Twilio's StatusCallback is built from).
 */
export async function startHerald(
  opts: BenchOptions,
  env: HeraldEnv | ((url: string) => HeraldEnv) = {},
): Promise<HeraldProcess> {
  const db = await createBenchDatabase(opts);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // 12-character public prefix "hk_benchNNNN", as real keys have.
  const apiKey = `hk_bench${randomInt(10_000, 100_000)}_${randomBytes(24).toString('base64url')}`;
  const childEnv: NodeJS.ProcessEnv = {
    // The fake providers and callback receivers listen on loopback.
    HERALD_ALLOW_PRIVATE_TARGETS: 'true',
    // One key drives thousands of requests a second: the per-key limit would be what is measured.
    HERALD_KEY_RATE_LIMIT: '0',
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    HERALD_BOOTSTRAP_API_KEY: apiKey,
  };
  for (const [k, v] of Object.entries({ ...(typeof env === 'function' ? env(url) : env), ...db.env })) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }

  // Plain node with the tsx loader rather than the tsx CLI, which would put a second process in
  // between: the pid we hold is the server itself (for RSS/CPU readings and signals).
  // BENCH_HERALD_NODE_ARGS: node flags for the server only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`.
  const nodeArgs = process.env.BENCH_HERALD_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: opts.heraldDir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let captured = '';
  const capture = (chunk: Buffer) => {
    captured = (captured + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout!.on('data', capture);
  child.stderr!.on('data', capture);
  child.on('error', (err) => capture(Buffer.from(`spawn failed: ${err.message}\n`)));

  let stopping: Promise<void> | undefined;
  const herald: HeraldProcess = {
    url,
    apiKey,
    pid: child.pid ?? -1,
    database: db.label,
    // The bootstrap banner repeats the key; it is a throw-away key, but keep it out of reports.
    output: () => captured.replaceAll(apiKey, '<bench key>'),
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exitOf(child);
          clearTimeout(timer);
        }
        running.delete(herald);
        await db.drop();
      })()),
  };
  running.add(herald);

  try {
    await waitForHealth(url, child, herald.output);
  } catch (err) {
    await herald.stop();
    throw err;
  }
  return herald;
}

/** Stops every server still running (on errors and signals). */
export async function stopAll(): Promise<void> {
  await Promise.allSettled([...running].map((h) => h.stop()));
}

/** Last resort from a synchronous 'exit' handler: no time to drop databases, just kill. */
export function killAllNow(): void {
  for (const h of running) {
    if (h.pid <= 0) continue; // never spawned; kill(-1) would signal every process we may
    try {
      process.kill(h.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
