import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { BenchOptions } from './options.js';
import { cpuSeconds, postgresCpuSeconds, treeCpuSeconds } from './proc.js';
import type { HeraldProcess } from './server.js';

// Processes a scenario runs beside Herald (a worker-only Herald, the fake Twilio, load
// generators), and direct SQL on Herald's throw-away database. All of them are killed when the
// bench exits, whatever ends it.

export type Child = {
  pid: number;
  process: ChildProcess;
  /** The first line the child prints on stdout (its readiness line, for those that print one). */
  firstLine: Promise<string>;
  /** The last few KB of stdout and stderr. */
  output(): string;
  /** SIGTERM, SIGKILL after 5 s. */
  stop(): Promise<void>;
};

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** `node --import tsx <entry> ...args` in the Herald checkout (the pid is the program itself). */
export function spawnTsx(
  opts: BenchOptions,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ipc = false,
): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: opts.heraldDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? (['ipc'] as const) : [])],
  });
  children.add(child);
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  const firstLine = new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      if (buffered.includes('\n')) resolve(buffered.slice(0, buffered.indexOf('\n')));
    });
    void exited.then(() => reject(new Error(`${entry} exited (code ${child.exitCode}):\n${out}`)));
  });
  firstLine.catch(() => {});
  const capture = (chunk: Buffer) => (out = (out + chunk.toString('utf8')).slice(-8192));
  child.stdout!.on('data', capture);
  child.stderr!.on('data', capture);
  return {
    pid: child.pid ?? -1,
    process: child,
    firstLine,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The environment Herald was started with (DATABASE_URL of its throw-away database, the
 * bootstrap key...), read back from /proc: startHerald does not hand out its database URL.
 */
export function heraldEnv(herald: HeraldProcess): Record<string, string> {
  const raw = readFileSync(`/proc/${herald.pid}/environ`, 'utf8');
  return Object.fromEntries(
    raw
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

/** A client on Herald's own database (PostgreSQL only), for set-up reads and checks. */
export function heraldSql(herald: HeraldProcess): postgres.Sql {
  const url = heraldEnv(herald).DATABASE_URL;
  if (!url)
    throw new Error("this scenario reads Herald's database directly and needs PostgreSQL (unset BENCH_DB=pglite)");
  return postgres(url, { max: 2, onnotice: () => {} });
}

/** A worker-only Herald (`src/worker.ts`) on the same database and settings as `herald`, plus `env`. */
export function startWorker(opts: BenchOptions, herald: HeraldProcess, env: Record<string, string>): Child {
  return spawnTsx(opts, 'src/worker.ts', [], { ...heraldEnv(herald), ...env });
}

export type FakeTwilioProcess = Child & { url: string; accountSid: string; authToken: string };

/**
 * test/support/fake-twilio.ts as its own process; `record: false` keeps no request log; `args`
 * adds flags (e.g. --status-callbacks sent,delivered,read).
 */
export async function startFakeTwilio(
  opts: BenchOptions,
  record: boolean,
  args: string[] = [],
): Promise<FakeTwilioProcess> {
  // The instrument's own copy, not the one of the checkout under test (BENCH_HERALD_DIR may be
  // an older one): A and B are measured against the same fake.
  const child = spawnTsx(
    opts,
    fileURLToPath(new URL('../../test/support/fake-twilio.ts', import.meta.url)),
    ['--port', '0', ...(record ? [] : ['--no-record']), ...args],
    process.env,
  );
  const ready = JSON.parse(await child.firstLine) as { url: string; accountSid: string; authToken: string };
  return { ...child, ...ready };
}

/**
 * Herald's settings that send SMS through the fake Twilio: its credentials and address, and a
 * rate limit that does not bind (Twilio's default of 10/s would be what is measured).
 */
export const twilioRoute = (fake: FakeTwilioProcess): Record<string, string> => ({
  HERALD_ROUTE_SMS: 'twilio',
  TWILIO_ACCOUNT_SID: fake.accountSid,
  TWILIO_AUTH_TOKEN: fake.authToken,
  TWILIO_BASE_URL: fake.url,
  TWILIO_FROM: 'HERALD',
  HERALD_RATE_LIMITS: 'twilio=100000',
});

/** bench/lib/callback-receiver.ts as its own process: a customer endpoint that answers 200 and counts. */
export async function startCallbackReceiver(
  opts: BenchOptions,
): Promise<Child & { url: string; received(): Promise<number> }> {
  const child = spawnTsx(opts, fileURLToPath(new URL('./callback-receiver.ts', import.meta.url)), [], process.env);
  const { url } = JSON.parse(await child.firstLine) as { url: string };
  const counter = new URL('/__count', url).toString();
  return {
    ...child,
    url,
    received: async () => ((await (await fetch(counter)).json()) as { received: number }).received,
  };
}

/** Whole-machine CPU counters from /proc/stat. */
function machineTicks(): { total: number; idle: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  return { total: ticks.slice(0, 8).reduce((a, b) => a + b, 0), idle: ticks[3]! + ticks[4]! };
}

/** A process by pid, or `{ tree: pid }` for it and all its descendants (exited ones included). */
export type Measured = number | { tree: number };

/**
 * CPU use from now until `read()`: of the named processes and of PostgreSQL (all its processes),
 * as fractions of one core (`each`) and in seconds (`seconds`), and of the whole machine as a
 * fraction of all its cores.
 */
export function cpuMeter(pids: Record<string, Measured>): {
  read(): {
    machine: number;
    each: Record<string, number>;
    seconds: Record<string, number>;
    wall: number;
    text: string;
  };
} {
  const sample = () => {
    const each: Record<string, number> = Object.fromEntries(
      Object.entries(pids).map(([name, p]) => [
        name,
        (typeof p === 'number' ? cpuSeconds(p) : treeCpuSeconds(p.tree)) ?? NaN,
      ]),
    );
    each.PostgreSQL = postgresCpuSeconds();
    return { at: performance.now(), machine: machineTicks(), each };
  };
  const start = sample();
  return {
    read() {
      const end = sample();
      const wall = (end.at - start.at) / 1000;
      const machine = 1 - (end.machine.idle - start.machine.idle) / (end.machine.total - start.machine.total);
      const seconds = Object.fromEntries(Object.entries(end.each).map(([name, v]) => [name, v - start.each[name]!]));
      const each = Object.fromEntries(Object.entries(seconds).map(([name, v]) => [name, v / wall]));
      // Whatever the named processes and PostgreSQL do not account for: other processes on the
      // machine (a test suite running meanwhile skews the figures) and kernel work.
      const other = machine * cpus().length - Object.values(each).reduce((a, b) => a + b, 0);
      const text =
        `CPU: machine ${Math.round(machine * 100)}% of ${cpus().length} cores; ` +
        [...Object.entries(each), ['everything else', other] as const]
          .map(([name, v]) => `${name} ${Math.round(v * 100)}%`)
          .join(', ') +
        ' (of one core)';
      return { machine, each, seconds, wall, text };
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The time the fake Twilio stamps on requests, in the same clock: epoch ms with fractions. */
export const nowMs = () => performance.timeOrigin + performance.now();
