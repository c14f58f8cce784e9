import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Herald processes for multi-process tests: workers (src/worker.ts, as `npm run worker`) and
// servers (src/main.ts, as `npm start`), real processes on the real database, killed however
// the test likes. They log at info level: readiness is read from their log.
//
// src/main.ts on PostgreSQL with dispatch on (HERALD_WORKERS > 0) supervises an API and a
// dispatch process of its own; spawnSupervisedStart waits for both.

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const WORKER_READY = 'Herald worker is dispatching';
const SERVER_READY = 'Herald is listening';
export const SUPERVISED_READY = 'Herald runs the API and dispatch in separate processes';

/** Variables a worker must not inherit from the test runner: each test says what it wants. */
const OWN = /^(HERALD_|TWILIO_|DATABASE_|REDIS_URL$|LOG_LEVEL$|PORT$|HOST$)/;

export type WorkerProcess = {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves once the worker logged that it is dispatching; rejects if it exits first. */
  ready: Promise<void>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` (SIGKILL by default) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
};

const live = new Set<WorkerProcess>();

/** Spawns `node --import tsx src/worker.ts` with the given environment (plus PATH and the like). */
export function spawnWorker(env: Record<string, string>, opts: { readyTimeoutMs?: number } = {}): WorkerProcess {
  return spawnProcess('src/worker.ts', WORKER_READY, env, opts);
}

/** Spawns a whole Herald server (`src/main.ts`); ready once it listens on env.PORT. */
export function spawnServer(env: Record<string, string>, opts: { readyTimeoutMs?: number } = {}): WorkerProcess {
  return spawnProcess('src/main.ts', SERVER_READY, env, opts);
}

/** `npm start` supervising an API and a dispatch process; ready once both are. */
export function spawnSupervisedStart(
  env: Record<string, string>,
  opts: { readyTimeoutMs?: number } = {},
): WorkerProcess {
  return spawnProcess('src/main.ts', SUPERVISED_READY, env, opts);
}

function spawnProcess(
  entry: string,
  readyLine: string,
  env: Record<string, string>,
  opts: { readyTimeoutMs?: number },
): WorkerProcess {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !OWN.test(k)));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: projectRoot,
    // Fake providers and receivers listen on loopback: private targets are allowed unless the test says otherwise.
    env: { ...inherited, HERALD_ALLOW_PRIVATE_TARGETS: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not spawn the worker process');
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timeoutMs = opts.readyTimeoutMs ?? 30_000;
    const timer = setTimeout(
      () => reject(new Error(`${entry} (${child.pid}) not ready after ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes(readyLine)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${entry} (${child.pid}) exited (code ${code}, signal ${signal}) before it was ready:\n${out}`));
    });
  });
  ready.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  const worker: WorkerProcess = {
    pid: child.pid,
    child,
    ready,
    exited,
    output: () => out,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  live.add(worker);
  void exited.then(() => live.delete(worker));
  return worker;
}

/** SIGKILLs every worker still running (afterAll / finally). */
export async function killAllWorkers(): Promise<void> {
  await Promise.all([...live].map((w) => w.kill('SIGKILL')));
}

// If the test process itself goes away, its workers go with it.
process.once('exit', () => {
  for (const w of live) w.child.kill('SIGKILL');
});
