import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

// What the figures depend on besides the code: printed above every run so a pasted result
// carries its context.

function revision(dir: string): string {
  try {
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src', 'drizzle') ? ' + uncommitted changes in src/' : ''}`;
  } catch {
    return 'unknown revision';
  }
}

/** Whole-machine CPU busy fraction over `ms`, from /proc/stat; undefined off Linux. */
async function cpuBusy(ms: number): Promise<number | undefined> {
  const sample = () => {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    return { total, idle: ticks[3]! + ticks[4]! }; // idle + iowait
  };
  try {
    const a = sample();
    await new Promise((r) => setTimeout(r, ms));
    const b = sample();
    return 1 - (b.idle - a.idle) / (b.total - a.total);
  } catch {
    return undefined;
  }
}

/**
 * A fixed piece of JavaScript work, timed: on a shared VM the same code runs faster or slower
 * from one hour to the next, so only compare runs whose figure here is about the same.
 */
function speedCheckMs(): number {
  const doc = { id: 'b3c1', tags: ['a', 'b', 'c'], n: 12345, nested: { text: 'Herald bench '.repeat(8), ok: true } };
  const start = performance.now();
  for (let i = 0; i < 100_000; i++) JSON.parse(JSON.stringify({ ...doc, i }));
  return performance.now() - start;
}

export async function describeMachine(heraldDir: string): Promise<string[]> {
  const cpu = cpus();
  // Server, load generator and PostgreSQL share these cores; anything else running skews the
  // figures. (The load average is no guide here: it lags by a minute and counts idle waiters.)
  const busy = await cpuBusy(1000);
  const busyLine =
    busy === undefined
      ? 'CPU use before the run: unknown'
      : `CPU use before the run: ${Math.round(busy * 100)}%${busy > 0.15 ? ' (busy: other processes compete for the CPUs, expect low figures)' : ''}`;
  return [
    `machine: ${cpu.length} CPUs (${cpu[0]?.model.trim() ?? '?'}), node ${process.version}, NODE_ENV=${process.env.NODE_ENV ?? '(unset)'}`,
    busyLine,
    `speed check: ${speedCheckMs().toFixed(0)} ms for a fixed JSON loop (lower is faster; compare runs only when it is about the same)`,
    `server code: ${heraldDir} (${revision(heraldDir)})`,
  ];
}
