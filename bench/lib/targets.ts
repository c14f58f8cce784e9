// The goals of the cost-per-message work (P1 accept, P1d default start, P3 dispatch, P4 ingest,
// P7 end to end), of live fan-out (P5a, P5a', P5b, P5c) and of analytics (A5 messageStats), each judged on a figure measured in the same
// run: a ratio to a floor measured beside it (so machines of different speed compare), or an
// absolute latency or CPU cost.

export type Target = {
  /** P1, P1d, P3, P4, P5a, P7, A5... */
  id: string;
  /** What is judged, e.g. "accept". */
  label: string;
  /** The measured figures the value comes from, e.g. "sendSms 713 req/s". */
  figure: string;
  /** The judged value (a ratio, milliseconds...); NaN when it could not be measured. */
  value: number;
  /** Printed after the value: "x" for ratios, " ms" for times. */
  unit: string;
  /** What a ratio is relative to, e.g. "bare" (printed after the value). */
  versus?: string;
  goal: { cmp: '>=' | '<='; value: number };
};

export function passes(t: Target): boolean {
  if (!Number.isFinite(t.value)) return false;
  return t.goal.cmp === '>=' ? t.value >= t.goal.value : t.value <= t.goal.value;
}

const amount = (v: number, unit: string) =>
  !Number.isFinite(v) ? 'n/a' : unit === 'x' ? v.toFixed(2) : v < 10 ? v.toFixed(2) : v.toFixed(1);
const verdict = (t: Target) => (!Number.isFinite(t.value) ? 'NOT MEASURED' : passes(t) ? 'PASS' : 'MISS');
const valueText = (t: Target) => `${amount(t.value, t.unit)}${t.unit}${t.versus ? ` ${t.versus}` : ''}`;
const goalText = (t: Target) => `${t.goal.cmp} ${t.goal.value}${t.unit}`;

/** `P1 accept: sendSms 713 req/s = 0.34x bare (goal >= 0.75x) MISS` */
export function formatTarget(t: Target): string {
  return `${t.id} ${t.label}: ${t.figure} = ${valueText(t)} (goal ${goalText(t)}) ${verdict(t)}`;
}

/** The summary block at the end of a run. */
export function formatTargets(targets: Target[]): string {
  if (targets.length === 0) return 'targets: none measured (run send, dispatch, webhooks, fanout, e2e or stats)';
  const passed = targets.filter(passes).length;
  return [`targets: ${passed} of ${targets.length} met`, ...targets.map((t) => `  ${formatTarget(t)}`)].join('\n');
}

/** The same as Markdown rows for docs/benchmarks.md. */
export function formatTargetsMarkdown(targets: Target[]): string {
  return [
    '| target | measured | value | goal | result |',
    '| --- | --- | ---: | ---: | --- |',
    ...targets.map((t) => `| ${t.id} ${t.label} | ${t.figure} | ${valueText(t)} | ${goalText(t)} | ${verdict(t)} |`),
  ].join('\n');
}
