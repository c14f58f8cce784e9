import { createHerald } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';

// config -> database -> migrate -> bootstrap -> listen; stop cleanly on SIGTERM/SIGINT.
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
  const herald = await createHerald(config, log);
  const url = await herald.listen();
  log.info({ url: `${url}/graphql`, database: herald.database.kind }, 'Herald is listening');

  if (herald.bootstrap.created) {
    // Printed once, outside the structured log, so the key never lands in log storage.
    process.stdout.write(
      `\n  Herald created the operator tenant "${herald.bootstrap.tenant.name}".\n` +
        `  Admin API key (shown only now, store it safely):\n\n    ${herald.bootstrap.key}\n\n` +
        `  Try: curl -H "Authorization: Bearer <key>" -H 'content-type: application/json' \\\n` +
        `         -d '{"query":"{ viewer { tenant { name } scopes } }"}' ${url}/graphql\n\n`,
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    herald.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  console.error('Herald failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
