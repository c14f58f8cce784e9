import { createServer, type Server } from 'node:http';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { HeraldMetrics } from './metrics.js';

/**
 * A standalone worker's own /metrics (HERALD_METRICS_PORT): its counters and histograms only,
 * no key asked, since a worker has no API keys to check; it listens on HERALD_METRICS_HOST,
 * loopback unless the operator says otherwise. The figures are counts and durations: no message
 * content, no tenant.
 */
export async function serveMetrics(
  metrics: HeraldMetrics,
  config: Pick<Config, 'metricsPort' | 'metricsHost'>,
  log: Logger,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://herald').pathname !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    metrics.text().then(
      (text) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text),
      (err) => {
        log.error({ err }, 'metrics could not be collected');
        res.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.metricsPort, config.metricsHost, resolve);
  });
  log.info({ host: config.metricsHost, port: config.metricsPort }, 'worker metrics at /metrics');
  return server;
}
