import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { startDelivery } from './delivery/index.js';
import { createLogger } from './log.js';
import { StatusHub } from './pubsub/status-hub.js';

// A dispatch-only process (`npm run worker`): no HTTP, same database and queue. Run several
// against one PostgreSQL to scale sending; set REDIS_URL so rate limits hold across them.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const database = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  await database.migrate();
  // Changes made here reach subscribers of every API process through Redis.
  const statusHub = config.redisUrl ? await StatusHub.redis(config.redisUrl) : StatusHub.inProcess();
  const delivery = await startDelivery(database, { ...config, delivery: { ...config.delivery, workers: Math.max(1, config.delivery.workers) } }, log, {
    now: () => new Date(),
    onChanges: statusHub.publish,
  });
  log.info({ database: database.kind }, 'Herald worker is dispatching');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker shutting down');
    delivery
      .stop(config.delivery.sendTimeoutMs)
      .then(() => statusHub.close())
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (err) => {
          log.error({ err }, 'worker shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  console.error('Herald worker failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
