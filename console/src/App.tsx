import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { createLiveClient, execute, type LiveState } from './api';
import { ConsoleViewerDocument, type ApiKeyScope } from './gql/graphql';
import { CampaignsPage } from './pages/CampaignsPage';
import { MessagePage } from './pages/MessagePage';
import { MessagesPage } from './pages/MessagesPage';
import { SendPage } from './pages/SendPage';
import { SignIn } from './pages/SignIn';
import { navigate, routeOf, usePath } from './router';
import { can, forgetKey, type Session, SessionContext, storedKey, storeKey } from './session';

// Analytics brings uPlot: loaded when first opened, so the first load stays small.
const AnalyticsPage = lazy(() => import('./pages/AnalyticsPage').then((module) => ({ default: module.AnalyticsPage })));

const SetupPage = lazy(() => import('./pages/SetupPage').then((module) => ({ default: module.SetupPage })));

type Identity = { key: string; scopes: ApiKeyScope[]; tenantName: string };

export function App() {
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [checking, setChecking] = useState(() => storedKey() !== null);

  const signIn = useCallback(async (key: string) => {
    const { viewer } = await execute(key, ConsoleViewerDocument);
    storeKey(key);
    setIdentity({ key, scopes: viewer.scopes, tenantName: viewer.tenant.name });
  }, []);

  // A key kept in this tab's session is checked again on reload (it may have been revoked).
  useEffect(() => {
    const key = storedKey();
    if (!key) return;
    signIn(key)
      .catch(() => forgetKey())
      .finally(() => setChecking(false));
  }, [signIn]);

  if (checking) return <p className="page">Checking the saved key…</p>;
  if (!identity) return <SignIn onSignIn={signIn} />;
  return (
    <SignedIn
      identity={identity}
      onSignOut={() => {
        forgetKey();
        setIdentity(null);
      }}
    />
  );
}

function SignedIn({ identity, onSignOut }: { identity: Identity; onSignOut(): void }) {
  const [liveState, setLiveState] = useState<LiveState>('connecting');
  const live = useMemo(() => createLiveClient(identity.key, setLiveState), [identity.key]);
  useEffect(() => () => void live.dispose(), [live]);
  const session: Session = useMemo(() => ({ ...identity, live, signOut: onSignOut }), [identity, live, onSignOut]);
  const [page, id] = routeOf(usePath());
  const readable = can(session, 'READ');
  const sends = can(session, 'SEND');
  const admin = can(session, 'ADMIN');

  let content: React.ReactNode;
  if (page === 'messages' && id && readable) content = <MessagePage id={id} />;
  else if (page === 'send' && sends) content = <SendPage />;
  else if (page === 'campaigns' && readable) content = <CampaignsPage />;
  else if (page === 'analytics' && readable)
    content = (
      <Suspense fallback={<p>Loading…</p>}>
        <AnalyticsPage />
      </Suspense>
    );
  else if (page === 'setup' && (readable || admin))
    content = (
      <Suspense fallback={<p>Loading…</p>}>
        <SetupPage section={id} />
      </Suspense>
    );
  else if ((page === undefined || page === 'messages') && readable) content = <MessagesPage />;
  else if (page === undefined && sends) content = <SendPage />;
  else content = <NotAllowed scopes={identity.scopes} />;

  return (
    <SessionContext.Provider value={session}>
      <header className="top">
        <strong className="brand">Herald</strong>
        <nav>
          {readable && <NavLink to="/console/messages" label="Messages" active={page === 'messages'} />}
          {readable && <NavLink to="/console/campaigns" label="Campaigns" active={page === 'campaigns'} />}
          {readable && <NavLink to="/console/analytics" label="Analytics" active={page === 'analytics'} />}
          {(readable || admin) && <NavLink to="/console/setup" label="Setup" active={page === 'setup'} />}
          {sends && <NavLink to="/console/send" label="Send a test" active={page === 'send'} />}
          <a href="/graphql" target="_blank" rel="noreferrer">
            GraphiQL
          </a>
        </nav>
        <span className="who">
          <span className={`live-dot ${liveState}`} title={`live updates: ${liveState}`} />
          <span data-testid="tenant">{identity.tenantName}</span>
          <span className="scopes">{identity.scopes.join(' · ')}</span>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </span>
      </header>
      <main className="page">{content}</main>
    </SessionContext.Provider>
  );
}

function NavLink({ to, label, active }: { to: string; label: string; active: boolean }) {
  return (
    <a
      href={to}
      className={active ? 'active' : undefined}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {label}
    </a>
  );
}

function NotAllowed({ scopes }: { scopes: ApiKeyScope[] }) {
  return (
    <section>
      <h1>Nothing here for this key</h1>
      <p>
        This key has the scopes {scopes.join(', ')}. Messages, analytics and setup need a READ key, sending a test needs
        SEND; an ADMIN key manages API keys and providers.
      </p>
    </section>
  );
}
