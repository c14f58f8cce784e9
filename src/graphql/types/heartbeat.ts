import { setTimeout as sleep } from 'node:timers/promises';
import { builder } from '../builder.js';

builder.subscriptionField('heartbeat', (t) =>
  t.field({
    type: 'DateTime',
    description: 'Ticks every intervalMs: a liveness check for subscription clients.',
    args: { intervalMs: t.arg.int({ defaultValue: 1000 }) },
    subscribe: async function* (_root, { intervalMs }) {
      const every = Math.min(Math.max(intervalMs ?? 1000, 50), 60_000);
      for (;;) {
        yield new Date();
        await sleep(every);
      }
    },
    resolve: (tick: Date) => tick,
  }),
);
