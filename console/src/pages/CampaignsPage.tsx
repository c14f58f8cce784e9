import { useCallback, useEffect, useState } from 'react';
import { execute, subscribe } from '../api';
import { when } from '../format';
import {
  type CampaignCountsFragment,
  ConsoleCampaignProgressDocument,
  ConsoleCampaignsDocument,
  type ConsoleCampaignsQuery,
  ConsoleCancelCampaignDocument,
  ConsolePauseCampaignDocument,
  ConsoleResumeCampaignDocument,
  ConsoleStartCampaignDocument,
  type CampaignStatus,
} from '../gql/graphql';
import { can, useSession } from '../session';
import { NewCampaign } from './NewCampaign';

type Campaign = ConsoleCampaignsQuery['campaigns']['edges'][number]['node'];

/** Messages past the queue: handed to a provider, or ended without it. */
const doneOf = (c: CampaignCountsFragment): number =>
  c.sent + c.delivered + c.read + c.failed + c.undelivered + c.expired + c.canceled;

const LIVE: ReadonlySet<CampaignStatus> = new Set(['RUNNING', 'SCHEDULED', 'PAUSED']);
/** A DRAFT is watched too: started elsewhere (the API, the CLI), it moves here. */
const WATCHED: ReadonlySet<CampaignStatus> = new Set([...LIVE, 'DRAFT']);

export function CampaignsPage() {
  const session = useSession();
  const { key } = session;
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const reload = useCallback(() => {
    execute(key, ConsoleCampaignsDocument, { first: 50 })
      .then((data) => setCampaigns(data.campaigns.edges.map((edge) => edge.node)))
      .catch((err: Error) => setError(err.message));
  }, [key]);
  useEffect(reload, [reload]);
  if (error) return <p className="error">{error}</p>;
  if (!campaigns) return <p>Loading…</p>;
  return (
    <section className="campaigns">
      <h1>
        Campaigns{' '}
        {can(session, 'SEND') && !creating && (
          <button type="button" onClick={() => setCreating(true)}>
            New campaign
          </button>
        )}
      </h1>
      {creating && <NewCampaign onChanged={reload} onClose={() => setCreating(false)} />}
      {campaigns.length === 0 && (
        <p className="meta">No campaigns yet (createCampaign, or `npx herald campaign send`).</p>
      )}
      <ul className="campaign-list">
        {campaigns.map((campaign) => (
          <CampaignItem key={campaign.id} initial={campaign} />
        ))}
      </ul>
    </section>
  );
}

/** One campaign; while it can still move, its counters follow campaignProgress. */
function CampaignItem({ initial }: { initial: Campaign }) {
  const session = useSession();
  const { key, live } = session;
  const [campaign, setCampaign] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const watching = WATCHED.has(campaign.status);

  useEffect(() => {
    if (!watching) return;
    return subscribe(
      live,
      ConsoleCampaignProgressDocument,
      { id: initial.id },
      {
        next: ({ campaignProgress: p }) =>
          setCampaign((c) => ({
            ...c,
            status: p.status,
            startedAt: p.startedAt ?? null,
            completedAt: p.completedAt ?? null,
            counters: p.counters,
          })),
        error: (err) => setError(err.message),
      },
    );
  }, [live, initial.id, watching]);

  const act = async (action: 'start' | 'pause' | 'resume' | 'cancel') => {
    setError(null);
    const id = initial.id;
    const result =
      action === 'start'
        ? (await execute(key, ConsoleStartCampaignDocument, { id })).startCampaign
        : action === 'pause'
          ? (await execute(key, ConsolePauseCampaignDocument, { id })).pauseCampaign
          : action === 'resume'
            ? (await execute(key, ConsoleResumeCampaignDocument, { id })).resumeCampaign
            : (await execute(key, ConsoleCancelCampaignDocument, { id })).cancelCampaign;
    if (result.__typename === 'Campaign') setCampaign((c) => ({ ...c, status: result.status }));
    else setError(result.message);
  };

  const { counters } = campaign;
  const done = doneOf(counters);
  const percent = counters.total > 0 ? Math.floor((100 * done) / counters.total) : 0;
  const sends = can(session, 'SEND');
  return (
    <li className="campaign" data-campaign-id={campaign.campaignId}>
      <div className="campaign-head">
        <strong>{campaign.name}</strong>
        <span className="meta">
          {campaign.channel}, created {when(campaign.createdAt)}
        </span>
        <span className={`status c-${campaign.status}`} data-testid="campaign-status">
          {campaign.status}
        </span>
        {sends && campaign.status === 'DRAFT' && counters.total > 0 && (
          <button type="button" onClick={() => void act('start').catch((e: Error) => setError(e.message))}>
            Start
          </button>
        )}
        {sends && (campaign.status === 'RUNNING' || campaign.status === 'SCHEDULED') && (
          <button type="button" onClick={() => void act('pause').catch((e: Error) => setError(e.message))}>
            Pause
          </button>
        )}
        {sends && campaign.status === 'PAUSED' && (
          <button type="button" onClick={() => void act('resume').catch((e: Error) => setError(e.message))}>
            Resume
          </button>
        )}
        {sends && LIVE.has(campaign.status) && (
          <button type="button" onClick={() => void act('cancel').catch((e: Error) => setError(e.message))}>
            Cancel
          </button>
        )}
      </div>
      <progress max={100} value={percent} aria-label={`${campaign.name} progress`} data-percent={percent} />
      <span className="meta">
        {percent}% · {done} of {counters.total} handed over · {counters.delivered + counters.read} delivered ·{' '}
        {counters.read} read · {counters.failed + counters.undelivered} failed
        {counters.invalid > 0 ? ` · ${counters.invalid} invalid` : ''}
        {counters.suppressed > 0 ? ` · ${counters.suppressed} suppressed` : ''}
      </span>
      {error && <p className="error">{error}</p>}
    </li>
  );
}
