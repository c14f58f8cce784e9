import { useState } from 'react';
import { execute, upload } from '../api';
import { type CsvPreview, guessMapping, previewCsv } from '../csv-preview';
import {
  type CampaignContentInput,
  Channel,
  ConsoleCreateCampaignDocument,
  ConsoleImportCampaignRecipientsDocument,
  type ConsoleImportCampaignRecipientsMutation,
  ConsoleStartCampaignDocument,
  ConsoleUploadCsvDocument,
} from '../gql/graphql';
import { useSession } from '../session';

type Imported = Extract<
  ConsoleImportCampaignRecipientsMutation['importCampaignRecipients'],
  { __typename: 'CampaignRecipientsImported' }
>;

type Content = { text: string; templateName: string; language: string; subject: string };

function contentOf(channel: Channel, c: Content): CampaignContentInput {
  if (channel === 'SMS') return { sms: { text: c.text } };
  if (channel === 'WHATSAPP') return { whatsApp: { templateName: c.templateName, language: c.language || 'en' } };
  return { email: { subject: c.subject, text: c.text } };
}

/** Herald takes a CSV upload by its .csv name (there are no magic bytes to recognise it by). */
const asCsv = (file: File): File =>
  /\.csv$/i.test(file.name) ? file : new File([file], `${file.name}.csv`, { type: 'text/csv' });

/**
 * A campaign from a CSV: the first rows are read here to map the columns, then the campaign is
 * created as a DRAFT, the file uploaded and imported; the invalid rows are shown before starting.
 */
export function NewCampaign({ onChanged, onClose }: { onChanged(): void; onClose(): void }) {
  const { key } = useSession();
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<Channel>('SMS');
  const [content, setContent] = useState<Content>({ text: '', templateName: '', language: 'en', subject: '' });
  const [rate, setRate] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [mapping, setMapping] = useState<string[]>([]);
  /** Created once: importing again (after fixing the mapping) adds to the same DRAFT. */
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const [imported, setImported] = useState<Imported | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const chooseFile = async (chosen: File | undefined) => {
    setError(null);
    setImported(null);
    setFile(chosen ?? null);
    setPreview(null);
    if (!chosen) return;
    try {
      const read = await previewCsv(chosen);
      if (read.header.length === 0) throw new Error('The file has no header row.');
      setPreview(read);
      setMapping(guessMapping(read.header));
    } catch (err) {
      setError(`This file cannot be read as CSV: ${(err as Error).message}`);
    }
  };

  const importFile = async () => {
    if (!file || !preview) return;
    setBusy(true);
    setError(null);
    try {
      let id = campaignId;
      if (!id) {
        const created = (
          await execute(key, ConsoleCreateCampaignDocument, {
            input: {
              name,
              channel,
              content: contentOf(channel, content),
              ...(rate ? { ratePerSecond: Number(rate) } : {}),
            },
          })
        ).createCampaign;
        if (created.__typename !== 'Campaign') throw new Error(`${created.field}: ${created.message}`);
        id = created.id;
        setCampaignId(id);
        onChanged();
      }
      const stored = (await upload(key, ConsoleUploadCsvDocument, { file: asCsv(file) })).uploadMedia;
      if (stored.__typename !== 'Media') throw new Error(stored.message);
      const columns = preview.header.flatMap((column, i) =>
        mapping[i] ? [{ column, field: mapping[i] === 'metadata' ? `metadata.${column}` : mapping[i] }] : [],
      );
      const result = (
        await execute(key, ConsoleImportCampaignRecipientsDocument, {
          campaignId: id,
          mediaId: stored.mediaId,
          mapping: columns,
        })
      ).importCampaignRecipients;
      if (result.__typename === 'ValidationError') throw new Error(`${result.field}: ${result.message}`);
      if (result.__typename !== 'CampaignRecipientsImported') throw new Error(result.message);
      setImported(result);
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const start = async () => {
    if (!campaignId) return;
    setBusy(true);
    setError(null);
    try {
      const started = (await execute(key, ConsoleStartCampaignDocument, { id: campaignId })).startCampaign;
      if (started.__typename === 'ValidationError') throw new Error(`${started.field}: ${started.message}`);
      if (started.__typename !== 'Campaign') throw new Error(started.message);
      onChanged();
      onClose();
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  const text = (field: keyof Content, label: string, long = false) => {
    const props = {
      value: content[field],
      'aria-label': label,
      required: true,
      disabled: campaignId !== null,
      onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
        setContent({ ...content, [field]: event.target.value }),
    };
    return long ? (
      <label>
        {label} <textarea rows={2} {...props} />
      </label>
    ) : (
      <label>
        {label} <input {...props} />
      </label>
    );
  };

  return (
    <form
      className="new-campaign"
      aria-label="New campaign"
      onSubmit={(event) => {
        event.preventDefault();
        void importFile();
      }}
    >
      <h2>New campaign from a CSV</h2>
      <div className="form-row">
        <label>
          Name{' '}
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            disabled={campaignId !== null}
            aria-label="Name"
          />
        </label>
        <label>
          Channel{' '}
          <select
            value={channel}
            onChange={(e) => setChannel(e.target.value as Channel)}
            disabled={campaignId !== null}
            aria-label="Campaign channel"
          >
            {Object.values(Channel).map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Messages per second{' '}
          <input
            type="number"
            min={1}
            max={10000}
            value={rate}
            placeholder="providers' limits"
            onChange={(e) => setRate(e.target.value)}
            disabled={campaignId !== null}
            aria-label="Messages per second"
          />
        </label>
      </div>
      <div className="form-row">
        {channel === 'SMS' && text('text', 'Text', true)}
        {channel === 'WHATSAPP' && (
          <>
            {text('templateName', 'Template name')}
            {text('language', 'Language')}
          </>
        )}
        {channel === 'EMAIL' && (
          <>
            {text('subject', 'Subject')}
            {text('text', 'Text', true)}
          </>
        )}
      </div>
      <p className="hint">
        Placeholders {'{{1}}'}, {'{{2}}'}… are filled from the columns mapped to params.
      </p>
      <label>
        CSV file (the first row names the columns){' '}
        <input type="file" accept=".csv,text/csv" onChange={(e) => void chooseFile(e.target.files?.[0])} />
      </label>
      {preview && <MappingPreview preview={preview} mapping={mapping} onMapping={setMapping} />}
      {error && <p className="error">{error}</p>}
      {imported && <ImportReport imported={imported} />}
      <div className="form-row">
        <button type="submit" disabled={busy || !preview}>
          {campaignId ? 'Import again' : 'Create and import'}
        </button>
        {imported && (
          <button type="button" disabled={busy || imported.accepted + imported.duplicates === 0} onClick={start}>
            Start campaign
          </button>
        )}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}

/** The header and first rows, with what each column fills. */
function MappingPreview({
  preview,
  mapping,
  onMapping,
}: {
  preview: CsvPreview;
  mapping: string[];
  onMapping(mapping: string[]): void;
}) {
  const params = preview.header.map((_, i) => `params.${i + 1}`);
  return (
    <div className="scroll-x">
      <table className="figures csv-preview" aria-label="Column mapping">
        <thead>
          <tr>
            {preview.header.map((column, i) => (
              <th key={column}>
                <div>{column}</div>
                <select
                  aria-label={`Column ${column}`}
                  value={mapping[i] ?? ''}
                  onChange={(e) => onMapping(mapping.map((m, j) => (j === i ? e.target.value : m)))}
                >
                  <option value="">(ignore)</option>
                  <option value="to">to</option>
                  <option value="externalRef">externalRef</option>
                  {params.map((p) => (
                    <option key={p}>{p}</option>
                  ))}
                  <option value="metadata">metadata.{column}</option>
                </select>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, r) => (
            // Rows of a file preview have no identity but their position.
            // biome-ignore lint/suspicious/noArrayIndexKey: a static preview, never reordered
            <tr key={r}>
              {preview.header.map((column, c) => (
                <td key={column}>{row[c] ?? ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ImportReport({ imported }: { imported: Imported }) {
  return (
    <div className="import-report">
      <p data-testid="import-summary">
        {imported.rows} rows read: {imported.accepted} added, {imported.duplicates} already there, {imported.suppressed}{' '}
        suppressed, {imported.invalidCount} invalid.
      </p>
      {imported.invalid.length > 0 && (
        <table className="figures" aria-label="Invalid rows">
          <thead>
            <tr>
              <th>Row</th>
              <th>Field</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {imported.invalid.map((invalid) => (
              <tr key={`${invalid.row}:${invalid.field}`}>
                <td>{invalid.row}</td>
                <td>{invalid.field}</td>
                <td>{invalid.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {imported.invalidCount > imported.invalid.length && (
        <p className="meta">The first {imported.invalid.length} invalid rows are shown.</p>
      )}
    </div>
  );
}
