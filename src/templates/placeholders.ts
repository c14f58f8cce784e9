// Numbered placeholders {{1}}..{{n}} in template texts: how many a template takes, whether they
// are numbered without gaps, and filling them in.

const PLACEHOLDER = /\{\{(\d+)\}\}/g;
/** Anything in double braces that is not a plain number ({{name}}, {{ 1 }}, {{0}}). */
const ANY_BRACES = /\{\{([^{}]*)\}\}/g;

/** The placeholder numbers a text uses (unordered, without repeats). */
export function placeholdersOf(text: string): Set<number> {
  const found = new Set<number>();
  for (const m of text.matchAll(PLACEHOLDER)) found.add(Number(m[1]));
  return found;
}

/**
 * The first problem with a text's placeholders, or null: only {{1}}, {{2}}... are placeholders,
 * numbered from 1 (not {{0}}, {{01}} or {{name}}).
 */
export function placeholderProblem(text: string): string | null {
  for (const m of text.matchAll(ANY_BRACES)) {
    const inner = m[1]!;
    if (!/^[1-9]\d{0,2}$/.test(inner)) {
      return `uses ${JSON.stringify(m[0].slice(0, 40))}; placeholders are numbered {{1}}, {{2}}, ... (from 1, no names or spaces)`;
    }
  }
  return null;
}

/**
 * The parameter count of texts sharing one set of variables: the highest placeholder, or the
 * first missing number when they have a gap ({{1}} and {{3}} without {{2}}).
 */
export function paramCountOf(
  texts: ReadonlyArray<string | null | undefined>,
): { count: number } | { gap: number; highest: number } {
  const used = new Set<number>();
  for (const t of texts) if (t) for (const n of placeholdersOf(t)) used.add(n);
  const highest = used.size === 0 ? 0 : Math.max(...used);
  for (let n = 1; n <= highest; n++) if (!used.has(n)) return { gap: n, highest };
  return { count: highest };
}

/** The text with {{n}} replaced by params[n - 1] (an absent parameter leaves the placeholder). */
export function fillPlaceholders(text: string, params: readonly string[]): string {
  return text.replace(PLACEHOLDER, (whole, n: string) => params[Number(n) - 1] ?? whole);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a text could be the template filled in: the literal parts equal (whitespace runs
 * compare as one space), each placeholder any non-empty text. As DLT scrubbing compares.
 */
export function matchesTemplate(template: string, text: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const parts = norm(template).split(PLACEHOLDER);
  // split with a capture group alternates literal, number, literal, ...
  const pattern = parts.map((p, i) => (i % 2 === 1 ? '[\\s\\S]+?' : escapeRegExp(p).replace(/ /g, '\\s+'))).join('');
  return new RegExp(`^${pattern}$`).test(norm(text));
}
