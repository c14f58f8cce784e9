import { useEffect, useState } from 'react';
import { execute, upload } from '../api';
import {
  ConsoleMediaListDocument,
  type ConsoleMediaListQuery,
  ConsolePreviewTemplateDocument,
  ConsoleSendWhatsAppDocument,
  ConsoleUploadMediaDocument,
  ConsoleWhatsAppTemplatesDocument,
  type ConsoleWhatsAppTemplatesQuery,
  type MediaType,
} from '../gql/graphql';
import { can, useSession } from '../session';
import { type Outcome, tagsOf } from './send-common';

type Template = ConsoleWhatsAppTemplatesQuery['templates'][number];
type Media = ConsoleMediaListQuery['mediaList']['edges'][number]['node'];

/** Header kinds that take a media file, as sendWhatsApp's mediaType. */
const MEDIA_HEADER: Partial<Record<Template['headerKind'], MediaType>> = {
  IMAGE: 'IMAGE',
  VIDEO: 'VIDEO',
  DOCUMENT: 'DOCUMENT',
};

/**
 * A WhatsApp template send: the template's parameters, its header media from the media library
 * (or uploaded here), and the text as previewTemplate renders it.
 */
export function WhatsAppForm({ run, busy }: { run(send: () => Promise<Outcome>): void; busy: boolean }) {
  const session = useSession();
  const { key } = session;
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [media, setMedia] = useState<Media[]>([]);
  const [name, setName] = useState('');
  const [to, setTo] = useState('');
  const [params, setParams] = useState<string[]>([]);
  const [mediaId, setMediaId] = useState('');
  const [tags, setTags] = useState('console-test');
  const [preview, setPreview] = useState<{ text?: string; header?: string | null; problem?: string } | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const readable = can(session, 'READ');

  useEffect(() => {
    if (!readable) return setTemplates([]);
    execute(key, ConsoleWhatsAppTemplatesDocument)
      .then((data) => setTemplates(data.templates))
      .catch(() => setTemplates([]));
    execute(key, ConsoleMediaListDocument, { first: 100 })
      .then((data) => setMedia(data.mediaList.edges.map((edge) => edge.node)))
      .catch(() => setMedia([]));
  }, [key, readable]);

  const template = templates?.find((t) => `${t.name}|${t.language}` === name);
  const count = template?.paramCount ?? params.length;
  const mediaType = template ? MEDIA_HEADER[template.headerKind] : undefined;

  // The preview follows the parameters as they are typed (a quarter second after the last key).
  useEffect(() => {
    if (!template || !readable) return setPreview(null);
    const timer = setTimeout(() => {
      execute(key, ConsolePreviewTemplateDocument, { name: template.name, language: template.language, params })
        .then(({ previewTemplate: p }) =>
          setPreview(
            p.__typename === 'TemplatePreview' ? { text: p.text, header: p.headerText } : { problem: p.message },
          ),
        )
        .catch((err: Error) => setPreview({ problem: err.message }));
    }, 250);
    return () => clearTimeout(timer);
  }, [key, template, params, readable]);

  const choose = (value: string) => {
    setName(value);
    const chosen = templates?.find((t) => `${t.name}|${t.language}` === value);
    setParams(Array.from({ length: chosen?.paramCount ?? 0 }, () => ''));
    setMediaId('');
  };

  const onUpload = async (file: File | undefined) => {
    if (!file) return;
    setUploadError(null);
    try {
      const { uploadMedia } = await upload(key, ConsoleUploadMediaDocument, { file });
      if (uploadMedia.__typename !== 'Media') return setUploadError(uploadMedia.message);
      const stored = uploadMedia;
      setMedia((list) => [
        {
          mediaId: stored.mediaId,
          kind: stored.kind,
          filename: stored.filename ?? null,
          mimeType: '',
          sizeBytes: file.size,
          downloadPath: '',
          __typename: 'Media',
        },
        ...list.filter((m) => m.mediaId !== stored.mediaId),
      ]);
      setMediaId(stored.mediaId);
    } catch (err) {
      setUploadError((err as Error).message);
    }
  };

  if (templates === null) return <p>Loading templates…</p>;
  return (
    <form
      className="send-form"
      aria-label="Send a WhatsApp template"
      onSubmit={(event) => {
        event.preventDefault();
        if (!template) return;
        run(async () => {
          const input = {
            to,
            templateName: template.name,
            language: template.language,
            params: params.slice(0, count),
            tags: tagsOf(tags),
            ...(mediaType && mediaId ? { mediaId, mediaType } : {}),
          };
          return (await execute(key, ConsoleSendWhatsAppDocument, { input })).sendWhatsApp;
        });
      }}
    >
      <label>
        To
        <input name="to" required value={to} onChange={(e) => setTo(e.target.value)} placeholder="+919800000001" />
      </label>
      <label>
        Template
        <select name="template" required value={name} onChange={(e) => choose(e.target.value)}>
          <option value="">choose a template</option>
          {templates.map((t) => (
            <option key={t.id} value={`${t.name}|${t.language}`}>
              {t.name} ({t.language}){t.headerKind !== 'NONE' ? `, ${t.headerKind.toLowerCase()} header` : ''}
            </option>
          ))}
        </select>
      </label>
      {templates.length === 0 && (
        <p className="meta">No WhatsApp templates are registered for this tenant (createTemplate in GraphiQL).</p>
      )}
      {params.map((value, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: parameters are positional ({{1}}, {{2}}, …)
        <label key={index}>
          {`Parameter {{${index + 1}}}`}
          <input
            name={`param${index + 1}`}
            required
            value={value}
            onChange={(e) => setParams(params.map((p, i) => (i === index ? e.target.value : p)))}
          />
        </label>
      ))}
      {mediaType && (
        <fieldset className="media-pick">
          <legend>Header {mediaType.toLowerCase()}</legend>
          <select name="media" required value={mediaId} onChange={(e) => setMediaId(e.target.value)}>
            <option value="">choose from the media library</option>
            {media
              .filter((m) => m.kind === mediaType)
              .map((m) => (
                <option key={m.mediaId} value={m.mediaId}>
                  {m.filename ?? m.mediaId} ({Math.ceil(m.sizeBytes / 1024)} KB)
                </option>
              ))}
          </select>
          {can(session, 'SEND') && (
            <label>
              or upload a file
              <input name="upload" type="file" onChange={(e) => void onUpload(e.target.files?.[0])} />
            </label>
          )}
          {uploadError && <p className="error">{uploadError}</p>}
        </fieldset>
      )}
      {preview && (
        <section className="preview" aria-label="Preview">
          {preview.problem ? (
            <p className="error">{preview.problem}</p>
          ) : (
            <>
              {preview.header && <strong>{preview.header}</strong>}
              <pre>{preview.text}</pre>
            </>
          )}
        </section>
      )}
      <label>
        Tags (comma separated)
        <input name="tags" value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
      <button type="submit" disabled={busy || !template}>
        Send WhatsApp
      </button>
    </form>
  );
}
