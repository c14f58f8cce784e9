import { sealStoredSecrets } from './callbacks/endpoints.js';
import { openDatabase } from './db/client.js';
import { startDelivery } from './delivery/index.js';
import { createLogger } from './log.js';
import { OutboundGuard } from './net/outbound.js';
import { createProviderDirectory } from './providers/directory.js';
import { configOrExit, run, stopOnSignals, tellSupervisor } from './process.js';
import { StatusHub } from './pubsub/status-hub.js';

// A dispatch-only process (`npm run worker`): no HTTP, same database and queue. Run several
// against one PostgreSQL to scale sending; set REDIS_URL so rate limits hold across them.
run('Herald worker', async () => {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  const database = openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  await database.migrate();
  // Changes made here reach subscribers of every API process through Redis or, without it,
  // NOTIFY; nothing subscribes here.
  const statusHub = await StatusHub.open(config, log, { publishOnly: true });
  const outbound = new OutboundGuard({ allowPrivate: config.outbound.allowPrivateTargets });
  const providers = createProviderDirectory(database.db, config, () => new Date(), outbound);
  // Signing secrets an earlier Herald stored in plaintext are sealed now (SQL cannot encrypt).
  const sealed = await sealStoredSecrets(database.db, providers.secrets);
  if (sealed > 0) log.info({ count: sealed }, 'sealed callback signing secrets stored in plaintext');
  const delivery = await startDelivery(
    database,
    { ...config, delivery: { ...config.delivery, workers: Math.max(1, config.delivery.workers) } },
    log,
    {
      now: () => new Date(),
      onChanges: statusHub.publish,
      onTemplateChanges: statusHub.publishTemplateChanges,
      providers,
      outbound,
    },
  );
  // Before anything says "ready": until a SIGTERM listener exists, SIGTERM kills outright.
  stopOnSignals(log, async () => {
    await delivery.stop(config.delivery.sendTimeoutMs);
    await statusHub.close();
    await database.close();
  });
  log.info({ database: database.kind }, 'Herald worker is dispatching');
  tellSupervisor('dispatch');
});
