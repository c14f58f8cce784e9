// Provider credentials must never reach a stored error or raw body: an upstream, a proxy or a
// fake may echo them. Each provider lists the forms its secrets may take; this replaces them.

const REDACTED = '[redacted]';

export type Redactor = {
  /** The text with every listed secret replaced. */
  text(s: string): string;
  /** A JSON value with every listed secret replaced in its strings. */
  json(value: unknown): unknown;
};

/** Secrets shorter than three characters are skipped: replacing them would garble any text. */
export function redactor(secrets: ReadonlyArray<string | undefined>): Redactor {
  const forms = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 3))];
  const text = (s: string): string => forms.reduce((out, secret) => out.replaceAll(secret, REDACTED), s);
  return {
    text,
    json: (value) => (value === undefined ? undefined : (JSON.parse(text(JSON.stringify(value))) as unknown)),
  };
}
