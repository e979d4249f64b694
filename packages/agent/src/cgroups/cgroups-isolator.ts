// The cgroups/cpu and cgroups/mem isolators' file-system side: one cgroup per container under
// <hierarchy>/<cgroups_root>/<container id> (every hierarchy the layout uses), limits written before the task
// runs, usage and OOM kills read back, and the cgroup emptied (SIGKILL of what is left) and removed at the end.
// Decisions (layout, values, parsing) are in layout.ts and values.ts; this file only reads and writes.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { signal } from '../proc.js';
import { chooseLayout, containerDirs, controllerDir, hierarchyRoots, parseCgroupMounts, type CgroupLayout, type CgroupResource } from './layout.js';
import { limitWrites, memoryLimitMessage, oomKills, usageFrom, type CgroupLimits, type CgroupUsage } from './values.js';

export interface CgroupsOptions {
  wanted: ReadonlySet<CgroupResource>;
  /** --cgroups_root */
  root: string;
  enableCfs: boolean;
}

/** What the kernel recorded when a container hit its memory limit. */
export interface MemoryLimitation {
  limitBytes: number;
  message: string;
}

/** How long destroy() keeps killing and retrying rmdir before giving up on a cgroup. */
const DESTROY_TIMEOUT_MS = 10_000;

export class CgroupsIsolator {
  private constructor(
    readonly layout: CgroupLayout,
    private readonly opts: CgroupsOptions,
  ) {}

  /**
   * Checks the host (root, a hierarchy with every wanted controller, a writable cgroups_root) and returns the
   * isolator, or a sentence saying what is missing.
   */
  static open(opts: CgroupsOptions): CgroupsIsolator | { problem: string } {
    const uid = process.getuid?.();
    if (uid !== 0) return { problem: `the agent runs as uid ${uid ?? 'unknown'}; cgroups need root` };
    let mountsText: string;
    try {
      mountsText = readFileSync('/proc/self/mounts', 'utf8');
    } catch (e) {
      return { problem: `cannot read /proc/self/mounts: ${(e as Error).message}` };
    }
    const mounts = parseCgroupMounts(mountsText);
    const v2 = new Map<string, string>();
    for (const m of mounts) if (m.type === 'cgroup2') v2.set(m.mountPoint, readOr(`${m.mountPoint}/cgroup.controllers`, ''));
    const layout = chooseLayout(mounts, v2, opts.wanted);
    if ('missing' in layout) return { problem: layout.missing };
    try {
      for (const h of hierarchyRoots(layout)) {
        mkdirSync(`${h}/${opts.root}`, { recursive: true });
        accessSync(`${h}/${opts.root}/cgroup.procs`, constants.W_OK);
      }
      if (layout.version === 2) enableV2Controllers(layout.mount, opts.root, layout.controllers);
    } catch (e) {
      return { problem: `cannot set up cgroup '${opts.root}': ${(e as Error).message}` };
    }
    return new CgroupsIsolator(layout, opts);
  }

  /** Creates the container's cgroup with its limits (before its first process exists). */
  create(containerId: string, limits: CgroupLimits): void {
    for (const dir of this.dirs(containerId)) mkdirSync(dir, { recursive: true });
    this.update(containerId, limits);
  }

  update(containerId: string, limits: CgroupLimits): void {
    for (const [file, value] of limitWrites(this.layout, this.opts.root, containerId, limits, this.opts.enableCfs)) writeFileSync(file, value);
  }

  /** Moves `pid` into every hierarchy of the container's cgroup (its later children follow it). */
  attach(containerId: string, pid: number): void {
    for (const dir of this.dirs(containerId)) writeFileSync(`${dir}/cgroup.procs`, String(pid));
  }

  exists(containerId: string): boolean {
    return this.dirs(containerId).some((d) => existsSync(d));
  }

  /** Container ids with a cgroup under the root (in any hierarchy). */
  list(): string[] {
    const ids = new Set<string>();
    for (const h of hierarchyRoots(this.layout)) {
      try {
        for (const e of readdirSync(`${h}/${this.opts.root}`, { withFileTypes: true })) if (e.isDirectory()) ids.add(e.name);
      } catch {
        // hierarchy root gone: nothing there
      }
    }
    return [...ids];
  }

  usage(containerId: string): CgroupUsage | undefined {
    const v = this.layout.version;
    const cpu = controllerDir(this.layout, this.opts.root, containerId, 'cpu');
    const acct = controllerDir(this.layout, this.opts.root, containerId, 'cpuacct');
    const mem = controllerDir(this.layout, this.opts.root, containerId, 'memory');
    const any = cpu ?? mem;
    if (any === undefined || !existsSync(any)) return undefined;
    const read = (dir: string | undefined, file: string): string | undefined => (dir === undefined ? undefined : readOr(`${dir}/${file}`, undefined));
    return usageFrom(v, {
      procs: read(any, 'cgroup.procs'),
      ...(v === 1 ? { cpuacctStat: read(acct, 'cpuacct.stat') } : {}),
      cpuStat: read(cpu, 'cpu.stat'),
      memoryStat: read(mem, 'memory.stat'),
      memoryCurrent: read(mem, v === 1 ? 'memory.usage_in_bytes' : 'memory.current'),
      memoryLimit: read(mem, v === 1 ? 'memory.limit_in_bytes' : 'memory.max'),
    });
  }

  /** The container's memory limitation when the kernel OOM-killed one of its processes; else undefined. */
  memoryLimitation(containerId: string): MemoryLimitation | undefined {
    const mem = controllerDir(this.layout, this.opts.root, containerId, 'memory');
    if (mem === undefined) return undefined;
    const v1 = this.layout.version === 1;
    const events = readOr(`${mem}/${v1 ? 'memory.oom_control' : 'memory.events'}`, undefined);
    if (events === undefined || oomKills(events) === 0) return undefined;
    const limitBytes = Number(readOr(`${mem}/${v1 ? 'memory.limit_in_bytes' : 'memory.max'}`, '0').trim()) || 0;
    const peak = readOr(`${mem}/${v1 ? 'memory.max_usage_in_bytes' : 'memory.peak'}`, undefined);
    const maxUsed = peak !== undefined && /^\d+$/.test(peak.trim()) ? Number(peak.trim()) : undefined;
    return { limitBytes, message: memoryLimitMessage(limitBytes, maxUsed, readOr(`${mem}/memory.stat`, undefined)) };
  }

  /** SIGKILLs whatever still runs in the container's cgroup, then removes it; resolves once gone (or given up). */
  async destroy(containerId: string): Promise<void> {
    const dirs = this.dirs(containerId).filter((d) => existsSync(d));
    const deadline = Date.now() + DESTROY_TIMEOUT_MS;
    for (;;) {
      let left = 0;
      for (const dir of dirs) {
        for (const line of readOr(`${dir}/cgroup.procs`, '').split('\n')) {
          const pid = Number(line);
          if (Number.isInteger(pid) && pid > 0) {
            left++;
            signal(pid, 'SIGKILL');
          }
        }
      }
      if (left === 0) {
        let busy = false;
        for (const dir of dirs) {
          try {
            rmdirSync(dir);
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            if (code !== 'ENOENT') busy = true;
          }
        }
        if (!busy) return;
      }
      if (Date.now() > deadline) throw new Error(`cgroup of container ${containerId} still busy after ${DESTROY_TIMEOUT_MS} ms (${dirs.join(', ')})`);
      await sleep(20);
    }
  }

  /** Removes the (empty) cgroups_root directories; a root still holding containers stays. */
  close(): void {
    for (const h of hierarchyRoots(this.layout)) {
      try {
        rmdirSync(`${h}/${this.opts.root}`);
      } catch {
        // busy (containers left running for the next agent) or already gone
      }
    }
  }

  private dirs(containerId: string): string[] {
    return containerDirs(this.layout, this.opts.root, containerId);
  }
}

/** v2: a controller reaches a cgroup only when every ancestor enables it in cgroup.subtree_control. */
function enableV2Controllers(mount: string, root: string, controllers: readonly string[]): void {
  const line = controllers.map((c) => `+${c}`).join(' ');
  let dir = mount;
  writeFileSync(`${dir}/cgroup.subtree_control`, line);
  for (const part of root.split('/')) {
    dir = `${dir}/${part}`;
    writeFileSync(`${dir}/cgroup.subtree_control`, line);
  }
}

function readOr<T extends string | undefined>(file: string, fallback: T): string | T {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}
