import { performance } from 'node:perf_hooks';
import { createHerald } from './app.js';
import { createLogger, timedStep } from './log.js';
import { loggableEndpoint, otlpEndpoint, startTracing } from './observability/tracing.js';
import { configOrExit, run, stopOnSignals, tellSupervisor } from './process.js';
import { runsSeparateProcesses, supervise } from './supervisor.js';

// config -> database -> migrate -> listen -> bootstrap; stop cleanly on SIGTERM/SIGINT. On
// PostgreSQL (HERALD_PROCESSES=auto) this process only supervises an API process (this file
// again, single-process, no dispatch) and a dispatch process (worker.ts): supervisor.ts.
run('Herald', async () => {
  const config = configOrExit();
  const log = createLogger(config.logLevel, undefined, config.logFormat);
  if (runsSeparateProcesses(config)) return supervise(config, log);
  // Before the first span: off (and free) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const stopTracing = await startTracing(process.env, 'herald');
  if (stopTracing) log.info({ endpoint: loggableEndpoint(otlpEndpoint(process.env)) }, 'sending traces over OTLP');
  const herald = await createHerald(config, log);
  const url = await timedStep(log, 'opening the HTTP port', 'HTTP port open', () => herald.listen());
  // Before anything says "ready": until a SIGTERM listener exists, SIGTERM kills outright.
  stopOnSignals(log, async () => {
    await herald.stop();
    await stopTracing?.(); // the last spans are flushed
  });
  const boot = await timedStep(log, 'bootstrapping the operator tenant', 'operator tenant ready', () =>
    herald.bootstrap(),
  );
  if (boot.created) {
    // Printed once, outside the structured log, so the key never lands in log storage.
    process.stdout.write(
      `\n  Herald created the operator tenant "${boot.tenant.name}".\n` +
        `  Admin API key (shown only now, store it safely):\n\n    ${boot.key}\n\n` +
        `  Try: curl -H "Authorization: Bearer <key>" -H 'content-type: application/json' \\\n` +
        `         -d '{"query":"{ viewer { tenant { name } scopes } }"}' ${url}/graphql\n\n`,
    );
  }

  // Since the process started: module loading included, which is most of a cold start.
  log.info(
    { url: `${url}/graphql`, database: herald.database.kind, startupMs: Math.round(performance.now()) },
    'Herald is listening',
  );
  tellSupervisor('api');
});
