import type { LoadResult } from './load.js';
import type { Target } from './targets.js';

/** One measured load, as it appears in the summary. */
export type ResultRow = {
  scenario: string;
  case: string;
  database: string;
  concurrency: number;
  result: LoadResult;
};

/**
 * What a scenario hands back to run.ts: its rows, free-form findings (RSS, CPU...) and the
 * goals it judges (see targets.ts).
 */
export type ScenarioReport = { rows: ResultRow[]; notes: string[]; targets?: Target[] };

const ms = (v: number) => (Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const pct = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : `${Math.round(v * 100)}%`);

const COLUMNS: [string, (r: ResultRow) => string][] = [
  ['scenario', (r) => r.scenario],
  ['case', (r) => r.case],
  ['database', (r) => r.database],
  ['conc', (r) => String(r.concurrency)],
  ['ok', (r) => String(r.result.ok)],
  ['errors', (r) => String(r.result.errors)],
  ['req/s', (r) => r.result.rps.toFixed(0)],
  ['p50 ms', (r) => ms(r.result.p50)],
  ['p99 ms', (r) => ms(r.result.p99)],
  ['max ms', (r) => ms(r.result.max)],
  ['server CPU', (r) => pct(r.result.serverCpu)],
  ['client CPU', (r) => pct(r.result.clientCpu)],
];

/** Fixed-width table for the terminal; numbers right-aligned. */
export function formatTable(rows: ResultRow[]): string {
  const cells = [COLUMNS.map(([h]) => h), ...rows.map((r) => COLUMNS.map(([, f]) => f(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  const render = (line: string[]) =>
    line.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [render(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(render)].join('\n');
}

/** The same rows as a markdown table, to paste into docs/benchmarks.md. */
export function formatMarkdown(rows: ResultRow[]): string {
  const header = COLUMNS.map(([h]) => h);
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i < 3 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${COLUMNS.map(([, f]) => f(r)).join(' | ')} |`),
  ].join('\n');
}
