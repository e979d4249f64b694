// kill -9 of a real mesos-master process with a file registry, then a restart on the same port: the agent
// re-registers with its tasks, the framework re-subscribes with its id, and reconciliation reports every
// running task. Also: the binary's --help and flag errors.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { FakeAgent } from '../src/testing/fake-agent.js';
import { TestScheduler } from '../src/testing/test-scheduler.js';
import { onCleanup } from './harness.js';

const BIN = join(import.meta.dirname, '../src/bin/mesos-master.ts');
const NODE_ARGS = ['--conditions=@mesos-ts/source', '--import', 'tsx', BIN];

function startProcess(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  onCleanup(() => void child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`master did not start: ${err}`)), 10_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      for (const line of err.split('\n')) {
        if (!line.includes('mesos-master is serving')) continue;
        clearTimeout(timer);
        resolve({ child, url: (JSON.parse(line) as { url: string }).url });
        return;
      }
    });
    child.on('exit', (code) => reject(new Error(`master exited with ${code}: ${err}`)));
  });
}

describe('mesos-master binary', () => {
  it('prints --help and exits 0; rejects a bad flag with exit 2 and a message', () => {
    const help = spawnSync(process.execPath, [...NODE_ARGS, '--help'], { encoding: 'utf8', timeout: 10_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--agent_ping_timeout=VALUE');
    const bad = spawnSync(process.execPath, [...NODE_ARGS, '--port=x', '--registry=in_memory'], { encoding: 'utf8', timeout: 10_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("flag '--port' must be a non-negative integer");
  });

  it('recovers after kill -9: agents re-register, frameworks re-subscribe, reconciliation is complete', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'master-restart-'));
    onCleanup(() => rmSync(workDir, { recursive: true, force: true }));
    const first = await startProcess([`--work_dir=${workDir}`, '--port=0', '--allocation_interval=50ms', '--logging_level=INFO']);
    const port = new URL(first.url).port;

    const agent = new FakeAgent({ master: first.url });
    onCleanup(() => agent.close());
    await agent.connect();
    const s = new TestScheduler(first.url);
    onCleanup(() => s.close());
    await s.subscribe({ failover_timeout: 3600, checkpoint: true, capabilities: [{ type: 'PARTITION_AWARE' }] });
    const frameworkId = s.frameworkId as string;
    const [offer] = await s.nextOffers();
    const ids = ['a', 'b', 'c'];
    await s.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [(offer as v1.Offer).id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: ids.map((id) => ({ name: id, task_id: { value: id }, agent_id: { value: agent.id as string }, command: { value: 'sleep' }, resources: Resources.parse('cpus:0.5;mem:64').toProto() })) } }],
      },
    });
    for (const id of ids) await s.update(id, 'TASK_RUNNING');

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const second = await startProcess([`--work_dir=${workDir}`, `--port=${port}`, '--allocation_interval=50ms']);

    await agent.connect(); // REREGISTER with its three tasks
    const again = new TestScheduler(second.url);
    onCleanup(() => again.close());
    const sub = await again.subscribe({ failover_timeout: 3600, checkpoint: true, capabilities: [{ type: 'PARTITION_AWARE' }] }, frameworkId);
    expect(sub.type).toBe('SUBSCRIBED');
    expect(sub.subscribed?.framework_id.value).toBe(frameworkId);
    await again.call({ type: 'RECONCILE', reconcile: {} });
    const answers = new Map<string, string>();
    await again.waitFor(() => {
      for (const e of again.events) if (e.update?.status.reason === 'REASON_RECONCILIATION') answers.set(e.update.status.task_id.value, e.update.status.state);
      return answers.size === 3;
    });
    expect(Object.fromEntries(answers)).toEqual({ a: 'TASK_RUNNING', b: 'TASK_RUNNING', c: 'TASK_RUNNING' });
    // Offers resume for what the tasks do not use.
    const [fresh] = await again.nextOffers();
    expect(Resources.fromProto(fresh?.resources ?? []).scalar('cpus')).toBeCloseTo(2.5);
  });
});
