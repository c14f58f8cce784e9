import { ConfigError, loadConfig, type Config } from './config.js';
import type { Logger } from './log.js';

// What the entry points (main.ts, worker.ts) share: reading the configuration, stopping once,
// telling a supervising `npm start` (supervisor.ts) they are ready.

/** The configuration, or exit 2 with the list of what is wrong. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits 0 (1 if stopping failed). A process started
 * by the supervisor also stops when the supervisor is gone (its IPC channel closes), so a
 * killed `npm start` leaves no process behind.
 */
export function stopOnSignals(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals | 'supervisor gone') => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  if (process.connected) process.once('disconnect', () => onSignal('supervisor gone'));
}

/** The processes npm start's supervisor (supervisor.ts) runs. */
export type Role = 'api' | 'dispatch';

/** What a child sends its supervisor once it serves (api) or dispatches. */
export type ReadyMessage = { herald: 'ready'; role: Role };

/** Tells the supervisor, if there is one, that this process serves (api) or dispatches. */
export function tellSupervisor(role: Role): void {
  const ready: ReadyMessage = { herald: 'ready', role };
  process.send?.(ready);
}

/** Runs an entry point; a failure to start is printed plainly and exits 1. */
export function run(what: string, main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(`${what} failed to start:`, err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
