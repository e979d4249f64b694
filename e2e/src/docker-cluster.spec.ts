// The compose cluster (docker/compose.yaml) driven by testcontainers from the locally built images: ZooKeeper
// (the suite's real one, on the host), three mesos-master containers (--zk, --quorum=2) and two mesos-agent
// containers on host networking. A framework runs one task per agent; killing the leading master's container
// makes another master lead with both tasks still running; stopping one agent's container loses no task on
// the other. Every container is removed afterwards (no Ryuk: the harness removes its own).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestScheduler } from '@mesos-ts/master/testing';
import type { v1 } from '@mesos-ts/proto';
import { autoAcknowledge, commandTask, freePort, launch, waitUntil } from './harness/daemons.js';
import { containerNames, ensureBaseImage, ensureDocker, stopDockerdIfStarted } from './harness/docker.js';
import { zooKeeperForFile } from './harness/fixtures.js';

const skipReason = await ensureDocker();
const PREFIX = `mesos-ts-e2e-${process.pid}-`;
const zk = zooKeeperForFile();

type Cluster = typeof import('./harness/docker-cluster.js');
let dc: Cluster;
const masters: Array<{ port: number; role: Awaited<ReturnType<Cluster['startRole']>> }> = [];
const agents: Array<Awaited<ReturnType<Cluster['startRole']>>> = [];

async function elected(port: number): Promise<number | undefined> {
  const r = await fetch(`http://127.0.0.1:${port}/metrics/snapshot`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
  if (r?.status !== 200) return undefined;
  return ((await r.json()) as Record<string, number>)['master/elected'];
}

async function leaderOf(ports: readonly number[]): Promise<number> {
  let leader = 0;
  await waitUntil(async () => {
    const flags = await Promise.all(ports.map(elected));
    const leaders = ports.filter((_, i) => flags[i] === 1);
    leader = leaders.length === 1 ? leaders[0]! : 0;
    return leader !== 0;
  }, 60_000, 'exactly one elected master');
  return leader;
}

interface StateTask { id: string; state: string; slave_id: string }
async function tasksOn(port: number): Promise<StateTask[]> {
  const r = await fetch(`http://127.0.0.1:${port}/master/state`, { signal: AbortSignal.timeout(5_000) });
  const s = (await r.json()) as { frameworks: Array<{ tasks: StateTask[] }> };
  return s.frameworks.flatMap((f) => f.tasks);
}

describe.skipIf(skipReason !== undefined)(`compose cluster in containers${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    ensureBaseImage();
    dc = await import('./harness/docker-cluster.js');
    dc.ensureRuntimeImage();
    const url = `zk://${zk.server.connect}/mesos-compose`;
    const ports = [await freePort(), await freePort(), await freePort()];
    const started = await Promise.all(
      ports.map((port, i) => dc.startRole(PREFIX, `master-${i + 1}`, 'packages/master', 'mesos-master', [`--zk=${url}`, '--quorum=2', '--ip=127.0.0.1', `--port=${port}`, '--zk_session_timeout=2secs', '--allocation_interval=50ms', `--work_dir=/tmp/master`], /mesos-master is serving/)),
    );
    started.forEach((role, i) => masters.push({ port: ports[i]!, role }));
    for (const i of [1, 2]) {
      agents.push(
        await dc.startRole(PREFIX, `agent-${i}`, 'packages/agent', 'mesos-agent', [`--master=${url}`, '--ip=127.0.0.1', `--port=${await freePort()}`, '--work_dir=/tmp/agent', `--hostname=agent-${i}`, '--resources=cpus:2;mem:1024;disk:1024', '--registration_backoff_factor=100ms', '--switch_user=false', '--command_executor=inline'], /agent started/),
      );
    }
  }, 900_000);

  afterAll(async () => {
    dc?.removeContainers(PREFIX);
    const left = containerNames(PREFIX);
    await stopDockerdIfStarted();
    expect(left).toEqual([]);
  }, 120_000);

  it('a leading master killed: another leads, tasks keep running; an agent stopped: no task lost on the other', async () => {
    const ports = masters.map((m) => m.port);
    const first = await leaderOf(ports);
    const info = { name: 'e2e-compose', checkpoint: true, failover_timeout: 3600 };
    let s = new TestScheduler(`http://127.0.0.1:${first}`);
    const sub = await s.subscribe(info);
    expect(sub.type).toBe('SUBSCRIBED');
    const frameworkId = sub.subscribed!.framework_id.value;
    let acks = autoAcknowledge(s);
    // One long task per agent, each on the first offer of its agent.
    const placed = new Map<string, string>();
    while (placed.size < 2) {
      for (const offer of await s.nextOffers(60_000)) {
        if ([...placed.values()].includes(offer.agent_id.value)) continue;
        const id = `long-${placed.size + 1}`;
        await launch(s, offer, [commandTask(id, offer, 'while true; do sleep 0.2; done')]);
        placed.set(id, offer.agent_id.value);
      }
    }
    for (const id of placed.keys()) await s.update(id, 'TASK_RUNNING', 60_000);

    // Kill the leader's container: one of the two others is elected, and learns both tasks from the agents.
    const killed = masters.find((m) => m.port === first)!;
    await killed.role.kill();
    const rest = ports.filter((p) => p !== first);
    const second = await leaderOf(rest);
    expect(second).not.toBe(first);
    acks.stop();
    s.close();
    s = new TestScheduler(`http://127.0.0.1:${second}`);
    await waitUntil(async () => (await s.subscribe({ ...info, id: { value: frameworkId } }, frameworkId).catch(() => undefined))?.type === 'SUBSCRIBED', 60_000, 'the framework to resubscribe with the new leader');
    acks = autoAcknowledge(s);
    await waitUntil(async () => (await tasksOn(second)).filter((t) => t.state === 'TASK_RUNNING').length === 2, 60_000, 'both tasks running under the new leader');

    // Stop agent-2's container: its task goes, agent-1's task stays RUNNING.
    const agent2Id = (await tasksOn(second)).find((t) => t.id === 'long-2')?.slave_id;
    const onAgent2 = [...placed.entries()].filter(([, a]) => a === agent2Id).map(([id]) => id);
    const survivor = [...placed.keys()].find((id) => !onAgent2.includes(id))!;
    const stopped = agents.find((a) => a.name.endsWith('agent-2'))!;
    await stopped.kill();
    await new Promise((r) => setTimeout(r, 5_000));
    const after = await tasksOn(second);
    expect(after.find((t) => t.id === survivor)?.state).toBe('TASK_RUNNING');
    const lost = s.events.filter((e) => e.type === 'UPDATE' && e.update!.status.task_id.value === survivor && e.update!.status.state !== 'TASK_RUNNING');
    expect(lost.map((e) => (e.update!.status as v1.TaskStatus).state)).toEqual([]);
    acks.stop();
    await s.call({ type: 'TEARDOWN' });
    s.close();
  }, 240_000);
});
