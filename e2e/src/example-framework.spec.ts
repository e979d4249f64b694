// Issue 7's example framework on the real master (in-process, real HTTP) with the master's fake agent
// (which checkpoints reservations and volumes the master sends it): N copies with volumes survive a
// scheduler restart (failover with the stored framework id) and an agent restart, and a failed copy comes
// back on its own volume. The fast, process-free variant of example-embedded.spec.ts (real agents, real
// tasks): it pins the exact operations the framework sends, which the real-agent scenario checks loosely.
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FileStateStore, loadFrameworkId } from '@mesos-ts/framework-kit';
import { parseFlags, startMaster, type RunningMaster } from '@mesos-ts/master';
import { FakeAgent } from '@mesos-ts/master/testing';
import { VolumeCopies, type VolumeCopiesOptions } from './example/volume-copies.js';
import { waitUntil } from './harness/daemons.js';
import { cleanupsAfterEach } from './harness/fixtures.js';

const cleanups = cleanupsAfterEach();

const until = (probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> => waitUntil(probe, timeoutMs, what);

describe('example framework: N copies of a command with a volume', () => {
  it('keeps its tasks through scheduler and agent restarts and reuses its volumes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'copies-e2e-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const parsed = parseFlags(['--port=0', `--work_dir=${path.join(dir, 'master')}`, '--allocation_interval=50ms']);
    if (parsed.help) throw new Error('unexpected --help');
    const running: RunningMaster = await startMaster(parsed.flags);
    cleanups.push(() => running.stop());
    const agent = new FakeAgent({ master: running.url, hostname: 'agent-1', resources: 'cpus:4;mem:4096;disk:2000;ports:[31000-31010]' });
    cleanups.push(() => agent.close());
    await agent.connect();

    const options: VolumeCopiesOptions = {
      master: `127.0.0.1:${running.port}`,
      name: 'copies',
      copies: 2,
      command: 'sleep 1000',
      role: 'copies',
      principal: 'copies-principal',
      cpus: 0.5,
      mem: 128,
      volumeMb: 100,
      store: new FileStateStore(path.join(dir, 'copies.json')),
    };
    const first = await VolumeCopies.start(options);
    cleanups.push(() => first.stop());
    await until(() => Object.values(first.running()).filter((s) => s === 'TASK_RUNNING').length === 2, 'two running copies');
    expect(first.accepted.map((a) => a.operations.map((o) => o.type))).toEqual([['RESERVE', 'CREATE', 'RESERVE', 'CREATE', 'LAUNCH']]);
    const volumes = (): string[] => agent.checkpointed.flatMap((r) => (r.disk?.persistence ? [r.disk.persistence.id] : [])).sort();
    expect(volumes()).toEqual(['copies-0', 'copies-1']);
    const frameworkId = first.client.frameworkId!;
    expect(await loadFrameworkId(options.store)).toBe(frameworkId);
    const tasksBefore = [...agent.tasks.keys()].sort();

    // Scheduler restart: a new instance fails over with the stored id and launches nothing new.
    await first.stop();
    const second = await VolumeCopies.start(options);
    cleanups.push(() => second.stop());
    await until(() => second.client.subscribed && second.client.tasks.unconfirmed().length === 0, 'reconciliation after failover');
    expect(second.client.frameworkId).toBe(frameworkId);
    expect(second.running()).toEqual({ 0: 'TASK_RUNNING', 1: 'TASK_RUNNING' });

    // Agent restart: it re-registers with its tasks; nothing is relaunched.
    agent.disconnect();
    await agent.connect();
    await new Promise((r) => setTimeout(r, 300));
    expect([...agent.tasks.keys()].sort()).toEqual(tasksBefore);
    expect(second.accepted).toEqual([]);

    // A copy fails: it comes back on its own volume, without creating a new one.
    const failed = tasksBefore.find((id) => id.startsWith('copy-0.'))!;
    await agent.update(frameworkId, failed, 'TASK_FAILED');
    await until(() => second.accepted.length === 1 && second.running()['0'] === 'TASK_RUNNING', 'copy 0 relaunched');
    const relaunch = second.accepted[0]!.operations;
    expect(relaunch.map((o) => o.type)).toEqual(['LAUNCH']);
    const task = relaunch[0]!.launch!.task_infos![0]!;
    expect(task.resources?.find((r) => r.disk?.persistence)?.disk?.persistence?.id).toBe('copies-0');
    expect(volumes()).toEqual(['copies-0', 'copies-1']);
  }, 40_000);
});
