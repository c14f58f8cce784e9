import type { Logger } from '../log.js';
import { syncAllTemplates, type LifecycleDeps } from './lifecycle.js';

// The periodic template sync of a dispatch process: every `everyMs`, each tenant's WhatsApp
// Business Account is read from Meta and the registry brought in line, so a webhook Meta never
// delivered (or one that arrived while Herald was down) is repaired within one period.

export class TemplateSyncJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: LifecycleDeps & { log: Logger; everyMs: number }) {}

  start(): void {
    if (this.deps.everyMs <= 0) return;
    this.timer = setInterval(() => void this.runOnce(), this.deps.everyMs);
    this.timer.unref();
  }

  /** One pass (skipped while the previous one still runs). */
  runOnce(): Promise<void> {
    this.running ??= syncAllTemplates(this.deps, (err, provider) =>
      this.deps.log.warn({ err, tenantId: provider.tenantId, provider: provider.name }, 'template sync failed'),
    )
      .then((changed) => {
        if (changed > 0) this.deps.log.info({ changed }, 'templates synced from Meta');
      })
      .catch((err) => this.deps.log.error({ err }, 'template sync failed'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
