import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { execute, subscribe } from '../api';
import { when } from '../format';
import {
  Channel,
  ConsoleCampaignChoicesDocument,
  ConsoleMessageEventsDocument,
  ConsoleMessagesDocument,
  type MessageFilter,
  MessageStatus,
} from '../gql/graphql';
import { LiveRows, type Row } from '../live-rows';
import { navigate } from '../router';
import { useSession } from '../session';

// The schema's own values (generated), in its order.
const CHANNELS = Object.values(Channel);
const STATUSES = Object.values(MessageStatus);
const PAGE = 100;
const ROW_HEIGHT = 34;

type Form = {
  channel: string;
  status: string;
  tag: string;
  to: string;
  externalRef: string;
  createdAfter: string;
  createdBefore: string;
  campaign: string;
};
const EMPTY: Form = {
  channel: '',
  status: '',
  tag: '',
  to: '',
  externalRef: '',
  createdAfter: '',
  createdBefore: '',
  campaign: '',
};

/** The form as the `messages` filter (datetime-local inputs are the browser's local time). */
function filterOf(form: Form): MessageFilter {
  const filter: MessageFilter = {};
  if (form.channel) filter.channel = form.channel as Channel;
  if (form.status) filter.status = form.status as MessageStatus;
  if (form.tag.trim()) filter.tag = form.tag.trim();
  if (form.to.trim()) filter.to = form.to.trim();
  if (form.externalRef.trim()) filter.externalRef = form.externalRef.trim();
  if (form.createdAfter) filter.createdAfter = new Date(form.createdAfter).toISOString();
  if (form.createdBefore) filter.createdBefore = new Date(form.createdBefore).toISOString();
  if (form.campaign) filter.campaign = form.campaign;
  return filter;
}

export function MessagesPage() {
  const { key, live } = useSession();
  const [form, setForm] = useState<Form>(EMPTY);
  const [filter, setFilter] = useState<MessageFilter>({});
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [campaigns, setCampaigns] = useState<{ id: string; name: string }[]>([]);
  const store = useMemo(() => new LiveRows(filter), [filter]);
  useSyncExternalStore(store.subscribe, () => store.version);
  const rows = store.rows();

  useEffect(() => {
    execute(key, ConsoleCampaignChoicesDocument)
      .then((answer) => setCampaigns(answer.campaigns.edges.map((edge) => edge.node)))
      .catch(() => setCampaigns([]));
  }, [key]);

  // Subscribe first, then read the page: nothing that happens in between is lost.
  useEffect(() => {
    setLoading(true);
    setError(null);
    const { channel, tag, externalRef } = filter;
    const stop = subscribe(
      live,
      ConsoleMessageEventsDocument,
      { filter: { channel, tag, externalRef } },
      { next: (data) => store.push(data.messageEvents), error: (err) => setError(err.message) },
    );
    let current = true;
    execute(key, ConsoleMessagesDocument, { filter, first: PAGE })
      .then(({ messages }) => {
        if (!current) return;
        store.reset(messages.edges.map((edge) => edge.node));
        setMore(messages.pageInfo.hasNextPage ? (messages.pageInfo.endCursor ?? null) : null);
      })
      .catch((err: Error) => current && setError(err.message))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
      stop();
    };
  }, [key, live, filter, store]);

  const loadOlder = () => {
    if (!more) return;
    execute(key, ConsoleMessagesDocument, { filter, first: PAGE, after: more })
      .then(({ messages }) => {
        store.appendOlder(messages.edges.map((edge) => edge.node));
        setMore(messages.pageInfo.hasNextPage ? (messages.pageInfo.endCursor ?? null) : null);
      })
      .catch((err: Error) => setError(err.message));
  };

  const field = (name: keyof Form) => ({
    name,
    value: form[name],
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setForm({ ...form, [name]: event.target.value }),
  });

  return (
    <section className="messages">
      <h1>
        Messages <EventRate store={store} />
      </h1>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilter(filterOf(form));
        }}
      >
        <select {...field('channel')} aria-label="Channel">
          <option value="">any channel</option>
          {CHANNELS.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <select {...field('status')} aria-label="Status">
          <option value="">any status</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select {...field('campaign')} aria-label="Campaign">
          <option value="">any campaign</option>
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <input {...field('to')} placeholder="recipient" aria-label="Recipient" />
        <input {...field('tag')} placeholder="tag" aria-label="Tag" />
        <input {...field('externalRef')} placeholder="external ref" aria-label="External ref" />
        <label>
          from <input {...field('createdAfter')} type="datetime-local" aria-label="Created after" />
        </label>
        <label>
          to <input {...field('createdBefore')} type="datetime-local" aria-label="Created before" />
        </label>
        <button type="submit">Apply</button>
        <button
          type="button"
          onClick={() => {
            setForm(EMPTY);
            setFilter({});
          }}
        >
          Clear
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      <VirtualTable rows={rows} version={store.version} applied={store.applied} />
      <p className="table-foot">
        {loading ? 'Loading…' : `${rows.count} messages shown`}
        {more && (
          <button type="button" onClick={loadOlder}>
            Load older
          </button>
        )}
      </p>
    </section>
  );
}

function VirtualTable({
  rows,
  version,
  applied,
}: {
  rows: ReturnType<LiveRows['rows']>;
  version: number;
  applied: number;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => rows.at(index)?.messageId ?? index,
  });
  // Only the rows in view are in the DOM: the body is as tall as all of them, each row placed.
  return (
    <div className="scroller" ref={scroller}>
      {/* Batches rendered and events applied: what the browser tests read. */}
      <table className="table" aria-label="Messages" data-batches={version} data-events={applied}>
        <thead>
          <tr>
            <th>Created</th>
            <th>Channel</th>
            <th>To</th>
            <th>Status</th>
            <th>Status at</th>
            <th>External ref</th>
            <th>Tags</th>
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows.at(item.index);
            return row ? <MessageRowView key={item.key} row={row} top={item.start} /> : null;
          })}
        </tbody>
      </table>
    </div>
  );
}

function MessageRowView({ row, top }: { row: Row; top: number }) {
  const path = `/console/messages/${encodeURIComponent(row.messageId)}`;
  return (
    <tr data-message-id={row.messageId} style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}>
      <td>
        <a
          href={path}
          onClick={(event) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
            event.preventDefault();
            navigate(path);
          }}
        >
          {when(row.createdAt) || 'new'}
        </a>
      </td>
      <td>{row.channel}</td>
      <td>{row.to}</td>
      <td>
        <span className={`status s-${row.status}`} data-status={row.status}>
          {row.status}
        </span>
      </td>
      <td>{when(row.statusAt)}</td>
      <td>{row.externalRef}</td>
      <td>{row.tags.join(', ')}</td>
    </tr>
  );
}

/** Events applied per second, measured over the last two seconds. */
function EventRate({ store }: { store: LiveRows }) {
  const [rate, setRate] = useState(0);
  useEffect(() => {
    let last = store.applied;
    const timer = setInterval(() => {
      setRate(Math.round((store.applied - last) / 2));
      last = store.applied;
    }, 2000);
    return () => clearInterval(timer);
  }, [store]);
  return <small className="rate">{rate > 0 ? `${rate} events/s` : 'live'}</small>;
}
