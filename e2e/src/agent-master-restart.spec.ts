// Status updates across a master restart with real daemons: the master (file registry) is killed with -9
// while a checkpointed task runs; the task finishes while the master is down; the master restarts on the
// same port and work_dir, the agent re-registers, the scheduler re-subscribes with its framework id, and the
// update held by the agent is delivered and acknowledged.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestScheduler } from '@mesos-ts/master/testing';
import { autoAcknowledge, Cluster, commandTask, launch, sandboxOf, terminal, waitUntil } from './harness/daemons.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The agent's count of acknowledged status updates (its /metrics/snapshot). */
async function agentAcks(address: string): Promise<number> {
  const snapshot = (await (await fetch(`http://${address}/metrics/snapshot`)).json()) as Record<string, number>;
  return snapshot['slave/status_updates_acknowledged'] ?? -1;
}

const registrations = (log: string): number => log.split('"msg":"registered with master"').length - 1;

describe('status updates across a master restart', () => {
  it('an update made while the master is down is delivered and acknowledged after it restarts', async () => {
    const cluster = new Cluster();
    cleanups.push(() => cluster.stop());
    await cluster.startMaster();
    const agent = await cluster.startAgent();
    const s = new TestScheduler(cluster.masterUrl);
    cleanups.push(() => s.close());
    expect((await s.subscribe({ name: 'e2e-restart', checkpoint: true, failover_timeout: 3600 })).type).toBe('SUBSCRIBED');
    const frameworkId = s.frameworkId!;
    const acks = autoAcknowledge(s);
    cleanups.push(() => acks.stop());

    const [offer] = await s.nextOffers(10_000);
    await launch(s, offer!, [commandTask('gated', offer!, 'while [ ! -f go ]; do sleep 0.1; done; echo done')]);
    const running = await s.update('gated', 'TASK_RUNNING', 10_000);
    await waitUntil(async () => (await agentAcks(agent.address)) >= 2, 5_000, 'TASK_STARTING and TASK_RUNNING to be acknowledged at the agent');
    const acksBefore = await agentAcks(agent.address);

    // Master down: the task finishes and the agent holds TASK_FINISHED.
    const port = Number(cluster.master!.address.split(':')[1]);
    await cluster.master!.kill9();
    await waitUntil(() => s.ended, 5_000, 'the scheduler stream to end with the master');
    writeFileSync(path.join(sandboxOf(cluster.agentDir('agent-1'), running.agent_id!.value, frameworkId, 'gated'), 'go'), '');
    await waitUntil(() => cluster.taskPids('go').length === 0, 5_000, 'the task to end while the master is down');

    const restarted = await cluster.startMaster(port);
    expect(restarted.address).toBe(`127.0.0.1:${port}`);
    await waitUntil(() => registrations(agent.log()) >= 2, 15_000, 'the agent to re-register with the restarted master');

    const sub = await s.subscribe({ name: 'e2e-restart', checkpoint: true, failover_timeout: 3600 }, frameworkId);
    expect(sub.type).toBe('SUBSCRIBED');
    expect(sub.subscribed?.framework_id.value).toBe(frameworkId);
    // The agent re-sends TASK_FINISHED when it re-registers; if that lands before the framework re-subscribed,
    // its status-update retry (10 s, as upstream) brings it again: allow for one retry.
    const finished = await terminal(s, 'gated', 15_000);
    expect({ state: finished.state, message: finished.message }).toEqual({ state: 'TASK_FINISHED', message: 'Command exited with status 0' });
    await waitUntil(async () => (await agentAcks(agent.address)) > acksBefore, 10_000, 'the agent to receive the acknowledgement of TASK_FINISHED');
  }, 45_000);
});
