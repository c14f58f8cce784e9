import { useCallback, useEffect, useState } from 'react';
import { execute, upload } from '../api';
import { when } from '../format';
import {
  ApiKeyScope,
  Channel,
  ConsoleApiKeysDocument,
  ConsoleConfigureProviderDocument,
  ConsoleTestProviderDocument,
  ConsoleCreateApiKeyDocument,
  ConsoleCreateTemplateDocument,
  ConsoleCreateWebhookEndpointDocument,
  ConsoleDeleteWebhookEndpointDocument,
  ConsoleDeliveryHealthDocument,
  ConsoleMediaLibraryDocument,
  ConsoleProvidersAndRoutesDocument,
  ConsoleRevokeApiKeyDocument,
  ConsoleSetRouteDocument,
  ConsoleTemplatePreviewDocument,
  ConsoleTemplatesDocument,
  ConsoleUploadMediaDocument,
  ConsoleWebhookEndpointsDocument,
  type ConsoleMediaLibraryQuery,
  type ConsoleTemplatesQuery,
  TemplateHeaderKind,
} from '../gql/graphql';
import { navigate } from '../router';
import { can, type Session, useSession } from '../session';

// Loaded on demand, like analytics: operators open these pages now and then.

type Section = { path: string; label: string; visible(session: Session): boolean; Page: () => React.ReactNode };

const SECTIONS: Section[] = [
  { path: 'media', label: 'Media', visible: (s) => can(s, 'READ'), Page: MediaSection },
  { path: 'templates', label: 'Templates', visible: (s) => can(s, 'READ'), Page: TemplatesSection },
  { path: 'webhooks', label: 'Webhooks', visible: (s) => can(s, 'READ'), Page: WebhooksSection },
  { path: 'providers', label: 'Providers and routes', visible: (s) => can(s, 'ADMIN'), Page: ProvidersSection },
  { path: 'keys', label: 'API keys', visible: (s) => can(s, 'ADMIN'), Page: ApiKeysSection },
  { path: 'queue', label: 'Queue health', visible: (s) => can(s, 'READ'), Page: QueueSection },
];

export function SetupPage({ section }: { section: string | undefined }) {
  const session = useSession();
  const offered = SECTIONS.filter((s) => s.visible(session));
  const current = offered.find((s) => s.path === section) ?? offered[0];
  return (
    <section className="setup">
      <h1>Setup</h1>
      <nav className="tabs" aria-label="Setup pages">
        {offered.map((s) => (
          <a
            key={s.path}
            href={`/console/setup/${s.path}`}
            aria-current={s === current ? 'page' : undefined}
            className={s === current ? 'active' : undefined}
            onClick={(event) => {
              if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
              event.preventDefault();
              navigate(`/console/setup/${s.path}`);
            }}
          >
            {s.label}
          </a>
        ))}
      </nav>
      {current ? <current.Page key={current.path} /> : <p>Nothing to set up with this key.</p>}
    </section>
  );
}

/** A query's answer, its error, and a way to read it again after a change. */
function useQuery<R>(load: (key: string) => Promise<R>): { data: R | null; error: string | null; reload(): void } {
  const { key } = useSession();
  const [data, setData] = useState<R | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    load(key)
      .then((answer) => {
        setData(answer);
        setError(null);
      })
      .catch((err: Error) => setError(err.message));
  }, [key, load]);
  useEffect(reload, [reload]);
  return { data, error, reload };
}

/** A refused input, named by its field when the answer says which. */
const refusal = (r: { message: string; field?: string }): string => (r.field ? `${r.field}: ${r.message}` : r.message);

// --- media ---------------------------------------------------------------------------------------

type MediaNode = ConsoleMediaLibraryQuery['mediaList']['edges'][number]['node'];
const loadMedia = (key: string) => execute(key, ConsoleMediaLibraryDocument, { first: 50 });

function MediaSection() {
  const session = useSession();
  const { data, error, reload } = useQuery(loadMedia);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const media = data?.mediaList.edges.map((edge) => edge.node) ?? [];

  const uploadFile = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const result = (await upload(session.key, ConsoleUploadMediaDocument, { file })).uploadMedia;
      if (result.__typename !== 'Media') setProblem(result.message);
      reload();
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      {can(session, 'SEND') && (
        <label className="inline-field">
          Upload a file <input type="file" disabled={busy} onChange={(e) => void uploadFile(e.target.files?.[0])} />
        </label>
      )}
      {(problem || error) && <p className="error">{problem ?? error}</p>}
      {data && media.length === 0 && <p className="meta">No media yet.</p>}
      <ul className="media-grid" aria-label="Media library">
        {media.map((m) => (
          <MediaCard key={m.id} media={m} />
        ))}
      </ul>
    </div>
  );
}

/** Images are shown: fetched with the key (an <img> cannot send it) and shown from a blob URL. */
function MediaCard({ media }: { media: MediaNode }) {
  const { key } = useSession();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    if (media.kind !== 'IMAGE' && media.kind !== 'STICKER') return;
    let url: string | null = null;
    let current = true;
    fetch(media.downloadPath, { headers: { authorization: `Bearer ${key}` } })
      .then((res) => (res.ok ? res.blob() : null))
      .then((blob) => {
        if (!blob || !current) return;
        url = URL.createObjectURL(blob);
        setSrc(url);
      })
      .catch(() => undefined);
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [key, media.downloadPath, media.kind]);
  return (
    <li className="media-card" data-media-id={media.mediaId}>
      <div className="media-thumb">{src ? <img src={src} alt={media.filename ?? media.mediaId} /> : media.kind}</div>
      <strong>{media.filename ?? media.mediaId}</strong>
      <span className="meta">
        {media.mimeType}, {Math.max(1, Math.round(media.sizeBytes / 1024))} KB
      </span>
      <code>{media.mediaId}</code>
    </li>
  );
}

// --- templates -----------------------------------------------------------------------------------

type TemplateNode = ConsoleTemplatesQuery['templates'][number];
const loadTemplates = (key: string) => execute(key, ConsoleTemplatesDocument);

function TemplatesSection() {
  const session = useSession();
  const { data, error, reload } = useQuery(loadTemplates);
  const [previewing, setPreviewing] = useState<TemplateNode | null>(null);
  return (
    <div>
      {can(session, 'ADMIN') && <NewTemplate onCreated={reload} />}
      {error && <p className="error">{error}</p>}
      <table className="figures setup-table" aria-label="Templates">
        <thead>
          <tr>
            <th>Name</th>
            <th>Language</th>
            <th>Channel</th>
            <th>Status</th>
            <th>Header</th>
            <th>Params</th>
            <th>Body</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data?.templates.map((t) => (
            <tr key={t.id} data-template={t.name}>
              <th scope="row">{t.name}</th>
              <td>{t.language}</td>
              <td>{t.channel}</td>
              <td>{t.status}</td>
              <td>{t.headerKind}</td>
              <td>{t.paramCount}</td>
              <td className="body-cell">{t.subject ? `${t.subject}: ${t.body}` : t.body}</td>
              <td>
                <button type="button" onClick={() => setPreviewing(t)}>
                  Preview
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {previewing && <TemplatePreview key={previewing.id} template={previewing} />}
    </div>
  );
}

function NewTemplate({ onCreated }: { onCreated(): void }) {
  const { key } = useSession();
  const [form, setForm] = useState({
    name: '',
    language: 'en',
    channel: 'WHATSAPP',
    headerKind: 'NONE',
    subject: '',
    body: '',
  });
  const [problem, setProblem] = useState<string | null>(null);
  const set =
    (name: keyof typeof form) =>
    (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
      setForm({ ...form, [name]: event.target.value });
  const submit = async () => {
    setProblem(null);
    const channel = form.channel as Channel;
    const result = (
      await execute(key, ConsoleCreateTemplateDocument, {
        input: {
          name: form.name,
          language: form.language,
          channel,
          body: form.body,
          ...(channel === 'WHATSAPP' ? { headerKind: form.headerKind as TemplateHeaderKind } : {}),
          ...(channel === 'EMAIL' ? { subject: form.subject } : {}),
        },
      })
    ).createTemplate;
    if (result.__typename !== 'Template') return setProblem(refusal(result));
    setForm({ ...form, name: '', body: '', subject: '' });
    onCreated();
  };
  return (
    <form
      className="setup-form"
      aria-label="New template"
      onSubmit={(event) => {
        event.preventDefault();
        void submit().catch((err: Error) => setProblem(err.message));
      }}
    >
      <input value={form.name} onChange={set('name')} placeholder="name" aria-label="Template name" required />
      <input value={form.language} onChange={set('language')} aria-label="Language" required />
      <select value={form.channel} onChange={set('channel')} aria-label="Template channel">
        {Object.values(Channel).map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
      {form.channel === 'WHATSAPP' && (
        <select value={form.headerKind} onChange={set('headerKind')} aria-label="Header">
          {Object.values(TemplateHeaderKind).map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      )}
      {form.channel === 'EMAIL' && (
        <input value={form.subject} onChange={set('subject')} placeholder="subject" aria-label="Subject" required />
      )}
      <textarea value={form.body} onChange={set('body')} placeholder="Hi {{1}}…" aria-label="Body" rows={2} required />
      <button type="submit">Create template</button>
      {problem && <p className="error">{problem}</p>}
    </form>
  );
}

/** previewTemplate with the parameters typed in. */
function TemplatePreview({ template }: { template: TemplateNode }) {
  const { key } = useSession();
  const [params, setParams] = useState<string[]>(() => Array.from({ length: template.paramCount }, () => ''));
  const [shown, setShown] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    execute(key, ConsoleTemplatePreviewDocument, {
      channel: template.channel,
      name: template.name,
      language: template.language,
      params,
    })
      .then(({ previewTemplate: p }) => {
        if (!current) return;
        if (p.__typename === 'TemplatePreview')
          setShown([p.subject, p.headerText, p.text].filter((part) => part != null && part !== '').join('\n'));
        else setShown(refusal(p));
      })
      .catch((err: Error) => current && setShown(err.message));
    return () => {
      current = false;
    };
  }, [key, template, params]);
  return (
    <section className="preview-box" aria-label={`Preview of ${template.name}`}>
      <h2>
        Preview of {template.name} ({template.language})
      </h2>
      <div className="form-row">
        {params.map((value, i) => (
          <input
            // Parameters are positional: {{1}}, {{2}}…
            // biome-ignore lint/suspicious/noArrayIndexKey: the position is the parameter's identity
            key={i}
            value={value}
            aria-label={`Preview parameter {{${i + 1}}}`}
            placeholder={`{{${i + 1}}}`}
            onChange={(e) => setParams(params.map((p, j) => (j === i ? e.target.value : p)))}
          />
        ))}
      </div>
      <pre data-testid="template-preview">{shown}</pre>
    </section>
  );
}

// --- webhooks ------------------------------------------------------------------------------------

const loadWebhooks = (key: string) => execute(key, ConsoleWebhookEndpointsDocument);

function WebhooksSection() {
  const session = useSession();
  const { data, error, reload } = useQuery(loadWebhooks);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const create = async () => {
    setProblem(null);
    const r = (await execute(session.key, ConsoleCreateWebhookEndpointDocument, { input: { url } }))
      .createWebhookEndpoint;
    if (r.__typename !== 'CreatedWebhookEndpoint') return setProblem(refusal(r));
    setSecret(r.secret);
    setUrl('');
    reload();
  };
  const remove = async (id: string) => {
    const r = (await execute(session.key, ConsoleDeleteWebhookEndpointDocument, { id })).deleteWebhookEndpoint;
    if (r.__typename === 'NotFoundError') setProblem(r.message);
    reload();
  };
  const admin = can(session, 'ADMIN');
  return (
    <div>
      {admin && (
        <form
          className="setup-form"
          aria-label="New webhook endpoint"
          onSubmit={(event) => {
            event.preventDefault();
            void create().catch((err: Error) => setProblem(err.message));
          }}
        >
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://crm.example.com/herald"
            aria-label="Endpoint URL"
            required
          />
          <button type="submit">Add endpoint</button>
        </form>
      )}
      {secret && (
        <p className="once" data-testid="webhook-secret">
          Signing secret, shown this once: <code>{secret}</code>
        </p>
      )}
      {(problem || error) && <p className="error">{problem ?? error}</p>}
      {data && data.webhookEndpoints.length === 0 && <p className="meta">No webhook endpoints.</p>}
      <ul className="endpoint-list" aria-label="Webhook endpoints">
        {data?.webhookEndpoints.map((e) => (
          <li key={e.id} data-url={e.url}>
            <div className="campaign-head">
              <strong>{e.url}</strong>
              <span className="meta">
                {e.enabled ? 'enabled' : 'disabled'} · {e.events.length ? e.events.join(', ') : 'every status'}
              </span>
              {admin && (
                <button type="button" onClick={() => void remove(e.id).catch((err: Error) => setProblem(err.message))}>
                  Delete
                </button>
              )}
            </div>
            {e.deliveries.length === 0 ? (
              <p className="meta">No deliveries yet.</p>
            ) : (
              <table className="figures setup-table" aria-label={`Recent deliveries to ${e.url}`}>
                <thead>
                  <tr>
                    <th>Created</th>
                    <th>Message</th>
                    <th>Event</th>
                    <th>Status</th>
                    <th>Attempts</th>
                    <th>Last answer</th>
                  </tr>
                </thead>
                <tbody>
                  {e.deliveries.map((d) => (
                    <tr key={d.id}>
                      <td>{when(d.createdAt)}</td>
                      <td>
                        {d.messageId ? (
                          <a href={`/console/messages/${encodeURIComponent(d.messageId)}`}>{d.messageId}</a>
                        ) : (
                          'template'
                        )}
                      </td>
                      <td>{d.eventStatus ?? 'template change'}</td>
                      <td>{d.status}</td>
                      <td>{d.attemptCount}</td>
                      <td>{d.lastStatusCode ?? d.lastError ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

// --- providers and routes -----------------------------------------------------------------------

const loadProviders = (key: string) => execute(key, ConsoleProvidersAndRoutesDocument);
const PROVIDER_KINDS = ['sandbox', 'twilio', 'whatsapp-cloud', 'smsmedia', 'smtp'];

/** Text typed as JSON, or why it is not an object. */
function jsonObject(text: string, field: string): Record<string, unknown> | string {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // refused below
  }
  return `${field} must be a JSON object`;
}

function ProvidersSection() {
  const { key } = useSession();
  const { data, error, reload } = useQuery(loadProviders);
  const [form, setForm] = useState({ name: '', kind: 'sandbox', settings: '{}', secrets: '' });
  const [route, setRoute] = useState({ channel: 'SMS', provider: '' });
  const [problem, setProblem] = useState<string | null>(null);
  // The last credential check of each provider this page ran (saving runs one): not stored by Herald.
  const [checks, setChecks] = useState<Record<string, { result: string; message: string }>>({});
  const test = async (name: string) => {
    setProblem(null);
    const r = (await execute(key, ConsoleTestProviderDocument, { name })).testProvider;
    if (r.__typename !== 'CredentialCheck') return setProblem(r.message);
    setChecks((c) => ({ ...c, [name]: { result: r.result, message: r.message } }));
  };
  const configure = async () => {
    setProblem(null);
    const settings = jsonObject(form.settings, 'settings');
    const secrets = jsonObject(form.secrets, 'secrets');
    if (typeof settings === 'string') return setProblem(settings);
    if (typeof secrets === 'string') return setProblem(secrets);
    const r = (
      await execute(key, ConsoleConfigureProviderDocument, {
        // Secrets are sent only when typed: an update without them keeps the stored ones.
        input: { name: form.name, kind: form.kind, settings, ...(form.secrets.trim() ? { secrets } : {}) },
      })
    ).configureProvider;
    if (r.__typename !== 'ProviderConfig') return setProblem(refusal(r));
    // Saved whatever the check says; the table shows what the provider answered.
    const checked = r.credentialCheck;
    if (checked) setChecks((c) => ({ ...c, [r.name]: { result: checked.result, message: checked.message } }));
    setForm({ ...form, secrets: '' });
    reload();
  };
  const saveRoute = async () => {
    setProblem(null);
    const r = (
      await execute(key, ConsoleSetRouteDocument, {
        input: { channel: route.channel as Channel, provider: route.provider },
      })
    ).setRoute;
    if (r.__typename !== 'Route') return setProblem(refusal(r));
    reload();
  };
  return (
    <div>
      <form
        className="setup-form"
        aria-label="Configure a provider"
        onSubmit={(event) => {
          event.preventDefault();
          void configure().catch((err: Error) => setProblem(err.message));
        }}
      >
        <input
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          placeholder="name"
          aria-label="Provider name"
          required
        />
        <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })} aria-label="Kind">
          {PROVIDER_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        <textarea
          value={form.settings}
          onChange={(e) => setForm({ ...form, settings: e.target.value })}
          aria-label="Settings (JSON)"
          placeholder="settings (JSON)"
          rows={2}
        />
        <textarea
          value={form.secrets}
          onChange={(e) => setForm({ ...form, secrets: e.target.value })}
          aria-label="Secrets (JSON, write-only)"
          placeholder='{"authToken": "…"} (never shown again)'
          rows={2}
        />
        <button type="submit">Save provider</button>
      </form>
      {(problem || error) && <p className="error">{problem ?? error}</p>}
      <table className="figures setup-table" aria-label="Providers">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Enabled</th>
            <th>Secrets</th>
            <th>Settings</th>
            <th>Webhook path</th>
            <th>Credentials</th>
          </tr>
        </thead>
        <tbody>
          {data?.providers.map((p) => (
            <tr key={p.name} data-provider={p.name}>
              <th scope="row">{p.name}</th>
              <td>{p.kind}</td>
              <td>{p.enabled ? 'yes' : 'no'}</td>
              <td>{p.hasSecrets ? 'stored (write-only)' : 'none'}</td>
              <td>
                <code>{JSON.stringify(p.settings)}</code>
              </td>
              <td>
                <code>{p.webhookPath}</code>
              </td>
              <td data-credential-check={checks[p.name]?.result}>
                {checks[p.name] && (
                  <span title={checks[p.name]!.message}>
                    {checks[p.name]!.result}: {checks[p.name]!.message}{' '}
                  </span>
                )}
                <button type="button" onClick={() => void test(p.name).catch((err: Error) => setProblem(err.message))}>
                  Test
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Routes</h2>
      <form
        className="setup-form"
        aria-label="Set a route"
        onSubmit={(event) => {
          event.preventDefault();
          void saveRoute().catch((err: Error) => setProblem(err.message));
        }}
      >
        <select
          value={route.channel}
          onChange={(e) => setRoute({ ...route, channel: e.target.value })}
          aria-label="Route channel"
        >
          {Object.values(Channel).map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <select
          value={route.provider}
          onChange={(e) => setRoute({ ...route, provider: e.target.value })}
          aria-label="Route provider"
          required
        >
          <option value="">provider…</option>
          {data?.providers.map((p) => (
            <option key={p.name}>{p.name}</option>
          ))}
        </select>
        <button type="submit">Set route</button>
      </form>
      <table className="figures setup-table" aria-label="Routes">
        <thead>
          <tr>
            <th>Channel</th>
            <th>Provider</th>
            <th>Fallback</th>
          </tr>
        </thead>
        <tbody>
          {data?.routes.map((r) => (
            <tr key={r.channel} data-channel={r.channel}>
              <th scope="row">{r.channel}</th>
              <td>{r.provider}</td>
              <td>{[r.fallbackChannel, r.fallbackProvider].filter(Boolean).join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="meta">Channels without a route use the installation default (HERALD_ROUTE_&lt;CHANNEL&gt;).</p>
    </div>
  );
}

// --- API keys ------------------------------------------------------------------------------------

const loadKeys = (key: string) => execute(key, ConsoleApiKeysDocument);

function ApiKeysSection() {
  const { key } = useSession();
  const { data, error, reload } = useQuery(loadKeys);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['READ']);
  const [issued, setIssued] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const create = async () => {
    setProblem(null);
    const r = (await execute(key, ConsoleCreateApiKeyDocument, { input: { name, scopes } })).createApiKey;
    if (r.__typename !== 'IssuedApiKey') return setProblem(refusal(r));
    setIssued(r.key);
    setName('');
    reload();
  };
  const revoke = async (id: string) => {
    const r = (await execute(key, ConsoleRevokeApiKeyDocument, { id })).revokeApiKey;
    if (r.__typename === 'NotFoundError') setProblem(r.message);
    reload();
  };
  return (
    <div>
      <form
        className="setup-form"
        aria-label="New API key"
        onSubmit={(event) => {
          event.preventDefault();
          void create().catch((err: Error) => setProblem(err.message));
        }}
      >
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="name"
          aria-label="Key name"
          required
        />
        {Object.values(ApiKeyScope).map((scope) => (
          <label key={scope} className="inline-field">
            <input
              type="checkbox"
              checked={scopes.includes(scope)}
              onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
            />{' '}
            {scope}
          </label>
        ))}
        <button type="submit">Create key</button>
      </form>
      {issued && (
        <p className="once" data-testid="issued-key">
          The new key, shown this once: <code>{issued}</code>
        </p>
      )}
      {(problem || error) && <p className="error">{problem ?? error}</p>}
      <table className="figures setup-table" aria-label="API keys">
        <thead>
          <tr>
            <th>Name</th>
            <th>Prefix</th>
            <th>Scopes</th>
            <th>Created</th>
            <th>Last used</th>
            <th>Revoked</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data?.apiKeys.map((k) => (
            <tr key={k.id} data-key-name={k.name}>
              <th scope="row">{k.name}</th>
              <td>
                <code>{k.prefix}</code>
              </td>
              <td>{k.scopes.join(', ')}</td>
              <td>{when(k.createdAt)}</td>
              <td>{when(k.lastUsedAt)}</td>
              <td data-testid="revoked">{k.revokedAt ? when(k.revokedAt) : ''}</td>
              <td>
                {!k.revokedAt && (
                  <button
                    type="button"
                    onClick={() => void revoke(k.id).catch((err: Error) => setProblem(err.message))}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// --- queue health --------------------------------------------------------------------------------

const loadHealth = (key: string) => execute(key, ConsoleDeliveryHealthDocument);

function QueueSection() {
  const { data, error, reload } = useQuery(loadHealth);
  // The queue moves: read again every few seconds while the page is open.
  useEffect(() => {
    const timer = setInterval(reload, 5000);
    return () => clearInterval(timer);
  }, [reload]);
  const h = data?.deliveryHealth;
  return (
    <div>
      {error && <p className="error">{error}</p>}
      {h && (
        <>
          <dl className="summary" aria-label="Queue">
            {(
              [
                ['Queued', h.queued, 'queued'],
                ['Scheduled', h.scheduled, 'scheduled'],
                ['Sending', h.sending, 'sending'],
                ['Stuck sending', h.stuckSending, 'stuckSending'],
                ['Stuck sent', h.stuckSent, 'stuckSent'],
              ] as const
            ).map(([label, value, name]) => (
              <div key={name}>
                <dt>{label}</dt>
                <dd data-figure={name}>{value}</dd>
              </div>
            ))}
          </dl>
          <p className="meta">
            {h.oldestDueAt
              ? `The longest-waiting message has been due since ${when(h.oldestDueAt)}.`
              : 'Nothing is waiting.'}
          </p>
          {h.stuckMessages.length > 0 && (
            <table className="figures setup-table" aria-label="Stuck messages">
              <thead>
                <tr>
                  <th>Message</th>
                  <th>Channel</th>
                  <th>To</th>
                  <th>Status</th>
                  <th>Since</th>
                </tr>
              </thead>
              <tbody>
                {h.stuckMessages.map((m) => (
                  <tr key={m.messageId}>
                    <td>
                      <a href={`/console/messages/${encodeURIComponent(m.messageId)}`}>{m.messageId}</a>
                    </td>
                    <td>{m.channel}</td>
                    <td>{m.to}</td>
                    <td>{m.status}</td>
                    <td>{when(m.statusAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
