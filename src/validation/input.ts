import { ValidationError } from '../errors.js';

// The checks every free-text and JSON input goes through, whichever API it came from and
// whichever service takes it: what PostgreSQL cannot store (NUL), what it would store changed
// (a lone UTF-16 surrogate becomes U+FFFD), JSON nested deep enough to exhaust the stack of
// whatever walks it next, and keys that name Object.prototype. A refusal is a ValidationError
// naming the input; messages describe the problem and never quote the value (it may be a secret).

/** Deeper JSON than any metadata, button or provider setting needs. */
export const MAX_JSON_DEPTH = 32;

/** Keys that reach Object.prototype when a parsed object is indexed or merged. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as given, or null when it can. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'is not valid Unicode text (it has a lone UTF-16 surrogate)';
  return null;
}

/** The string itself, or a ValidationError naming `field`. */
export function checkText(field: string, value: string): string {
  const problem = textProblem(value);
  if (problem) throw new ValidationError(field, `${field} ${problem}`);
  return value;
}

/** checkText for optional inputs: null and undefined pass through. */
export function checkOptionalText<T extends string | null | undefined>(field: string, value: T): T {
  if (typeof value === 'string') checkText(field, value);
  return value;
}

export type JsonProblem = { path: string; problem: string };

const at = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * The first problem of a JSON value (depth, strings, keys, non-JSON values), or null. Walks
 * with a stack of its own, not recursion: the value may be nested thousands deep.
 */
export function jsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value: v, path, depth } = pending.pop()!;
    if (v === null || typeof v === 'boolean') continue;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path, problem };
      continue;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { path, problem: 'must hold finite numbers only' };
      continue;
    }
    if (typeof v !== 'object') return { path, problem: 'is not JSON' };
    if (depth >= maxDepth) return { path, problem: `is nested deeper than ${maxDepth} levels` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        pending.push({ value: v[i], path: at(path, String(i)), depth: depth + 1 });
      continue;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return { path, problem: 'is not JSON' };
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (PROTOTYPE_KEYS.has(key)) return { path, problem: `must not use the key "${key}"` };
      const problem = textProblem(key);
      if (problem) return { path, problem: `has a key that ${problem}` };
      pending.push({ value: (v as Record<string, unknown>)[key], path: at(path, key), depth: depth + 1 });
    }
  }
  return null;
}

/** The value itself, or a ValidationError naming `field` (the path inside it is in the message). */
export function checkJson<T>(field: string, value: T, maxDepth = MAX_JSON_DEPTH): T {
  const found = jsonProblem(value, maxDepth);
  if (found) {
    const where = found.path ? ` (at ${field}.${found.path.slice(0, 120)}${found.path.length > 120 ? '...' : ''})` : '';
    throw new ValidationError(field, `${field} ${found.problem}${where}`);
  }
  return value;
}

/** `table[key]` for the table's own keys only: "constructor" or "__proto__" are not entries. */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * An ISO 8601 date-time with a time zone (Z or ±hh:mm), or null. Dates that do not exist
 * (2027-02-30, 24:00:00) are null: Date.parse would roll them over into another day.
 */
export function parseDateTime(value: string): Date | null {
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec = '0', oh = '0', om = '0'] = m;
  const month = Number(mo);
  const day = Number(d);
  const exists =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    new Date(Date.UTC(Number(y), month - 1, day)).getUTCDate() === day &&
    Number(h) <= 23 &&
    Number(mi) <= 59 &&
    Number(sec) <= 59 &&
    Number(oh) <= 23 &&
    Number(om) <= 59;
  const ms = exists ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? new Date(ms) : null;
}
