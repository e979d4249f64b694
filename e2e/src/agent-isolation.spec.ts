// Isolation with a real mesos-master and mesos-agent: --isolation=cgroups/cpu,cgroups/mem,filesystem/linux
// as root on this host. A task over its memory limit is OOM-killed and ends TASK_FAILED with the memory
// limitation; a running task's cgroup carries its cpu shares and memory limit and is gone after it ends; a
// task holding gpus sees CUDA_VISIBLE_DEVICES (the agent only assigns indices: no GPU is needed); a
// bind-mounted volume keeps data across tasks and sandbox GC never touches it. Needs root, writable cgroup
// hierarchies and mount(8); skipped (saying why) where the host lacks them.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CgroupsIsolator } from '@mesos-ts/agent';
import { bindMountProblem, mountPoints } from '@mesos-ts/agent/testing';
import { TestScheduler } from '@mesos-ts/master/testing';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { autoAcknowledge, Cluster, commandTask, launch, sandboxOf, terminal, waitUntil } from './harness/daemons.js';

const ROOT = `mesos-e2e-${process.pid}-${Date.now().toString(36)}`;

/** Why this host cannot run these tests (undefined when it can): cgroups as the agent checks them, and mount --bind. */
function isolationProblem(): string | undefined {
  const cg = CgroupsIsolator.open({ wanted: new Set(['cpu', 'mem']), root: ROOT, enableCfs: false });
  if ('problem' in cg) return `no cgroups: ${cg.problem}`;
  cg.close();
  return bindMountProblem();
}

const problem = isolationProblem();

let cluster: Cluster;
let s: TestScheduler;
let acks: { stop(): void };
let cgroups: CgroupsIsolator;

describe.skipIf(problem !== undefined)(`agent isolation: cgroups, GPUs, bind-mounted volumes${problem ? ` (skipped: ${problem})` : ''}`, () => {
  beforeEach(async () => {
    const cg = CgroupsIsolator.open({ wanted: new Set(['cpu', 'mem']), root: ROOT, enableCfs: false });
    if ('problem' in cg) throw new Error(cg.problem);
    cgroups = cg;
    cluster = new Cluster();
    await cluster.startMaster();
    await cluster.startAgent('agent-1', [
      '--isolation=posix/cpu,cgroups/cpu,cgroups/mem,filesystem/linux',
      `--cgroups_root=${ROOT}`,
      '--resources=cpus:2;mem:1024;disk:1024;gpus:2',
      '--nvidia_gpu_devices=0,1',
      '--gc_delay=1secs',
    ]);
    s = new TestScheduler(cluster.masterUrl);
    const sub = await s.subscribe({ name: 'e2e-isolation', checkpoint: true, role: 'db', principal: 'ops', capabilities: [{ type: 'GPU_RESOURCES' }] });
    expect(sub.type).toBe('SUBSCRIBED');
    acks = autoAcknowledge(s);
  });

  afterEach(async () => {
    acks.stop();
    s.close();
    // kill -9 the agent, then empty and remove every container cgroup and unmount volumes it left behind.
    for (const a of cluster.agents) await a.kill9();
    for (const id of cgroups.list()) await cgroups.destroy(id);
    cgroups.close();
    for (const mp of mountPoints(cluster.dir)) execFileSync('umount', ['-l', mp]);
    await cluster.stop();
  });

  it('a task with mem:32 allocating 200 MB ends TASK_FAILED with REASON_CONTAINER_LIMITATION_MEMORY', async () => {
    const [offer] = await s.nextOffers(10_000);
    await launch(s, offer!, [commandTask('hog', offer!, 'dd if=/dev/zero of=/dev/null bs=200M count=1', 'cpus:0.1;mem:32')]);
    const st = await terminal(s, 'hog', 15_000);
    expect({ state: st.state, reason: st.reason, source: st.source }).toEqual({ state: 'TASK_FAILED', reason: 'REASON_CONTAINER_LIMITATION_MEMORY', source: 'SOURCE_AGENT' });
    expect(st.message).toMatch(/^Memory limit exceeded: Requested: 32MB Maximum Used: \d+(MB|KB|B)\n\nMEMORY STATISTICS: \n/);
    expect(st.limitation?.resources).toEqual([{ name: 'mem', type: 'SCALAR', scalar: { value: 32 } }]);
    await waitUntil(() => cgroups.list().length === 0, 5_000, "the OOM-killed container's cgroup to be removed");
  });

  it("a running task's cgroup has its cpu shares and memory limit, /monitor/statistics reads it, and it is gone after the task", async () => {
    const [offer] = await s.nextOffers(10_000);
    await launch(s, offer!, [commandTask('sleeper', offer!, 'sleep 60', 'cpus:0.5;mem:64')]);
    await s.update('sleeper', 'TASK_RUNNING', 10_000);
    const [id] = cgroups.list();
    expect(id).toBeDefined();
    if (cgroups.layout.version === 1) {
      expect(readFileSync(`${cgroups.layout.mounts.cpu}/${ROOT}/${id}/cpu.shares`, 'utf8').trim()).toBe('512');
      expect(readFileSync(`${cgroups.layout.mounts.memory}/${ROOT}/${id}/memory.limit_in_bytes`, 'utf8').trim()).toBe(String(64 * 1024 * 1024));
    } else {
      expect(readFileSync(`${cgroups.layout.mount}/${ROOT}/${id}/cpu.weight`, 'utf8').trim()).toBe('20');
      expect(readFileSync(`${cgroups.layout.mount}/${ROOT}/${id}/memory.max`, 'utf8').trim()).toBe(String(64 * 1024 * 1024));
    }
    const pids = cluster.taskPids('sleep 60');
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(readFileSync(`/proc/${pid}/cgroup`, 'utf8')).toContain(`/${ROOT}/${id}`);

    const stats = (await (await fetch(`http://${cluster.agents[0]!.address}/monitor/statistics`)).json()) as Array<{ statistics: Record<string, number> }>;
    expect(stats).toHaveLength(1);
    expect(stats[0]!.statistics).toMatchObject({ cpus_limit: 0.5, mem_limit_bytes: 64 * 1024 * 1024 });
    expect(stats[0]!.statistics.mem_rss_bytes).toBeGreaterThan(0);
    expect(stats[0]!.statistics.processes).toBeGreaterThan(0);

    const r = await s.call({ type: 'KILL', kill: { task_id: { value: 'sleeper' }, agent_id: offer!.agent_id } });
    expect(r.status).toBe(202);
    expect((await terminal(s, 'sleeper', 15_000)).state).toBe('TASK_KILLED');
    await waitUntil(() => cgroups.list().length === 0, 5_000, "the killed container's cgroup to be removed");
  });

  it('a task holding gpus sees CUDA_VISIBLE_DEVICES (device indices only: no GPU on this host); others do not', async () => {
    const [offer] = await s.nextOffers(10_000);
    await launch(s, offer!, [
      commandTask('gpu-task', offer!, 'test "$CUDA_VISIBLE_DEVICES" = 0,1', 'cpus:0.1;mem:32;gpus:2'),
      commandTask('cpu-task', offer!, 'test -z "${CUDA_VISIBLE_DEVICES+set}"', 'cpus:0.1;mem:32'),
    ]);
    for (const id of ['gpu-task', 'cpu-task']) {
      const st = await terminal(s, id, 15_000);
      expect({ id, state: st.state, message: st.message }).toEqual({ id, state: 'TASK_FINISHED', message: 'Command exited with status 0' });
    }
  });

  it('a bind-mounted volume keeps data across tasks, is unmounted after each, and sandbox GC leaves its data alone', async () => {
    const reservation = [{ type: 'DYNAMIC' as const, role: 'db', principal: 'ops' }];
    const reserved = (text: string): v1.Resource[] => Resources.parse(text).toProto().map((r) => ({ ...r, reservations: reservation }));
    const volume: v1.Resource = { ...(reserved('disk:100')[0] as v1.Resource), disk: { persistence: { id: 'vol1', principal: 'ops' }, volume: { container_path: 'data', mode: 'RW' } } };
    const volumeTask = (id: string, o: v1.Offer, command: string): v1.TaskInfo => {
      const t = commandTask(id, o, command);
      t.resources = [...(t.resources ?? []), volume];
      return t;
    };
    const volumeOffer = async (): Promise<v1.Offer> => {
      for (;;) {
        const [next] = await s.nextOffers(10_000);
        if ((next?.resources ?? []).some((x) => x.disk?.persistence?.id === 'vol1')) return next!;
        await s.call({ type: 'DECLINE', decline: { offer_ids: [next!.id], filters: { refuse_seconds: 0 } } });
      }
    };
    const [offer] = await s.nextOffers(10_000);
    const created = await s.call({
      type: 'ACCEPT',
      accept: { offer_ids: [offer!.id], operations: [{ type: 'RESERVE', reserve: { resources: reserved('disk:100') } }, { type: 'CREATE', create: { volumes: [volume] } }], filters: { refuse_seconds: 0 } },
    });
    expect(created.status).toBe(202);

    // The writer checks that data/ is a mount point inside its sandbox (not a symlink) and writes to it.
    const first = await volumeOffer();
    await launch(s, first, [volumeTask('writer', first, 'test ! -L data && grep -q " $MESOS_SANDBOX/data " /proc/self/mountinfo && echo persisted > data/file')]);
    const wrote = await terminal(s, 'writer', 15_000);
    expect({ state: wrote.state, message: wrote.message }).toEqual({ state: 'TASK_FINISHED', message: 'Command exited with status 0' });
    const agentDir = cluster.agentDir('agent-1');
    const volumeDir = path.join(agentDir, 'volumes', 'roles', 'db', 'vol1');
    const writerSandbox = path.join(path.dirname(sandboxOf(agentDir, wrote.agent_id!.value, s.frameworkId!, 'writer')), readdirSync(path.dirname(sandboxOf(agentDir, wrote.agent_id!.value, s.frameworkId!, 'writer'))).find((n) => n !== 'latest')!);
    await waitUntil(() => mountPoints(writerSandbox).length === 0, 5_000, "the writer's volume mount to go");

    const second = await volumeOffer();
    await launch(s, second, [volumeTask('reader', second, 'test "$(cat data/file)" = persisted')]);
    const read = await terminal(s, 'reader', 15_000);
    expect({ state: read.state, message: read.message }).toEqual({ state: 'TASK_FINISHED', message: 'Command exited with status 0' });

    // --gc_delay=1secs: both sandboxes are collected; the volume's data stays.
    await waitUntil(() => !existsSync(writerSandbox), 10_000, "the writer's sandbox to be garbage collected");
    expect(readFileSync(path.join(volumeDir, 'file'), 'utf8')).toBe('persisted\n');
    expect(mountPoints(agentDir)).toEqual([]);
  });
});
