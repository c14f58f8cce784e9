import { useEffect, useMemo, useState } from 'react';
import { execute } from '../api';
import {
  Channel,
  ConsoleCampaignChoicesDocument,
  ConsoleAnalyticsDocument,
  type ConsoleAnalyticsQuery,
  type MessageStatsFilter,
  type StatsFiguresFragment,
} from '../gql/graphql';
import { useSession } from '../session';
import { BarChart, type BarSeries, formatNumber } from './BarChart';

// This page (and uPlot with it) is loaded on demand: the first load of the console stays small.

const CHANNELS = Object.values(Channel);
const DELIVERED_COLOR = '#2457d6';
const READ_COLOR = '#1a9a5b';
const FAILED_COLOR = '#b3261e';

/** The browser's own time zone: days and hours are the ones its user lives in. */
const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

type Form = {
  from: string;
  to: string;
  channel: string;
  template: string;
  provider: string;
  campaign: string;
  tag: string;
};

/** `YYYY-MM-DD` of a local date, as a date input holds it. */
function dateValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function lastWeek(): Form {
  const today = new Date();
  const weekAgo = new Date(today);
  weekAgo.setDate(today.getDate() - 6);
  return {
    from: dateValue(weekAgo),
    to: dateValue(today),
    channel: '',
    template: '',
    provider: '',
    campaign: '',
    tag: '',
  };
}

/** The form as messageStats' filter: from the first day's local midnight to the end of the last day. */
function filterOf(form: Form): MessageStatsFilter | string {
  if (!form.from || !form.to) return 'Choose both days of the range.';
  const from = new Date(`${form.from}T00:00`);
  const to = new Date(`${form.to}T00:00`);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return 'The range has a day that is not a date.';
  if (to < from) return 'The range ends before it starts.';
  to.setDate(to.getDate() + 1);
  const filter: MessageStatsFilter = { from: from.toISOString(), to: to.toISOString() };
  if (form.channel) filter.channel = form.channel as Channel;
  if (form.template.trim()) filter.template = form.template.trim();
  if (form.provider.trim()) filter.provider = form.provider.trim();
  if (form.campaign) filter.campaign = form.campaign;
  if (form.tag.trim()) filter.tag = form.tag.trim();
  return filter;
}

type Answer = ConsoleAnalyticsQuery[keyof ConsoleAnalyticsQuery];
type Stats = Extract<ConsoleAnalyticsQuery['byDay'], { __typename: 'MessageStats' }>;
type Group = Stats['groups'][number];

/** The first refusal among the answers, named by its field. */
function refusalOf(data: ConsoleAnalyticsQuery): string | null {
  for (const answer of Object.values(data) as Answer[]) {
    if (answer.__typename === 'ValidationError') return `${answer.field}: ${answer.message}`;
  }
  return null;
}

const groupsOf = (answer: ConsoleAnalyticsQuery['byDay']): Group[] =>
  answer.__typename === 'MessageStats' ? answer.groups : [];

export function AnalyticsPage() {
  const { key } = useSession();
  const [form, setForm] = useState<Form>(lastWeek);
  const [applied, setApplied] = useState<Form>(form);
  const [data, setData] = useState<ConsoleAnalyticsQuery | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [campaigns, setCampaigns] = useState<{ id: string; name: string }[]>([]);

  useEffect(() => {
    execute(key, ConsoleCampaignChoicesDocument)
      .then((answer) => setCampaigns(answer.campaigns.edges.map((edge) => edge.node)))
      .catch(() => setCampaigns([]));
  }, [key]);

  useEffect(() => {
    const filter = filterOf(applied);
    if (typeof filter === 'string') {
      setError(filter);
      setData(null);
      return;
    }
    let current = true;
    setLoading(true);
    setError(null);
    execute(key, ConsoleAnalyticsDocument, { filter, timeZone: TIME_ZONE })
      .then((answer) => {
        if (!current) return;
        const refusal = refusalOf(answer);
        setError(refusal);
        setData(refusal ? null : answer);
      })
      .catch((err: Error) => current && setError(err.message))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [key, applied]);

  const field = (name: keyof Form) => ({
    name,
    value: form[name],
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setForm({ ...form, [name]: event.target.value }),
  });

  return (
    <section className="analytics">
      <h1>Analytics</h1>
      <form
        className="filters"
        aria-label="Analytics range and filters"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(form);
        }}
      >
        <label>
          from <input {...field('from')} type="date" aria-label="From day" />
        </label>
        <label>
          to <input {...field('to')} type="date" aria-label="To day" />
        </label>
        <select {...field('channel')} aria-label="Channel">
          <option value="">any channel</option>
          {CHANNELS.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <input {...field('template')} placeholder="template" aria-label="Template" />
        <input {...field('provider')} placeholder="provider" aria-label="Provider" />
        <select {...field('campaign')} aria-label="Campaign">
          <option value="">any campaign</option>
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <input {...field('tag')} placeholder="tag" aria-label="Tag" />
        <button type="submit">Apply</button>
      </form>
      <p className="meta" data-testid="analytics-zone">
        Days and hours in {TIME_ZONE}. {loading ? 'Loading…' : ''}
      </p>
      {error && <p className="error">{error}</p>}
      {data && <Charts data={data} />}
    </section>
  );
}

// Module-level, so a chart is drawn again only when its figures change.
const dayLabel = (g: Group): string => g.key.day ?? '';
const hourLabel = (g: Group): string => `${String(g.key.hourOfDay ?? 0).padStart(2, '0')}:00`;
const templateLabel = (g: Group): string => g.key.template ?? '(none)';
const routeLabel = (g: Group): string => `${g.key.channel ?? ''} · ${g.key.provider ?? '(none)'}`;

function Charts({ data }: { data: ConsoleAnalyticsQuery }) {
  const overall = data.overall.__typename === 'MessageStats' ? data.overall.groups[0] : undefined;
  const byDay = groupsOf(data.byDay);
  const byHour = groupsOf(data.byHour);
  const byTemplate = groupsOf(data.byTemplate);
  const byRoute = groupsOf(data.byRoute);
  return (
    <>
      {overall && <Summary figures={overall} />}
      <RateSection title="Delivered and read rates by day" heading="Day" groups={byDay} labelOf={dayLabel} />
      <RateSection title="Delivered and read rates by hour of day" heading="Hour" groups={byHour} labelOf={hourLabel} />
      <RateSection title="By template" heading="Template" groups={byTemplate} labelOf={templateLabel} />
      <RateSection title="By channel and provider" heading="Channel · provider" groups={byRoute} labelOf={routeLabel} />
      <FailureSection codes={overall?.failureCodes ?? []} />
    </>
  );
}

const percent = (rate: number | null | undefined): string => (rate == null ? '–' : `${formatNumber(rate * 100)}%`);

function Summary({ figures }: { figures: StatsFiguresFragment }) {
  return (
    <dl className="summary" aria-label="Totals">
      <div>
        <dt>Messages</dt>
        <dd data-figure="total">{figures.total}</dd>
      </div>
      <div>
        <dt>Sent</dt>
        <dd data-figure="sent">{figures.sent}</dd>
      </div>
      <div>
        <dt>Delivered</dt>
        <dd data-figure="delivered">
          {figures.delivered} ({percent(figures.deliveredRate)})
        </dd>
      </div>
      <div>
        <dt>Read</dt>
        <dd data-figure="read">
          {figures.read} ({percent(figures.readRate)})
        </dd>
      </div>
    </dl>
  );
}

/** A chart of delivered and read rates per group, with the figures in a table beside it. */
function RateSection({
  title,
  heading,
  groups,
  labelOf,
}: {
  title: string;
  heading: string;
  groups: Group[];
  labelOf(group: Group): string;
}) {
  const labels = useMemo(() => groups.map(labelOf), [groups, labelOf]);
  const series: BarSeries[] = useMemo(
    () => [
      { label: 'delivered', color: DELIVERED_COLOR, values: groups.map((g) => rateValue(g.deliveredRate)) },
      { label: 'read', color: READ_COLOR, values: groups.map((g) => rateValue(g.readRate)) },
    ],
    [groups],
  );
  return (
    <section className="chart-section">
      <h2>{title}</h2>
      <div className="chart-pair">
        <BarChart labels={labels} series={series} unit="%" max={100} title={heading} />
        <table className="figures" aria-label={title}>
          <thead>
            <tr>
              <th>{heading}</th>
              <th>Messages</th>
              <th>Sent</th>
              <th>Delivered</th>
              <th>Read</th>
              <th>Delivered rate</th>
              <th>Read rate</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g, i) => (
              <tr key={labels[i]} data-key={labels[i]}>
                <th scope="row">{labels[i]}</th>
                <td>{g.total}</td>
                <td>{g.sent}</td>
                <td>{g.delivered}</td>
                <td>{g.read}</td>
                <td>{percent(g.deliveredRate)}</td>
                <td>{percent(g.readRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const rateValue = (rate: number | null): number | null => (rate == null ? null : Math.round(rate * 1000) / 10);

function FailureSection({ codes }: { codes: { code: string; count: number }[] }) {
  const labels = useMemo(() => codes.map((c) => c.code), [codes]);
  const series: BarSeries[] = useMemo(
    () => [{ label: 'failed', color: FAILED_COLOR, values: codes.map((c) => c.count) }],
    [codes],
  );
  const title = 'Top failure codes';
  return (
    <section className="chart-section">
      <h2>{title}</h2>
      <div className="chart-pair">
        <BarChart labels={labels} series={series} unit="messages" title="Code" />
        <table className="figures" aria-label={title}>
          <thead>
            <tr>
              <th>Code</th>
              <th>Failed messages</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((c) => (
              <tr key={c.code} data-key={c.code}>
                <th scope="row">{c.code}</th>
                <td>{c.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
