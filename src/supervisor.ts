import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { isMetricsReply, isMetricsRequest, type MetricsReply, SUPERVISOR_ENV } from './observability/metrics-ipc.js';
import { type ReadyMessage, type Role, stopOnSignals } from './process.js';

// `npm start` on PostgreSQL: the API and dispatch in separate processes, so neither takes the
// other's core (the event loop of one process is one core). This process only supervises: it
// starts the API (main.ts, single-process layout, no dispatch) and then one dispatch process
// (worker.ts, the `npm run worker` entry point), and stops them together.
//
// child_process.fork rather than node:cluster: the two children are different programs, not
// copies of one server sharing a port, and one API process is what two cores call for (a second
// one would compete with dispatch and PostgreSQL for the same two cores, and per-process
// budgets such as HERALD_KEY_RATE_LIMIT would multiply). fork gives each child the same
// stdout (one log stream; pino's lines carry each process's pid) and an IPC channel to say it
// is ready.
//
// A child that exits unexpectedly is not restarted here: it is logged at error, the other is
// stopped cleanly and Herald exits 1, so the operator's supervisor (systemd, Kubernetes,
// Docker) restarts Herald whole, with its own backoff and visibility. SIGTERM/SIGINT stop both
// children the way they stop alone (each finishes its in-flight work) and exit 0.

/** Whether `npm start` should split into supervised processes with this configuration. */
export function runsSeparateProcesses(config: Config): boolean {
  return config.processes === 'auto' && config.databaseUrl !== undefined && config.delivery.workers > 0;
}

const entry = (name: string) =>
  fileURLToPath(new URL(`./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));

type Child = { role: Role; process: ChildProcess; exited: Promise<void> };

export async function supervise(config: Config, log: Logger): Promise<void> {
  const children: Child[] = [];
  let stopping = false;

  const stopAll = async (exitCode: number): Promise<never> => {
    stopping = true;
    for (const c of children)
      if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGTERM');
    // Each child waits up to HERALD_SEND_TIMEOUT_MS for its sends, and a few seconds for its
    // connections; one that takes far longer is killed.
    const graceMs = config.delivery.sendTimeoutMs + 15_000;
    const timer = setTimeout(() => {
      for (const c of children) {
        if (c.process.exitCode !== null || c.process.signalCode !== null) continue;
        log.error({ role: c.role, pid: c.process.pid, graceMs }, 'a Herald process did not stop in time; killing it');
        c.process.kill('SIGKILL');
      }
    }, graceMs);
    await Promise.all(children.map((c) => c.exited));
    clearTimeout(timer);
    const failed = children.filter((c) => c.process.exitCode !== 0);
    process.exit(failed.length > 0 ? Math.max(exitCode, 1) : exitCode);
  };

  stopOnSignals(log, () => stopAll(0));

  const start = (role: Role, name: string, env: Record<string, string>): Promise<void> => {
    if (stopping) return new Promise(() => {}); // a signal came first: stopAll exits
    const child = fork(entry(name), {
      env: { ...process.env, ...env, [SUPERVISOR_ENV]: String(process.pid) },
      stdio: 'inherit',
    });
    let ready = false;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    children.push({ role, process: child, exited });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      log.error(
        { role, pid: child.pid, code, signal },
        ready
          ? 'a Herald process exited unexpectedly; stopping Herald'
          : 'a Herald process exited before it was ready; stopping Herald',
      );
      void stopAll(1);
    });
    child.on('message', (message: unknown) => relayMetrics(child, message));
    return new Promise((resolve) => {
      child.on('message', (message: Partial<ReadyMessage>) => {
        if (message?.herald === 'ready' && message.role === role) {
          ready = true;
          resolve();
        }
      });
    });
  };

  /**
   * /metrics is served by the API process; the dispatch process's figures reach it through here
   * (observability/metrics-ipc.ts): a request goes to the dispatch process, its reply back to
   * the API process.
   */
  const relayMetrics = (from: ChildProcess, message: unknown): void => {
    const api = children.find((c) => c.role === 'api')?.process;
    const dispatch = children.find((c) => c.role === 'dispatch')?.process;
    if (isMetricsRequest(message) && from === api) {
      if (dispatch?.connected) dispatch.send(message);
      else api.send({ herald: 'metrics', id: message.id, snapshot: null } satisfies MetricsReply);
    } else if (isMetricsReply(message) && from === dispatch && api?.connected) {
      api.send(message);
    }
  };

  // The API process migrates and bootstraps (printing a new admin key once); dispatch starts
  // after it, so two processes never migrate the same database at once.
  await start('api', 'main', { HERALD_PROCESSES: 'single', HERALD_WORKERS: '0' });
  await start('dispatch', 'worker', {});
  const pids = Object.fromEntries(children.map((c) => [c.role, c.process.pid]));
  log.info({ supervisor: process.pid, ...pids }, 'Herald runs the API and dispatch in separate processes');
}
