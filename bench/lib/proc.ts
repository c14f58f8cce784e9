import { readFileSync } from 'node:fs';

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
