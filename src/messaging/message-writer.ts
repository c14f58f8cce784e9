import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { callbackCtes } from '../callbacks/enqueue.js';
import { QUEUE_CHANNEL, type Db } from '../db/client.js';
import { rowReader, rowsOf } from '../db/raw-rows.js';
import { recordset, type RecordsetColumns } from '../db/recordset.js';
import { messages, type MessageRow, type NewMessageRow } from '../db/schema.js';
import { newId } from '../ids.js';
import { currentRequestId } from '../observability/request-context.js';
import { traceParentNow } from '../observability/tracing.js';
import { statusChange, type StatusChange, type StatusListener } from './status-updates.js';

type Pending = {
  row: NewMessageRow & { id: string; createdAt: Date };
  resolve: (row: MessageRow) => void;
  reject: (err: unknown) => void;
};

/**
 * Stores accepted messages. Sends that arrive together are coalesced into one statement (the
 * messages, their first events, their callbacks and the dispatchers' wake-up: acceptStatement),
 * so throughput is bound by one round trip per batch rather than per message or per table.
 * Every caller still gets its answer only after the commit: durability is unchanged.
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
    // The accepting request's id and trace go with the message to whoever dispatches it.
    const traced = {
      ...row,
      requestId: row.requestId ?? currentRequestId() ?? null,
      traceParent: row.traceParent ?? traceParentNow(),
    };
    return new Promise((resolve, reject) => {
      this.queue.push({ row: traced, resolve, reject });
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
  private async write(rows: Pending['row'][]): Promise<{ stored: MessageRow[]; accepted: StatusChange[] }> {
    const result = await this.db.execute(acceptStatement(rows));
    const inserted = rowsOf<Record<string, unknown>>(result).map(readMessage);
    const accepted = inserted.map((m) =>
      statusChange(m, { status: m.status, previousStatus: null, occurredAt: m.createdAt }),
    );
    const byId = new Map(inserted.map((m) => [m.id, m]));
    const skipped = rows.filter((r) => !byId.has(r.id));
    const originals = new Map<string, MessageRow>();
    if (skipped.length > 0) {
      // The statement above has committed, and with it waited for any concurrent holder of a
      // key to commit: the originals are visible now.
      const found = await this.db
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
  }
}

const readMessage = rowReader(messages);

const iso = (d: Date | null | undefined): string | null => d?.toISOString() ?? null;

/** One message of a batch as the accept statement reads it (snake_case: the SQL's own names). */
type AcceptRow = {
  n: number;
  id: string;
  event_id: string;
  tenant_id: string;
  channel: string;
  status: string;
  status_at: string | null;
  recipient: string;
  sender: string | null;
  template_name: string | null;
  template_language: string | null;
  template_params: unknown;
  body: string | null;
  subject: string | null;
  media_type: string | null;
  media_id: string | null;
  channel_options: unknown;
  next_attempt_at: string | null;
  idempotency_key: string | null;
  external_ref: string | null;
  metadata: unknown;
  tags: string[];
  send_at: string | null;
  valid_until: string | null;
  callback_url: string | null;
  category: string | null;
  request_id: string | null;
  trace_parent: string | null;
  created_at: string;
  updated_at: string;
};
// created_at stays text: the callbacks' payload quotes it as Herald wrote it.
const acceptColumns: RecordsetColumns<AcceptRow> = {
  n: 'int',
  id: 'uuid',
  event_id: 'uuid',
  tenant_id: 'uuid',
  channel: 'channel',
  status: 'message_status',
  status_at: 'timestamptz',
  recipient: 'text',
  sender: 'text',
  template_name: 'text',
  template_language: 'text',
  template_params: 'jsonb',
  body: 'text',
  subject: 'text',
  media_type: 'text',
  media_id: 'text',
  channel_options: 'jsonb',
  next_attempt_at: 'timestamptz',
  idempotency_key: 'text',
  external_ref: 'text',
  metadata: 'jsonb',
  tags: 'text[]',
  send_at: 'timestamptz',
  valid_until: 'timestamptz',
  callback_url: 'text',
  category: 'message_category',
  request_id: 'text',
  trace_parent: 'text',
  created_at: 'text',
  updated_at: 'timestamptz',
};

/**
 * The whole accept of a batch as one statement (atomic on its own, so one round trip): the
 * messages, their first status events, their callbacks (callbacks/enqueue.ts) and the NOTIFY
 * that wakes idle dispatchers, delivered at commit. It answers with the messages it inserted
 * (`messages.*`, in input order); a row whose idempotency key is taken is skipped.
 */
function acceptStatement(rows: Pending['row'][]): SQL {
  const input = rows.map(
    (r, n): AcceptRow => ({
      n,
      id: r.id,
      event_id: newId(),
      tenant_id: r.tenantId,
      channel: r.channel,
      status: r.status,
      status_at: iso(r.statusAt),
      recipient: r.recipient,
      sender: r.sender ?? null,
      template_name: r.templateName ?? null,
      template_language: r.templateLanguage ?? null,
      template_params: r.templateParams ?? null,
      body: r.body ?? null,
      subject: r.subject ?? null,
      media_type: r.mediaType ?? null,
      media_id: r.mediaId ?? null,
      channel_options: r.channelOptions,
      next_attempt_at: iso(r.nextAttemptAt),
      idempotency_key: r.idempotencyKey ?? null,
      external_ref: r.externalRef ?? null,
      metadata: r.metadata ?? null,
      tags: r.tags ?? [],
      send_at: iso(r.sendAt),
      valid_until: iso(r.validUntil),
      callback_url: r.callbackUrl ?? null,
      category: r.category ?? null,
      request_id: r.requestId ?? null,
      trace_parent: r.traceParent ?? null,
      created_at: r.createdAt.toISOString(),
      updated_at: iso(r.updatedAt) ?? r.createdAt.toISOString(),
    }),
  );
  return sql`
    with input as (
      select * from ${recordset('r', acceptColumns, input)}
    ),
    inserted as (
      insert into messages (id, tenant_id, channel, status, status_at, recipient, sender, template_name,
        template_language, template_params, body, subject, media_type, media_id, channel_options, next_attempt_at,
        idempotency_key, external_ref, metadata, tags, send_at, valid_until, callback_url, category, request_id,
        trace_parent, created_at, updated_at)
      select id, tenant_id, channel, status, status_at, recipient, sender, template_name,
        template_language, template_params, body, subject, media_type, media_id, channel_options, next_attempt_at,
        idempotency_key, external_ref, metadata, tags, send_at, valid_until, callback_url, category, request_id,
        trace_parent, created_at::timestamptz, updated_at
      from input order by n
      on conflict (tenant_id, idempotency_key) do nothing
      returning *
    ),
    -- The first status of each new message: nothing before it, so its time needs no raising.
    accepted_events as (
      select i.n, i.event_id, m.id as message_id, m.tenant_id, m.channel, m.recipient, m.external_ref,
        m.callback_url, m.status, null::message_status as previous_status, null::text as error_code,
        null::text as error_message, i.created_at as occurred_at, null::text as reported_at,
        m.created_at, m.trace_parent
      from inserted m join input i on i.id = m.id
    ),
    status_events as (
      insert into message_events (id, message_id, tenant_id, kind, status, occurred_at, created_at)
      select event_id, message_id, tenant_id, 'status', status, created_at, created_at
      from accepted_events order by n
      returning id
    ),
    ${callbackCtes(sql`accepted_events`)},
    wake as (
      select pg_notify(${QUEUE_CHANNEL}, '')::text as done
      where exists (select 1 from inserted where status = 'QUEUED')
    )
    select m.* from inserted m
      join input i on i.id = m.id
      cross join (select count(*) from wake) as woken
    order by i.n`;
}
