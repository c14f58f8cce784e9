import { and, asc, inArray, lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { messages } from '../db/schema.js';
import type { ProviderDirectory } from '../providers/directory.js';
import type { ProviderStatusEvent } from '../providers/provider.js';

/**
 * Reconciliation: a report that never came (a lost webhook, a provider that does not push) would
 * leave a message SENT or DELIVERED for good. Providers that can look a message up are asked
 * about up to 200 messages whose last change is older than `reconcileAfterMs`, oldest first;
 * their answers go through the same path as reports (the status machine only moves forward, and
 * a redelivered report is a no-op), then the messages are marked checked (updated_at) so they
 * are not asked about again before another `reconcileAfterMs`.
 *
 * No lease: asking twice is harmless, since the answers are idempotent reports. Crash before the
 * answers are applied: the messages are asked about again on the next run. Crash after: at
 * worst they are asked about once more.
 */
export async function reconcile(
  db: Db,
  providers: ProviderDirectory,
  applyReports: (events: ProviderStatusEvent[]) => Promise<void>,
  opts: { now: () => Date; reconcileAfterMs: number },
): Promise<void> {
  const lookups = providers.all().filter((p) => p.lookupStatus);
  if (lookups.length === 0) return;
  const now = opts.now();
  const overdue = new Date(now.getTime() - opts.reconcileAfterMs);
  const rows = await db
    .select({ id: messages.id, provider: messages.provider, providerMessageId: messages.providerMessageId })
    .from(messages)
    .where(
      and(
        inArray(messages.status, ['SENT', 'DELIVERED']),
        inArray(
          messages.provider,
          lookups.map((p) => p.name),
        ),
        lt(messages.updatedAt, overdue),
      ),
    )
    .orderBy(asc(messages.updatedAt))
    .limit(200);
  if (rows.length === 0) return;
  const events = (
    await Promise.all(
      rows.map(async (r) => (await providers.byName(r.provider!))?.lookupStatus?.(r.providerMessageId!, now) ?? []),
    )
  ).flat();
  await applyReports(events);
  // Checked now: not again before reconcileAfterMs, whatever the answer.
  await db
    .update(messages)
    .set({ updatedAt: now })
    .where(
      inArray(
        messages.id,
        rows.map((r) => r.id),
      ),
    );
}
