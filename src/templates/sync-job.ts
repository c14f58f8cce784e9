import type { Logger } from '../log.js';
import { PeriodicTask } from '../periodic.js';
import { syncAllTemplates, type LifecycleDeps } from './lifecycle.js';

// The periodic template sync of a dispatch process: every `everyMs`, each tenant's WhatsApp
// Business Account is read from Meta and the registry brought in line, so a webhook Meta never
// delivered (or one that arrived while Herald was down) is repaired within one period.

export function templateSync(deps: LifecycleDeps & { log: Logger; everyMs: number }): PeriodicTask {
  return new PeriodicTask(
    deps.everyMs,
    async () => {
      const changed = await syncAllTemplates(deps, (err, provider) =>
        deps.log.warn({ err, tenantId: provider.tenantId, provider: provider.name }, 'template sync failed'),
      );
      if (changed > 0) deps.log.info({ changed }, 'templates synced from Meta');
    },
    (err) => deps.log.error({ err }, 'template sync failed'),
  );
}
