import { and, eq, or, sql } from 'drizzle-orm';
import { QUEUE_CHANNEL, type Db } from '../db/client.js';
import { messages, type MessageRow, type NewMessageRow } from '../db/schema.js';
import { appendStatusEvents, statusChange, type StatusChange, type StatusListener } from './status-updates.js';

type Pending = {
  row: NewMessageRow & { id: string; createdAt: Date };
  resolve: (row: MessageRow) => void;
  reject: (err: unknown) => void;
};

/**
 * Stores accepted messages. Sends that arrive together are coalesced into one transaction with
 * one multi-row INSERT for the messages and one for their first events, so throughput is bound
 * by round trips per batch rather than per message. Every caller still gets its answer only
 * after the commit: durability is unchanged.
 *
 * Idempotency: `ON CONFLICT (tenant_id, idempotency_key) DO NOTHING` lets PostgreSQL arbitrate
 * concurrent repeats; a skipped row is answered with the message that holds the key.
 */
export class MessageWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly opts: {
      maxBatch: number;
      maxConcurrentBatches: number;
      /** Told about newly accepted messages, after commit. */
      onAccepted: StatusListener;
    },
  ) {}

  insert(row: Pending['row']): Promise<MessageRow> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.opts.maxConcurrentBatches || this.queue.length === 0) return;
    this.scheduled = true;
    // setImmediate lets every request parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < this.opts.maxConcurrentBatches && this.queue.length > 0) {
        const batch = this.queue.splice(0, this.opts.maxBatch);
        this.inFlight++;
        void this.flush(batch).finally(() => {
          this.inFlight--;
          this.schedule();
        });
      }
    });
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const { stored, accepted } = await this.write(batch.map((p) => p.row));
      this.opts.onAccepted(accepted);
      for (const [i, p] of batch.entries()) p.resolve(stored[i]!);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // One bad row must not fail its neighbours: retry each on its own.
      await Promise.all(batch.map((p) => this.flush([p])));
    }
  }

  /** Returns, for each input row, the stored message (the new one, or the idempotent original). */
  private write(rows: Pending['row'][]): Promise<{ stored: MessageRow[]; accepted: StatusChange[] }> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(messages)
        .values(rows)
        .onConflictDoNothing({ target: [messages.tenantId, messages.idempotencyKey] })
        .returning();
      const accepted = inserted.map((m) =>
        statusChange(m, { status: m.status, previousStatus: null, occurredAt: m.createdAt }),
      );
      if (inserted.length > 0) {
        await appendStatusEvents(tx, accepted, inserted[0]!.createdAt);
        // Delivered at commit: wakes idle dispatchers without waiting for their next poll.
        if (inserted.some((m) => m.status === 'QUEUED')) await tx.execute(sql`select pg_notify(${QUEUE_CHANNEL}, '')`);
      }
      const byId = new Map(inserted.map((m) => [m.id, m]));
      const skipped = rows.filter((r) => !byId.has(r.id));
      const originals = new Map<string, MessageRow>();
      if (skipped.length > 0) {
        const found = await tx
          .select()
          .from(messages)
          .where(
            or(
              ...skipped.map((r) =>
                and(eq(messages.tenantId, r.tenantId), eq(messages.idempotencyKey, r.idempotencyKey!)),
              ),
            ),
          );
        for (const m of found) originals.set(`${m.tenantId}\u0000${m.idempotencyKey}`, m);
      }
      return {
        stored: rows.map((r) => byId.get(r.id) ?? originals.get(`${r.tenantId}\u0000${r.idempotencyKey}`)!),
        accepted,
      };
    });
  }
}
