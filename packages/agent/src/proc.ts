// Reading /proc (Linux): process liveness, start times (to tell a recovered pid from a reused one), the
// process tree and per-process CPU/memory usage. Everything tolerates processes vanishing mid-read.
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
  /** CPU time in clock ticks (USER_HZ, 100 per second on Linux). */
  utimeTicks: number;
  stimeTicks: number;
  /** Start time in clock ticks since boot: with the pid, identifies one process for its whole life. */
  startTicks: number;
  rssPages: number;
}

export const TICKS_PER_SECOND = 100;
export const PAGE_SIZE = 4096;

export function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces or ')': split after the last ')'.
  const close = text.lastIndexOf(')');
  const f = text.slice(close + 2).split(' ');
  const n = (i: number): number => Number(f[i - 3]);
  return {
    pid,
    state: f[0] ?? '?',
    ppid: n(4),
    pgid: n(5),
    sid: n(6),
    utimeTicks: n(14),
    stimeTicks: n(15),
    startTicks: n(22),
    rssPages: n(24),
  };
}

/** True while `pid` runs and is not a zombie; with `startTicks`, only if it is that same process. */
export function isAlive(pid: number, startTicks?: number): boolean {
  const stat = readStat(pid);
  if (stat === undefined || stat.state === 'Z' || stat.state === 'X') return false;
  return startTicks === undefined || stat.startTicks === startTicks;
}

export function allPids(): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid > 0) out.push(pid);
  }
  return out;
}

export function readAllStats(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const pid of allPids()) {
    const s = readStat(pid);
    if (s) out.push(s);
  }
  return out;
}

/** `root` and every live descendant (by parent pid), from one snapshot of /proc. */
export function descendants(root: number, stats: readonly ProcStat[]): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) {
    const list = children.get(s.ppid);
    if (list) list.push(s);
    else children.set(s.ppid, [s]);
  }
  const out: ProcStat[] = [];
  const self = stats.find((s) => s.pid === root);
  if (self) out.push(self);
  const queue = [root];
  while (queue.length > 0) {
    for (const c of children.get(queue.pop()!) ?? []) {
      out.push(c);
      queue.push(c.pid);
    }
  }
  return out;
}

/** Pids whose environment carries `name=value` (processes of one container, even re-parented ones). */
export function pidsWithEnv(name: string, value: string): number[] {
  const needle = Buffer.from(`\0${name}=${value}\0`);
  const first = Buffer.from(`${name}=${value}\0`);
  const out: number[] = [];
  for (const pid of allPids()) {
    let env: Buffer;
    try {
      env = readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue;
    }
    if (env.includes(needle) || env.subarray(0, first.length).equals(first)) out.push(pid);
  }
  return out;
}

/** kill(2) that ignores processes already gone. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}
