// The cgroups isolator against the real kernel (needs root and writable cgroup hierarchies; skipped, saying
// why, elsewhere): limits land in the files, the gated first process is in the cgroup before it runs, an
// allocation over the limit is OOM-killed and reported, destroy kills what is left and removes the cgroup.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { daemonClock as systemClock } from '@mesos-ts/common';
import { CONTAINER_ENV, PosixContainerizer } from '../containerizer.js';
import { pidsWithEnv } from '../proc.js';
import { CgroupsIsolator } from './cgroups-isolator.js';
import { containerDirs } from './layout.js';

const MB = 1024 * 1024;
const ROOT = `mesos-test-${process.pid}-${Date.now().toString(36)}`;
const opened = CgroupsIsolator.open({ wanted: new Set(['cpu', 'mem']), root: ROOT, enableCfs: true });
const problem = 'problem' in opened ? opened.problem : undefined;
const sandbox = mkdtempSync(path.join(os.tmpdir(), 'cgroups-spec-'));

afterAll(async () => {
  if (!('problem' in opened)) {
    for (const id of opened.list()) await opened.destroy(id);
    opened.close();
  }
  rmSync(sandbox, { recursive: true, force: true });
});

describe.skipIf(problem !== undefined)(`cgroups isolator on this host${problem ? ` (skipped: ${problem})` : ''}`, () => {
  const cg = opened as CgroupsIsolator;
  const containerizer = new PosixContainerizer(systemClock);
  const launch = (id: string, command: string): ReturnType<PosixContainerizer['launch']> =>
    containerizer.launch({ containerId: id, sandbox, argv: ['/bin/sh', '-c', command], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, attach: (pid) => cg.attach(id, pid) });

  it('writes the limits, runs the first process inside the cgroup, reports usage, and destroy removes it', async () => {
    cg.create('c1', { cpus: 0.5, memBytes: 64 * MB });
    const c = launch('c1', 'sleep 30 & wait');
    const membership = readFileSync(`/proc/${c.pid}/cgroup`, 'utf8');
    for (const dir of containerDirs(cg.layout, ROOT, 'c1')) expect(readFileSync(`${dir}/cgroup.procs`, 'utf8')).toContain(String(c.pid));
    expect(membership).toContain(`/${ROOT}/c1`);
    if (cg.layout.version === 1) {
      expect(readFileSync(`${cg.layout.mounts.cpu}/${ROOT}/c1/cpu.shares`, 'utf8').trim()).toBe('512');
      expect(readFileSync(`${cg.layout.mounts.cpu}/${ROOT}/c1/cpu.cfs_quota_us`, 'utf8').trim()).toBe('50000');
      expect(readFileSync(`${cg.layout.mounts.memory}/${ROOT}/c1/memory.limit_in_bytes`, 'utf8').trim()).toBe(String(64 * MB));
    }
    // The sleep forked after the gate opened: it is in the cgroup too.
    await new Promise((r) => setTimeout(r, 100));
    const usage = cg.usage('c1');
    expect(usage?.processes).toBe(2);
    expect(usage?.memLimitBytes).toBe(64 * MB);
    expect(cg.list()).toContain('c1');
    expect(cg.memoryLimitation('c1')).toBeUndefined();
    await cg.destroy('c1');
    expect((await c.exited).message).toBe('terminated by SIGKILL');
    for (const dir of containerDirs(cg.layout, ROOT, 'c1')) expect(existsSync(dir)).toBe(false);
  });

  it('an allocation over the memory limit is OOM-killed and reported as a memory limitation', async () => {
    cg.create('c2', { cpus: 0.1, memBytes: 32 * MB });
    const c = launch('c2', 'dd if=/dev/zero of=/dev/null bs=200M count=1');
    const t = await c.exited;
    expect(t.status).toBe(137 << 8); // sh reports its dd child killed by SIGKILL
    const limitation = cg.memoryLimitation('c2');
    expect(limitation?.limitBytes).toBe(32 * MB);
    expect(limitation?.message).toMatch(/^Memory limit exceeded: Requested: 32MB Maximum Used: \d+(MB|KB|B)\n\nMEMORY STATISTICS: \n/);
    await cg.destroy('c2');
    expect(cg.exists('c2')).toBe(false);
  });

  it('a process that cannot be attached is killed before it runs, and the launch throws', async () => {
    expect(() => launch('never-created', 'touch ran')).toThrow(/ENOENT/);
    // SIGKILL is delivered asynchronously: give the kernel a moment to end the process, at most 2 s.
    for (let waited = 0; pidsWithEnv(CONTAINER_ENV, 'never-created').length > 0 && waited < 2_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    expect(pidsWithEnv(CONTAINER_ENV, 'never-created')).toEqual([]);
    expect(existsSync(path.join(sandbox, 'ran'))).toBe(false);
  });
});
