import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { HeraldMetrics } from './metrics.js';

// One /metrics for `npm start`'s processes (supervisor.ts): the API process serves it, and the
// counters of the dispatch process (sends, provider calls, callbacks) reach it over the IPC
// channels the supervisor already has with both. The API asks its supervisor, the supervisor
// asks the dispatch process, and the answer (prom-client's JSON of its registry) comes back the
// same way, to be summed with the API's own (HeraldMetrics.text). Pulled when scraped, so
// nothing is sent between scrapes and figures are as fresh as the scrape; a dispatch process
// that does not answer within ASK_TIMEOUT_MS leaves its figures out of that one scrape.
//
// Why not one port per process: Prometheus would have to be told about each (the dispatch
// process has no HTTP server and no port of its own), and `npm start` is one service to the
// operator. Workers started on their own (`npm run worker`) have no supervisor: they serve
// their own figures on HERALD_METRICS_PORT (worker.ts).

const ASK_TIMEOUT_MS = 2_000;

/** Set by the supervisor on its children: their parent relays metrics requests. */
export const SUPERVISOR_ENV = 'HERALD_SUPERVISOR_PID';

export type MetricsRequest = { herald: 'metrics-request'; id: string };
export type MetricsReply = { herald: 'metrics'; id: string; snapshot: object[] | null };

export const isMetricsRequest = (m: unknown): m is MetricsRequest =>
  (m as Partial<MetricsRequest> | null)?.herald === 'metrics-request' && typeof (m as MetricsRequest).id === 'string';
export const isMetricsReply = (m: unknown): m is MetricsReply =>
  (m as Partial<MetricsReply> | null)?.herald === 'metrics' && typeof (m as MetricsReply).id === 'string';

/** Whether this process's parent is Herald's supervisor (and not, say, a test runner that forked it). */
function supervised(): boolean {
  return Boolean(process.send && process.connected && process.env[SUPERVISOR_ENV] === String(process.ppid));
}

/** The figures of npm start's other processes, as snapshots to sum with this one's; none alone. */
export function otherProcessesMetrics(log: Logger): Promise<object[][]> {
  if (!supervised()) return Promise.resolve([]);
  const id = randomUUID();
  return new Promise((resolve) => {
    const done = (snapshots: object[][]) => {
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve(snapshots);
    };
    const onMessage = (m: unknown) => {
      if (isMetricsReply(m) && m.id === id) done(m.snapshot ? [m.snapshot] : []);
    };
    const timer = setTimeout(() => {
      log.warn(
        { timeoutMs: ASK_TIMEOUT_MS },
        "the dispatch process did not send its metrics in time; /metrics shows the API's only",
      );
      done([]);
    }, ASK_TIMEOUT_MS);
    process.on('message', onMessage);
    process.send!({ herald: 'metrics-request', id } satisfies MetricsRequest);
  });
}

/** In a supervised dispatch process: answers the supervisor's metrics requests. */
export function answerMetricsRequests(metrics: HeraldMetrics, log: Logger): void {
  if (!supervised()) return;
  process.on('message', (m: unknown) => {
    if (!isMetricsRequest(m)) return;
    metrics.snapshot().then(
      (snapshot) => process.send?.({ herald: 'metrics', id: m.id, snapshot } satisfies MetricsReply),
      (err) => {
        log.error({ err }, 'metrics could not be collected');
        process.send?.({ herald: 'metrics', id: m.id, snapshot: null } satisfies MetricsReply);
      },
    );
  });
}
