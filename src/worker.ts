import { performance } from 'node:perf_hooks';
import { sealStoredSecrets } from './callbacks/endpoints.js';
import { openDatabase } from './db/client.js';
import { startDelivery } from './delivery/index.js';
import { createLogger, timedStep } from './log.js';
import { OutboundGuard } from './net/outbound.js';
import { createProviderDirectory } from './providers/directory.js';
import { configOrExit, run, stopOnSignals, tellSupervisor } from './process.js';
import { StatusHub } from './pubsub/status-hub.js';
import { HeraldMetrics } from './observability/metrics.js';
import { answerMetricsRequests } from './observability/metrics-ipc.js';
import { serveMetrics } from './observability/metrics-server.js';
import { loggableEndpoint, otlpEndpoint, startTracing } from './observability/tracing.js';

// A dispatch-only process (`npm run worker`): no HTTP, same database and queue. Run several
// against one PostgreSQL to scale sending; set REDIS_URL so rate limits hold across them.
run('Herald worker', async () => {
  const config = configOrExit();
  const log = createLogger(config.logLevel, undefined, config.logFormat);
  const stopTracing = await startTracing(process.env, 'herald');
  if (stopTracing) log.info({ endpoint: loggableEndpoint(otlpEndpoint(process.env)) }, 'sending traces over OTLP');
  const database = openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  await timedStep(log, 'migrating the database', 'database migrated', () => database.migrate());
  // Changes made here reach subscribers of every API process through Redis or, without it,
  // NOTIFY; nothing subscribes here.
  const statusHub = await StatusHub.open(config, log, { publishOnly: true });
  const outbound = new OutboundGuard({ allowPrivate: config.outbound.allowPrivateTargets });
  const providers = createProviderDirectory(database.db, config, () => new Date(), outbound);
  // Signing secrets an earlier Herald stored in plaintext are sealed now (SQL cannot encrypt).
  const sealed = await sealStoredSecrets(database.db, providers.secrets);
  if (sealed > 0) log.info({ count: sealed }, 'sealed callback signing secrets stored in plaintext');
  const metrics = new HeraldMetrics();
  const delivery = await startDelivery(
    database,
    { ...config, delivery: { ...config.delivery, workers: Math.max(1, config.delivery.workers) } },
    log,
    {
      now: () => new Date(),
      onChanges: metrics.counting(statusHub.publish),
      metrics,
      onTemplateChanges: statusHub.publishTemplateChanges,
      providers,
      outbound,
    },
  );
  // Under npm start the API process serves these figures; on its own, a worker serves them itself.
  answerMetricsRequests(metrics, log);
  const metricsServer = config.metricsPort === undefined ? undefined : await serveMetrics(metrics, config, log);
  // Before anything says "ready": until a SIGTERM listener exists, SIGTERM kills outright.
  stopOnSignals(log, async () => {
    await delivery.stop(config.delivery.sendTimeoutMs);
    metricsServer?.close();
    await statusHub.close();
    await database.close();
    await stopTracing?.();
  });
  log.info({ database: database.kind, startupMs: Math.round(performance.now()) }, 'Herald worker is dispatching');
  tellSupervisor('dispatch');
});
