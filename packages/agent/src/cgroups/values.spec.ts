import { describe, expect, it } from 'vitest';
import type { CgroupLayout } from './layout.js';
import { cfsQuotaUs, cpuShares, formatBytes, limitWrites, memoryLimitMessage, oomKills, sharesToWeight, usageFrom } from './values.js';

const V1: CgroupLayout = { version: 1, mounts: { cpu: '/cg/cpu', cpuacct: '/cg/cpuacct', memory: '/cg/memory' } };
const V2: CgroupLayout = { version: 2, mount: '/cg', controllers: ['cpu', 'memory'] };
const MB = 1024 * 1024;

describe('cgroup values', () => {
  it.each([
    [1, 1024],
    [0.5, 512],
    [0.1, 102],
    [0.001, 2],
    [4, 4096],
  ])('%d cpus are %d shares', (cpus, shares) => expect(cpuShares(cpus)).toBe(shares));

  it.each([
    [2, 1],
    [1024, 39],
    [262_144, 10_000],
    [1_000_000, 10_000],
  ])('shares %d are cpu.weight %d', (shares, weight) => expect(sharesToWeight(shares)).toBe(weight));

  it.each([
    [1, 100_000],
    [0.25, 25_000],
    [0.001, 1_000],
  ])('%d cpus have a CFS quota of %d us', (cpus, quota) => expect(cfsQuotaUs(cpus)).toBe(quota));

  it.each([
    ['v1 without CFS', V1, false, [['/cg/cpu/mesos/c/cpu.shares', '512'], ['/cg/memory/mesos/c/memory.limit_in_bytes', String(64 * MB)], ['/cg/memory/mesos/c/memory.soft_limit_in_bytes', String(64 * MB)]]],
    ['v1 with CFS', V1, true, [['/cg/cpu/mesos/c/cpu.shares', '512'], ['/cg/cpu/mesos/c/cpu.cfs_period_us', '100000'], ['/cg/cpu/mesos/c/cpu.cfs_quota_us', '50000'], ['/cg/memory/mesos/c/memory.limit_in_bytes', String(64 * MB)], ['/cg/memory/mesos/c/memory.soft_limit_in_bytes', String(64 * MB)]]],
    ['v2 with CFS', V2, true, [['/cg/mesos/c/cpu.weight', '20'], ['/cg/mesos/c/cpu.max', '50000 100000'], ['/cg/mesos/c/memory.max', String(64 * MB)]]],
  ] as const)('limit writes: %s', (_name, layout, cfs, writes) => {
    expect(limitWrites(layout, 'mesos', 'c', { cpus: 0.5, memBytes: 64 * MB }, cfs)).toEqual(writes);
  });

  it('never limits memory below 32 MB, and skips what is not limited', () => {
    expect(limitWrites(V2, 'mesos', 'c', { cpus: undefined, memBytes: 1 * MB }, true)).toEqual([['/cg/mesos/c/memory.max', String(32 * MB)]]);
    expect(limitWrites({ version: 1, mounts: { memory: '/m' } }, 'r', 'c', { cpus: 2, memBytes: undefined }, true)).toEqual([]);
  });

  it('reads v1 usage: cpuacct ticks, throttling in ns, hierarchical memory totals', () => {
    const u = usageFrom(1, {
      procs: '12\n13\n',
      cpuacctStat: 'user 250\nsystem 50\n',
      cpuStat: 'nr_periods 10\nnr_throttled 3\nthrottled_time 1500000000\n',
      memoryStat: 'cache 4096\nrss 8192\nmapped_file 1024\ntotal_cache 4096\ntotal_rss 16384\ntotal_mapped_file 1024\n',
      memoryCurrent: '20480\n',
      memoryLimit: '67108864\n',
    });
    expect(u).toEqual({ processes: 2, cpusUserTimeSecs: 2.5, cpusSystemTimeSecs: 0.5, cpusNrPeriods: 10, cpusNrThrottled: 3, cpusThrottledTimeSecs: 1.5, memRssBytes: 16384, memCacheBytes: 4096, memFileBytes: 4096, memAnonBytes: 16384, memMappedFileBytes: 1024, memTotalBytes: 20480, memLimitBytes: 67108864 });
  });

  it('reads v2 usage: microseconds, anon/file; "max" is no limit', () => {
    const u = usageFrom(2, { procs: '5\n', cpuStat: 'usage_usec 3000000\nuser_usec 2000000\nsystem_usec 1000000\nnr_periods 4\nnr_throttled 1\nthrottled_usec 250000\n', memoryStat: 'anon 100\nfile 50\nfile_mapped 10\n', memoryCurrent: '150\n', memoryLimit: 'max\n' });
    expect(u).toEqual({ processes: 1, cpusUserTimeSecs: 2, cpusSystemTimeSecs: 1, cpusNrPeriods: 4, cpusNrThrottled: 1, cpusThrottledTimeSecs: 0.25, memRssBytes: 100, memAnonBytes: 100, memFileBytes: 50, memCacheBytes: 50, memMappedFileBytes: 10, memTotalBytes: 150 });
  });

  it.each([
    ['oom_kill_disable 0\nunder_oom 0\noom_kill 1\n', 1],
    ['low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\noom_group_kill 0\n', 2],
    ['oom_kill_disable 0\nunder_oom 0\n', 0],
  ])('counts OOM kills in %j', (text, n) => expect(oomKills(text)).toBe(n));

  it.each([
    [64 * MB, '64MB'],
    [2 * 1024 * MB, '2GB'],
    [1536 * 1024, '1536KB'],
    [100, '100B'],
  ])('formats %d bytes as %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it("words a memory limitation as upstream's isolator", () => {
    expect(memoryLimitMessage(64 * MB, 64 * MB, 'rss 1\n')).toBe('Memory limit exceeded: Requested: 64MB Maximum Used: 64MB\n\nMEMORY STATISTICS: \nrss 1\n');
    expect(memoryLimitMessage(32 * MB, undefined, undefined)).toBe('Memory limit exceeded: Requested: 32MB ');
  });
});
