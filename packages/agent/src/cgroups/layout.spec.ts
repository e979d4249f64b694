import { describe, expect, it } from 'vitest';
import { chooseLayout, containerDirs, controllerDir, parseCgroupMounts, unescapeMountPath, type CgroupResource } from './layout.js';

const V1_SPLIT = `cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0
cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0
cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
proc /proc proc rw 0 0`;
const V1_COMOUNTED = `cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,cpu,cpuacct 0 0
cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0`;
const V2 = 'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0';
const BOTH: ReadonlySet<CgroupResource> = new Set(['cpu', 'mem']);

describe('cgroup layout', () => {
  it('parses only cgroup mounts, with v1 controllers from the options', () => {
    expect(parseCgroupMounts(V1_SPLIT)).toEqual([
      { mountPoint: '/sys/fs/cgroup/cpu', type: 'cgroup', options: ['rw', 'relatime', 'cpu'] },
      { mountPoint: '/sys/fs/cgroup/cpuacct', type: 'cgroup', options: ['rw', 'relatime', 'cpuacct'] },
      { mountPoint: '/sys/fs/cgroup/memory', type: 'cgroup', options: ['rw', 'relatime', 'memory'] },
      { mountPoint: '/sys/fs/cgroup/unified', type: 'cgroup2', options: [] },
    ]);
    expect(unescapeMountPath('/a\\040b')).toBe('/a b');
  });

  it.each([
    ['v1, one hierarchy per controller', V1_SPLIT, new Map([['/sys/fs/cgroup/unified', '']]), BOTH, { version: 1, mounts: { cpu: '/sys/fs/cgroup/cpu', cpuacct: '/sys/fs/cgroup/cpuacct', memory: '/sys/fs/cgroup/memory' } }],
    ['v1, cpu and cpuacct co-mounted', V1_COMOUNTED, new Map(), BOTH, { version: 1, mounts: { cpu: '/sys/fs/cgroup/cpu,cpuacct', cpuacct: '/sys/fs/cgroup/cpu,cpuacct', memory: '/sys/fs/cgroup/memory' } }],
    ['v1, memory only', V1_COMOUNTED, new Map(), new Set<CgroupResource>(['mem']), { version: 1, mounts: { memory: '/sys/fs/cgroup/memory' } }],
    ['v2 offering cpu and memory', V2, new Map([['/sys/fs/cgroup', 'cpuset cpu io memory pids']]), BOTH, { version: 2, mount: '/sys/fs/cgroup', controllers: ['cpu', 'memory'] }],
  ])('%s', (_name, mounts, v2, wanted, layout) => {
    expect(chooseLayout(parseCgroupMounts(mounts), v2, wanted)).toEqual(layout);
  });

  it.each([
    ['v2 root without controllers', V2, new Map([['/sys/fs/cgroup', 'pids']]), 'no cgroup v1 hierarchy for cpu, cpuacct, memory and the cgroup2 hierarchy at /sys/fs/cgroup does not offer cpu, memory (cgroup.controllers)'],
    ['nothing mounted', 'proc /proc proc rw 0 0', new Map<string, string>(), 'no cgroup v1 hierarchy for cpu, cpuacct, memory and no cgroup2 hierarchy is mounted'],
    ['v1 without memory, v2 empty', `${V1_SPLIT.split('\n').filter((l) => !l.includes('memory')).join('\n')}`, new Map([['/sys/fs/cgroup/unified', '']]), 'no cgroup v1 hierarchy for memory and the cgroup2 hierarchy at /sys/fs/cgroup/unified does not offer cpu, memory'],
  ])('says what is missing: %s', (_name, mounts, v2, missing) => {
    const r = chooseLayout(parseCgroupMounts(mounts), v2, BOTH);
    expect(r).toHaveProperty('missing');
    expect((r as { missing: string }).missing).toContain(missing);
  });

  it('places a container under <hierarchy>/<root>/<id>, once per distinct hierarchy', () => {
    const v1 = chooseLayout(parseCgroupMounts(V1_COMOUNTED), new Map(), BOTH);
    if ('missing' in v1) throw new Error(v1.missing);
    expect(containerDirs(v1, 'mesos', 'c1')).toEqual(['/sys/fs/cgroup/cpu,cpuacct/mesos/c1', '/sys/fs/cgroup/memory/mesos/c1']);
    expect(controllerDir(v1, 'mesos', 'c1', 'cpuacct')).toBe('/sys/fs/cgroup/cpu,cpuacct/mesos/c1');
    const v2 = chooseLayout(parseCgroupMounts(V2), new Map([['/sys/fs/cgroup', 'cpu memory']]), new Set<CgroupResource>(['mem']));
    if ('missing' in v2) throw new Error(v2.missing);
    expect(containerDirs(v2, 'a/b', 'c1')).toEqual(['/sys/fs/cgroup/a/b/c1']);
    expect(controllerDir(v2, 'a/b', 'c1', 'cpu')).toBeUndefined();
    expect(controllerDir(v2, 'a/b', 'c1', 'memory')).toBe('/sys/fs/cgroup/a/b/c1');
  });
});
