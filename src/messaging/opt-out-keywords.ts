import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { tenants, type TenantRow } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { textProblem } from '../validation/input.js';

// The words that opt a person out of (or back into) a tenant's marketing messages when they are
// the whole reply: the carriers' standard set, as Twilio honours it, plus the tenant's own.
// YES is not an opt-in word here although Twilio counts it: it is also the ordinary answer to
// utility messages ("Confirm your appointment? YES"), and re-subscribing on it would undo an
// opt-out the person never meant to undo. A tenant that wants it adds it to its own words.

export const STANDARD_OPT_OUT = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'];
export const STANDARD_OPT_IN = ['START', 'UNSTOP'];

export type KeywordAction = { action: 'opt-out' | 'opt-in'; keyword: string };

/** How replies are compared: the whole text, trimmed, inner spaces collapsed, upper case. */
const normalise = (text: string): string => text.trim().replace(/\s+/g, ' ').toUpperCase();

/** What a reply asks for when it is nothing but a keyword; null for any other text. */
export function keywordAction(
  text: string | undefined,
  tenant: Pick<TenantRow, 'optOutKeywords' | 'optInKeywords'>,
): KeywordAction | null {
  if (!text) return null;
  const word = normalise(text);
  if (STANDARD_OPT_OUT.includes(word) || tenant.optOutKeywords.includes(word))
    return { action: 'opt-out', keyword: word };
  if (STANDARD_OPT_IN.includes(word) || tenant.optInKeywords.includes(word)) return { action: 'opt-in', keyword: word };
  return null;
}

const MAX_KEYWORDS = 20;
const MAX_KEYWORD_LENGTH = 40;

function keywordList(field: string, words: readonly string[]): string[] {
  if (words.length > MAX_KEYWORDS) throw new ValidationError(field, `${field} must hold at most ${MAX_KEYWORDS} words`);
  const list = words.map((raw, i) => {
    const problem = textProblem(raw);
    if (problem) throw new ValidationError(`${field}.${i}`, `${field}.${i} ${problem}`);
    const word = normalise(raw);
    if (word.length === 0 || word.length > MAX_KEYWORD_LENGTH)
      throw new ValidationError(`${field}.${i}`, `${field}.${i} must be 1 to ${MAX_KEYWORD_LENGTH} characters`);
    return word;
  });
  return [...new Set(list)];
}

/**
 * Sets the tenant's own keywords (omitted lists stay as they are). A word cannot mean both: not
 * in both lists, and not the opposite of a standard word.
 */
export async function setOptOutKeywords(
  db: Db,
  tenantId: string,
  input: { optOut?: readonly string[] | null | undefined; optIn?: readonly string[] | null | undefined },
): Promise<TenantRow> {
  const optOut = input.optOut ? keywordList('optOut', input.optOut) : undefined;
  const optIn = input.optIn ? keywordList('optIn', input.optIn) : undefined;
  const [current] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!current) throw new NotFoundError('Tenant', tenantId);
  const outWords = optOut ?? current.optOutKeywords;
  const inWords = optIn ?? current.optInKeywords;
  // Checked on the lists given: an omitted one stays, and so stays consistent with itself.
  const clash = (words: string[] | undefined, opposite: string[], field: 'optOut' | 'optIn') => {
    const i = words?.findIndex((w) => opposite.includes(w)) ?? -1;
    if (i >= 0)
      throw new ValidationError(
        `${field}.${i}`,
        `${field}.${i} ${words![i]} already means the opposite (${field === 'optOut' ? 'an opt-in' : 'an opt-out'} word)`,
      );
  };
  clash(optOut, [...STANDARD_OPT_IN, ...inWords], 'optOut');
  clash(optIn, [...STANDARD_OPT_OUT, ...outWords], 'optIn');
  const [row] = await db
    .update(tenants)
    .set({ optOutKeywords: outWords, optInKeywords: inWords })
    .where(eq(tenants.id, tenantId))
    .returning();
  return row!;
}
