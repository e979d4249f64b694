// Pure cgroup arithmetic: the files and values that limit a container (cpu shares/weight, CFS quota, memory
// limit, as upstream's cgroups isolators set them), and parsers for the statistics files the kernel keeps.
import type { CgroupLayout } from './layout.js';
import { controllerDir } from './layout.js';

/** What a container is limited to: cpus (undefined: not limited), memory in bytes. */
export interface CgroupLimits {
  cpus: number | undefined;
  memBytes: number | undefined;
}

/** Upstream's constants: 1024 shares per cpu, at least 2; 100 ms CFS period, at least 1 ms quota; ≥ 32 MB memory. */
export const CPU_SHARES_PER_CPU = 1024;
export const MIN_CPU_SHARES = 2;
export const CFS_PERIOD_US = 100_000;
export const MIN_CFS_QUOTA_US = 1_000;
export const MIN_MEMORY_BYTES = 32 * 1024 * 1024;

export function cpuShares(cpus: number): number {
  return Math.max(MIN_CPU_SHARES, Math.floor(CPU_SHARES_PER_CPU * cpus));
}

/** cgroup v2 cpu.weight [1, 10000] from v1 shares [2, 262144], the conversion systemd and the kernel docs use. */
export function sharesToWeight(shares: number): number {
  const clamped = Math.min(262_144, Math.max(2, shares));
  return 1 + Math.floor(((clamped - 2) * 9_999) / 262_142);
}

export function cfsQuotaUs(cpus: number): number {
  return Math.max(MIN_CFS_QUOTA_US, Math.floor(cpus * CFS_PERIOD_US));
}

/** [file path, value] writes that apply `limits` to a container's cgroup, in order. */
export function limitWrites(layout: CgroupLayout, root: string, containerId: string, limits: CgroupLimits, enableCfs: boolean): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const cpu = controllerDir(layout, root, containerId, 'cpu');
  if (cpu !== undefined && limits.cpus !== undefined) {
    const shares = cpuShares(limits.cpus);
    if (layout.version === 1) {
      out.push([`${cpu}/cpu.shares`, String(shares)]);
      if (enableCfs) out.push([`${cpu}/cpu.cfs_period_us`, String(CFS_PERIOD_US)], [`${cpu}/cpu.cfs_quota_us`, String(cfsQuotaUs(limits.cpus))]);
    } else {
      out.push([`${cpu}/cpu.weight`, String(sharesToWeight(shares))]);
      if (enableCfs) out.push([`${cpu}/cpu.max`, `${cfsQuotaUs(limits.cpus)} ${CFS_PERIOD_US}`]);
    }
  }
  const mem = controllerDir(layout, root, containerId, 'memory');
  if (mem !== undefined && limits.memBytes !== undefined) {
    const bytes = String(Math.max(MIN_MEMORY_BYTES, Math.floor(limits.memBytes)));
    if (layout.version === 1) out.push([`${mem}/memory.limit_in_bytes`, bytes], [`${mem}/memory.soft_limit_in_bytes`, bytes]);
    else out.push([`${mem}/memory.max`, bytes]);
  }
  return out;
}

/** `key value` lines (memory.stat, cpu.stat, cpuacct.stat, memory.events, memory.oom_control) as numbers. */
export function parseKeyValues(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^-?\d+$/.test(value)) out.set(key, Number(value));
  }
  return out;
}

/** Usage as /monitor/statistics reports it (units as the ResourceStatistics fields). */
export interface CgroupUsage {
  processes?: number;
  cpusUserTimeSecs?: number;
  cpusSystemTimeSecs?: number;
  cpusNrPeriods?: number;
  cpusNrThrottled?: number;
  cpusThrottledTimeSecs?: number;
  memRssBytes?: number;
  memTotalBytes?: number;
  memLimitBytes?: number;
  memCacheBytes?: number;
  memFileBytes?: number;
  memAnonBytes?: number;
  memMappedFileBytes?: number;
}

/** The raw files usage is computed from (undefined when unreadable or not used). */
export interface CgroupStatFiles {
  procs?: string;
  /** v1 cpuacct.stat (USER_HZ ticks) */
  cpuacctStat?: string;
  /** v1 or v2 cpu.stat */
  cpuStat?: string;
  memoryStat?: string;
  /** v1 memory.usage_in_bytes / v2 memory.current */
  memoryCurrent?: string;
  /** v1 memory.limit_in_bytes / v2 memory.max */
  memoryLimit?: string;
}

const USER_HZ = 100;

export function usageFrom(version: 1 | 2, f: CgroupStatFiles): CgroupUsage {
  const u: CgroupUsage = {};
  if (f.procs !== undefined) u.processes = f.procs.split('\n').filter((l) => l.trim() !== '').length;
  if (version === 1 && f.cpuacctStat !== undefined) {
    const s = parseKeyValues(f.cpuacctStat);
    u.cpusUserTimeSecs = (s.get('user') ?? 0) / USER_HZ;
    u.cpusSystemTimeSecs = (s.get('system') ?? 0) / USER_HZ;
  }
  if (f.cpuStat !== undefined) {
    const s = parseKeyValues(f.cpuStat);
    if (version === 2) {
      u.cpusUserTimeSecs = (s.get('user_usec') ?? 0) / 1e6;
      u.cpusSystemTimeSecs = (s.get('system_usec') ?? 0) / 1e6;
    }
    u.cpusNrPeriods = s.get('nr_periods') ?? 0;
    u.cpusNrThrottled = s.get('nr_throttled') ?? 0;
    u.cpusThrottledTimeSecs = version === 1 ? (s.get('throttled_time') ?? 0) / 1e9 : (s.get('throttled_usec') ?? 0) / 1e6;
  }
  if (f.memoryStat !== undefined) {
    const s = parseKeyValues(f.memoryStat);
    // v1 hierarchical totals (total_*) cover the whole subtree; a container cgroup has no children, but prefer them.
    const v1 = (k: string): number => s.get(`total_${k}`) ?? s.get(k) ?? 0;
    if (version === 1) {
      u.memRssBytes = v1('rss');
      u.memCacheBytes = v1('cache');
      u.memFileBytes = v1('cache');
      u.memAnonBytes = v1('rss');
      u.memMappedFileBytes = v1('mapped_file');
    } else {
      u.memRssBytes = s.get('anon') ?? 0;
      u.memAnonBytes = s.get('anon') ?? 0;
      u.memFileBytes = s.get('file') ?? 0;
      u.memCacheBytes = s.get('file') ?? 0;
      u.memMappedFileBytes = s.get('file_mapped') ?? 0;
    }
  }
  if (f.memoryCurrent !== undefined && /^\d+/.test(f.memoryCurrent.trim())) u.memTotalBytes = Number(f.memoryCurrent.trim());
  if (f.memoryLimit !== undefined && /^\d+$/.test(f.memoryLimit.trim())) u.memLimitBytes = Number(f.memoryLimit.trim());
  return u;
}

/** OOM kills the kernel counted in a container's memory cgroup (v1 memory.oom_control, v2 memory.events). */
export function oomKills(eventsText: string): number {
  return parseKeyValues(eventsText).get('oom_kill') ?? 0;
}

/** Mesos' Bytes formatting: the largest unit that divides the value exactly ("64MB", "1536KB", "100B"). */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['TB', 1024 ** 4],
    ['GB', 1024 ** 3],
    ['MB', 1024 ** 2],
    ['KB', 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

/** Upstream's message for a task killed by its memory limit. */
export function memoryLimitMessage(limitBytes: number, maxUsedBytes: number | undefined, memoryStat: string | undefined): string {
  let message = `Memory limit exceeded: Requested: ${formatBytes(limitBytes)} `;
  if (maxUsedBytes !== undefined) message += `Maximum Used: ${formatBytes(maxUsedBytes)}\n`;
  if (memoryStat !== undefined) message += `\nMEMORY STATISTICS: \n${memoryStat}`;
  return message;
}
