import { useEffect, useState } from 'react';
import { execute, subscribe } from '../api';
import { fullTime, when } from '../format';
import { type ConsoleMessageQuery, ConsoleMessageDocument, ConsoleMessageStatusDocument } from '../gql/graphql';
import { navigate } from '../router';
import { useSession } from '../session';

type Message = NonNullable<ConsoleMessageQuery['message']>;

/** One message: its content, its history as it grows, and the callbacks of each change. */
export function MessagePage({ id }: { id: string }) {
  const { key, live } = useSession();
  const [message, setMessage] = useState<Message | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      execute(key, ConsoleMessageDocument, { id })
        .then((data) => current && setMessage(data.message ?? null))
        .catch((err: Error) => current && setError(err.message));
    // Each change reloads the page's data, at most every 250 ms (a burst of reports is one read).
    const reload = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        void load();
      }, 250);
    };
    void load();
    const stop = subscribe(live, ConsoleMessageStatusDocument, { id }, { next: reload, complete: reload });
    return () => {
      current = false;
      clearTimeout(timer);
      stop();
    };
  }, [key, live, id]);

  if (error) return <p className="error">{error}</p>;
  if (message === undefined) return <p>Loading…</p>;
  if (message === null) return <p>No message {id} in this tenant.</p>;
  return (
    <section className="message">
      <p>
        <a
          href="/console/messages"
          onClick={(event) => {
            event.preventDefault();
            navigate('/console/messages');
          }}
        >
          ← Messages
        </a>
      </p>
      <h1>
        {message.channel} to {message.to}{' '}
        <span className={`status s-${message.status}`} data-testid="message-status">
          {message.status}
        </span>
      </h1>
      <Details message={message} />
      <h2>Content</h2>
      <Content content={message.content} />
      <h2>Timeline</h2>
      <Timeline events={message.events} />
      <h2>Callbacks</h2>
      <Callbacks deliveries={message.callbackDeliveries} />
    </section>
  );
}

function Details({ message }: { message: Message }) {
  const rows: [string, React.ReactNode][] = [
    ['Message id', <code key="id">{message.messageId}</code>],
    ['Created', fullTime(message.createdAt)],
    ['Status since', fullTime(message.statusAt)],
    ['Provider', message.provider ?? '—'],
    ['Provider message id', message.providerMessageId ?? '—'],
    ['Attempts', message.attempts],
    ['Category', message.category ?? '—'],
    ['External ref', message.externalRef ?? '—'],
    ['Tags', message.tags.join(', ') || '—'],
  ];
  if (message.sendAt) rows.push(['Send at', fullTime(message.sendAt)]);
  if (message.validUntil) rows.push(['Valid until', fullTime(message.validUntil)]);
  if (message.nextAttemptAt) rows.push(['Next attempt', fullTime(message.nextAttemptAt)]);
  if (message.lastError)
    rows.push([
      'Last error',
      `${message.lastError.code}${message.lastError.message ? `: ${message.lastError.message}` : ''}${
        message.lastError.retryable ? ' (retryable)' : ''
      }`,
    ]);
  if (message.callbackUrl) rows.push(['Callback URL', message.callbackUrl]);
  if (message.metadata != null) rows.push(['Metadata', <pre key="m">{JSON.stringify(message.metadata, null, 2)}</pre>]);
  return (
    <dl className="details">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Content({ content }: { content: Message['content'] }) {
  switch (content.__typename) {
    case 'SmsContent':
      return (
        <div className="content">
          <pre className="body">{content.text}</pre>
          <p className="meta">
            {content.encoding}, {content.segments} segment{content.segments === 1 ? '' : 's'}
            {content.senderId ? `, from ${content.senderId}` : ''}
            {content.flash ? ', flash' : ''}
            {content.dltTemplateId ? `, DLT template ${content.dltTemplateId}` : ''}
          </p>
        </div>
      );
    case 'WhatsAppContent':
      return (
        <div className="content">
          <p>
            Template <strong>{content.templateName}</strong> ({content.language})
          </p>
          {content.params.length > 0 && (
            <ol className="params">
              {content.params.map((param, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: parameters are positional
                <li key={index}>{param}</li>
              ))}
            </ol>
          )}
          {content.mediaId && (
            <p className="meta">
              Header {content.mediaType.toLowerCase()}: <code>{content.mediaId}</code>
            </p>
          )}
        </div>
      );
    case 'EmailContent':
      return (
        <div className="content">
          <p>
            <strong>{content.subject}</strong>
            {content.from ? ` from ${content.from}` : ''} to {content.emailTo.join(', ')}
            {content.cc.length > 0 ? `, cc ${content.cc.join(', ')}` : ''}
          </p>
          {content.textBody && <pre className="body">{content.textBody}</pre>}
          {content.htmlBody && (
            <details>
              <summary>HTML body</summary>
              <pre className="body">{content.htmlBody}</pre>
            </details>
          )}
          {content.attachments.length > 0 && <p className="meta">Attachments: {content.attachments.join(', ')}</p>}
        </div>
      );
    default:
      return null;
  }
}

function Timeline({ events }: { events: Message['events'] }) {
  return (
    <ol className="timeline" aria-label="Timeline">
      {events.map((event) =>
        event.kind === 'status' ? (
          <li key={event.id} className="step" data-kind="status" data-status={event.status}>
            <span className="at">{when(event.occurredAt)}</span>
            <span>
              {event.previousStatus ? `${event.previousStatus} → ` : ''}
              <span className={`status s-${event.status}`}>{event.status}</span>
              {event.provider ? ` via ${event.provider}` : ''}
            </span>
            {event.errorCode && (
              <span className="error">
                {event.errorCode}
                {event.errorMessage ? `: ${event.errorMessage}` : ''}
              </span>
            )}
            <Payload payload={event.payload} />
          </li>
        ) : (
          <li key={event.id} className="report" data-kind={event.kind}>
            <span className="at">{when(event.occurredAt)}</span>
            <span>
              {event.provider ?? 'provider'} report{event.status ? `: ${event.status}` : ''}
              {event.reportedAt ? ` (provider time ${when(event.reportedAt)})` : ''}
            </span>
            {event.errorCode && (
              <span className="error">
                {event.errorCode}
                {event.errorMessage ? `: ${event.errorMessage}` : ''}
              </span>
            )}
            <Payload payload={event.payload} />
          </li>
        ),
      )}
    </ol>
  );
}

/** A status change's attempt (its number is the retry count) or a provider's report as received. */
function Payload({ payload }: { payload: unknown }) {
  if (payload === null || payload === undefined) return null;
  const attempt = (payload as { attempt?: unknown }).attempt;
  return (
    <details className="payload">
      <summary>{typeof attempt === 'number' ? `attempt ${attempt}` : 'payload'}</summary>
      <pre>{JSON.stringify(payload, null, 2)}</pre>
    </details>
  );
}

function Callbacks({ deliveries }: { deliveries: Message['callbackDeliveries'] }) {
  if (deliveries.length === 0) return <p className="meta">No callbacks: no webhook endpoint or callbackUrl matched.</p>;
  return (
    <ul className="callbacks">
      {deliveries.map((delivery) => (
        <li key={delivery.id}>
          <p>
            <span className={`status s-${delivery.eventStatus}`}>{delivery.eventStatus}</span> → {delivery.url}:{' '}
            <strong>{delivery.status}</strong> after {delivery.attemptCount} attempt
            {delivery.attemptCount === 1 ? '' : 's'}
            {delivery.nextAttemptAt ? `, next at ${when(delivery.nextAttemptAt)}` : ''}
          </p>
          {delivery.attempts.length > 0 && (
            <table className="attempts">
              <thead>
                <tr>
                  <th>#</th>
                  <th>At</th>
                  <th>HTTP</th>
                  <th>Latency</th>
                  <th>Error</th>
                </tr>
              </thead>
              <tbody>
                {delivery.attempts.map((attempt) => (
                  <tr key={attempt.number}>
                    <td>{attempt.number}</td>
                    <td>{when(attempt.at)}</td>
                    <td>{attempt.statusCode ?? '—'}</td>
                    <td>{attempt.latencyMs} ms</td>
                    <td>{attempt.error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <details>
            <summary>Payload</summary>
            <pre>{JSON.stringify(delivery.payload, null, 2)}</pre>
          </details>
        </li>
      ))}
    </ul>
  );
}
