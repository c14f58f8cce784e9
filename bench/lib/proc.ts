import { readdirSync, readFileSync } from 'node:fs';

// Linux /proc readings of another process; undefined where /proc is unavailable.

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every mainstream Linux build

/** Resident set size (current and peak) in KiB, from /proc/<pid>/status. */
export function memoryKb(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const rss = field('VmRSS');
    return Number.isNaN(rss) ? undefined : { rss, peak: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** User + system CPU time consumed so far, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces, so count fields from the closing parenthesis;
    // utime and stime are fields 14 and 15 of the whole line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

type ProcStat = { pid: number; comm: string; ppid: number; own: number; reaped: number };

/**
 * Every process's CPU from /proc/<pid>/stat, in seconds: `own` = utime + stime, `reaped` =
 * cutime + cstime, the time of its children that have exited and been waited for.
 */
function allProcesses(): ProcStat[] {
  const list: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      list.push({
        pid: Number(name),
        comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        ppid: Number(f[1]),
        own: (Number(f[11]) + Number(f[12])) / CLOCK_TICKS_PER_SECOND,
        reaped: (Number(f[13]) + Number(f[14])) / CLOCK_TICKS_PER_SECOND,
      });
    } catch {
      // exited meanwhile
    }
  }
  return list;
}

/**
 * CPU seconds of `root` and all its descendants: each live one's own time plus the time of its
 * children that already exited (cutime + cstime), so a worker that ran and exited still counts.
 * Undefined when `root` is gone.
 */
export function treeCpuSeconds(root: number): number | undefined {
  const procs = allProcesses();
  if (!procs.some((p) => p.pid === root)) return undefined;
  const children = new Map<number, ProcStat[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  let total = 0;
  const stack = procs.filter((p) => p.pid === root);
  for (let p = stack.pop(); p; p = stack.pop()) {
    total += p.own + p.reaped;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return total;
}

/**
 * CPU seconds of the PostgreSQL server(s) on this machine: every live postgres process's own
 * time, plus the postmaster's cutime + cstime, which holds the backends that have exited. Every
 * database on the server counts: other activity on it pollutes the figure.
 */
export function postgresCpuSeconds(): number {
  const procs = allProcesses();
  const postgres = new Set(procs.filter((p) => p.comm.startsWith('postgres')).map((p) => p.pid));
  let total = 0;
  for (const p of procs) {
    if (!postgres.has(p.pid)) continue;
    total += p.own;
    if (!postgres.has(p.ppid)) total += p.reaped; // the postmaster
  }
  return total;
}
