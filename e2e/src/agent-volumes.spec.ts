// Persistent volumes and agent recovery with real daemons: RESERVE + CREATE through offer operations, one task
// writes the volume and ends, the next task on the same volume reads it; then a checkpointed task keeps
// running through a kill -9 of the agent and a restart on the same work_dir, with its volume data intact.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestScheduler } from '@mesos-ts/master/testing';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { alive, Cluster, commandTask, launch, sandboxOf, terminal, waitUntil, startSubscribedCluster, type SubscribedCluster } from './harness/daemons.js';

let started: SubscribedCluster;
let cluster: Cluster;
let s: TestScheduler;

beforeEach(async () => {
  started = await startSubscribedCluster({ name: 'e2e-volumes', role: 'db', principal: 'ops' });
  ({ cluster, s } = started);
});

afterEach(async () => {
  await started.stop();
});

const reservation = [{ type: 'DYNAMIC' as const, role: 'db', principal: 'ops' }];
const reserved = (text: string): v1.Resource[] => Resources.parse(text).toProto().map((r) => ({ ...r, reservations: reservation }));
const volume: v1.Resource = { ...(reserved('disk:100')[0] as v1.Resource), disk: { persistence: { id: 'vol1', principal: 'ops' }, volume: { container_path: 'data', mode: 'RW' } } };

/** Reserves disk and creates the volume; resolves with the next offer, which must hold the volume. */
async function createVolume(): Promise<v1.Offer> {
  const [offer] = await s.nextOffers(10_000);
  const r = await s.call({
    type: 'ACCEPT',
    accept: { offer_ids: [offer!.id], operations: [{ type: 'RESERVE', reserve: { resources: reserved('disk:100') } }, { type: 'CREATE', create: { volumes: [volume] } }], filters: { refuse_seconds: 0 } },
  });
  expect(r.status).toBe(202);
  return volumeOffer();
}

/** A task holding the volume (mounted at <sandbox>/data). */
function volumeTask(id: string, offer: v1.Offer, command: string): v1.TaskInfo {
  const task = commandTask(id, offer, command);
  task.resources = [...(task.resources ?? []), volume];
  return task;
}

describe('persistent volumes and agent recovery', () => {
  it('a volume written by one task is read by the next task on it', async () => {
    const offer = await createVolume();
    await launch(s, offer, [volumeTask('writer', offer, 'echo persisted > data/file')]);
    expect((await s.update('writer', 'TASK_FINISHED', 10_000)).message).toBe('Command exited with status 0');
    const again = await volumeOffer();
    await launch(s, again, [volumeTask('reader', again, 'test "$(cat data/file)" = persisted')]);
    expect((await s.update('reader', 'TASK_FINISHED', 10_000)).message).toBe('Command exited with status 0');
  });

  it('a checkpointed task survives kill -9 of the agent; after restart on the same work_dir it is RUNNING with its volume intact', async () => {
    const offer = await createVolume();
    const script = 'echo before-crash > data/state; while [ ! -f data/go ]; do sleep 0.1; done; cat data/state > data/done';
    await launch(s, offer, [volumeTask('survivor', offer, script)]);
    const running = await s.update('survivor', 'TASK_RUNNING', 10_000);
    const agentId = running.agent_id!.value;
    const volumeDir = path.join(cluster.agentDir('agent-1'), 'volumes', 'roles', 'db', 'vol1');
    await waitUntil(() => cluster.taskPids('data/go').length > 0, 5_000, 'the task shell');
    const pids = cluster.taskPids('data/go');

    await cluster.agents[0]!.kill9();
    expect(pids.every(alive)).toBe(true);
    const restarted = await cluster.startAgent('agent-1');
    await waitUntil(() => restarted.log().includes('registered with master'), 10_000, 'the restarted agent to re-register');

    const from = s.events.length;
    const r = await s.call({ type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 'survivor' }, agent_id: { value: agentId } }] } });
    expect(r.status).toBe(202);
    const reconciled = await s.waitFor((e) => e.type === 'UPDATE' && e.update?.status.task_id.value === 'survivor' && e.update.status.reason === 'REASON_RECONCILIATION', 5_000, from);
    expect(reconciled.update?.status.state).toBe('TASK_RUNNING');
    expect(pids.every(alive)).toBe(true);
    expect(readFileSync(path.join(volumeDir, 'state'), 'utf8')).toBe('before-crash\n');

    // The re-attached task still sees the volume and ends normally, reported through the new agent.
    const sandbox = sandboxOf(cluster.agentDir('agent-1'), agentId, s.frameworkId!, 'survivor');
    expect(readFileSync(path.join(sandbox, 'data', 'state'), 'utf8')).toBe('before-crash\n');
    writeFileSync(path.join(volumeDir, 'go'), '');
    const ended = await terminal(s, 'survivor');
    expect({ state: ended.state, message: ended.message }).toEqual({ state: 'TASK_FINISHED', message: 'Command exited with status 0' });
    expect(readFileSync(path.join(volumeDir, 'done'), 'utf8')).toBe('before-crash\n');
  });
});

/** The next offer that holds the volume (declining others), e.g. once the previous task released it. */
async function volumeOffer(): Promise<v1.Offer> {
  for (;;) {
    const [next] = await s.nextOffers(10_000);
    if ((next?.resources ?? []).some((x) => x.disk?.persistence?.id === 'vol1')) return next!;
    await s.call({ type: 'DECLINE', decline: { offer_ids: [next!.id], filters: { refuse_seconds: 0 } } });
  }
}
