import { useState } from 'react';
import { execute } from '../api';
import { ConsoleSendEmailDocument, ConsoleSendSmsDocument } from '../gql/graphql';
import { navigate } from '../router';
import { useSession } from '../session';
import { type Outcome, tagsOf } from './send-common';
import { WhatsAppForm } from './WhatsAppForm';

type Channel = 'sms' | 'whatsapp' | 'email';
const LABEL: Record<Channel, string> = { sms: 'SMS', whatsapp: 'WhatsApp', email: 'Email' };

/** A test send per channel; once accepted, the message's page shows it moving live. */
export function SendPage() {
  const [channel, setChannel] = useState<Channel>('sms');
  const { error, busy, run } = useSend();
  return (
    <section className="send">
      <h1>Send a test</h1>
      <div className="tabs" role="tablist">
        {(['sms', 'whatsapp', 'email'] as const).map((c) => (
          <button
            key={c}
            type="button"
            role="tab"
            aria-selected={channel === c}
            className={channel === c ? 'active' : undefined}
            onClick={() => setChannel(c)}
          >
            {LABEL[c]}
          </button>
        ))}
      </div>
      {channel === 'sms' && <SmsForm run={run} busy={busy} />}
      {channel === 'whatsapp' && <WhatsAppForm run={run} busy={busy} />}
      {channel === 'email' && <EmailForm run={run} busy={busy} />}
      {error && <p className="error">{error}</p>}
    </section>
  );
}

function useSend() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = (send: () => Promise<Outcome>) => {
    setBusy(true);
    setError(null);
    send()
      .then((outcome) => {
        if (outcome.__typename === 'Message' && outcome.messageId)
          navigate(`/console/messages/${encodeURIComponent(outcome.messageId)}`);
        else setError(`${outcome.field ? `${outcome.field}: ` : ''}${outcome.message ?? 'refused'}`);
      })
      .catch((err: Error) => setError(err.message))
      .finally(() => setBusy(false));
  };
  return { error, busy, run };
}

type FormProps = { run(send: () => Promise<Outcome>): void; busy: boolean };

function SmsForm({ run, busy }: FormProps) {
  const { key } = useSession();
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [senderId, setSenderId] = useState('');
  const [tags, setTags] = useState('console-test');
  return (
    <form
      className="send-form"
      aria-label="Send an SMS"
      onSubmit={(event) => {
        event.preventDefault();
        run(async () => {
          const input = { to, text, senderId: senderId.trim() || undefined, tags: tagsOf(tags) };
          return (await execute(key, ConsoleSendSmsDocument, { input })).sendSms;
        });
      }}
    >
      <label>
        To
        <input name="to" required value={to} onChange={(e) => setTo(e.target.value)} placeholder="+919800000001" />
      </label>
      <label>
        Text
        <textarea name="text" required rows={4} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <label>
        Sender id (optional)
        <input name="senderId" value={senderId} onChange={(e) => setSenderId(e.target.value)} />
      </label>
      <label>
        Tags (comma separated)
        <input name="tags" value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
      <button type="submit" disabled={busy}>
        Send SMS
      </button>
    </form>
  );
}

function EmailForm({ run, busy }: FormProps) {
  const { key } = useSession();
  const [to, setTo] = useState('');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [tags, setTags] = useState('console-test');
  return (
    <form
      className="send-form"
      aria-label="Send an email"
      onSubmit={(event) => {
        event.preventDefault();
        run(async () => {
          const input = { to: [to.trim()], subject, text, tags: tagsOf(tags) };
          return (await execute(key, ConsoleSendEmailDocument, { input })).sendEmail;
        });
      }}
    >
      <label>
        To
        <input
          name="to"
          type="email"
          required
          value={to}
          onChange={(e) => setTo(e.target.value)}
          placeholder="someone@example.com"
        />
      </label>
      <label>
        Subject
        <input name="subject" required value={subject} onChange={(e) => setSubject(e.target.value)} />
      </label>
      <label>
        Text
        <textarea name="text" required rows={6} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <label>
        Tags (comma separated)
        <input name="tags" value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
      <button type="submit" disabled={busy}>
        Send email
      </button>
    </form>
  );
}
