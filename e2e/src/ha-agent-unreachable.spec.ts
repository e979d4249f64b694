// After a leader change, an agent that never re-registers is marked unreachable by the new leader once
// --agent_reregister_timeout passes, as upstream: until then GET_AGENTS lists it under recovered_agents (and
// reconciling its task gets no answer: its state is not known yet), afterwards it is in neither list, and a
// partition-aware framework reconciling its task gets TASK_UNREACHABLE, while the task on the agent that
// came back stays TASK_RUNNING. Real masters (default HA flags, a 3 s re-register timeout), agents, ZooKeeper.
import { describe, expect, it } from 'vitest';
import os from 'node:os';
import type { v1 } from '@mesos-ts/proto';
import { SchedulerClient } from '@mesos-ts/scheduler';
import { Cluster, commandTask, waitUntil, type Daemon } from './harness/daemons.js';
import { cleanupsAfterEach, zooKeeperForFile } from './harness/fixtures.js';
import { spawnBin, startMasters, waitForLeader, type HaMaster } from './ha-masters.js';

const REREGISTER_TIMEOUT_MS = 3_000;
const zkFile = zooKeeperForFile({ tickTimeMs: 500 });
const cleanups = cleanupsAfterEach();

interface GetAgents {
  agents?: { agent_info: { id: { value: string } } }[];
  recovered_agents?: { id: { value: string } }[];
}

async function getAgents(m: HaMaster): Promise<{ agents: string[]; recovered: string[] }> {
  const r = await fetch(`http://127.0.0.1:${m.port}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: '{"type":"GET_AGENTS"}', signal: AbortSignal.timeout(5_000) });
  if (r.status !== 200) throw new Error(`GET_AGENTS answered ${r.status}: ${await r.text()}`);
  const body = ((await r.json()) as { get_agents: GetAgents }).get_agents;
  return { agents: (body.agents ?? []).map((a) => a.agent_info.id.value).sort(), recovered: (body.recovered_agents ?? []).map((a) => a.id.value).sort() };
}

describe('agents that do not re-register after a failover', () => {
  it('are recovered agents until --agent_reregister_timeout, then unreachable (TASK_UNREACHABLE on reconciliation)', async () => {
    const url = `zk://${zkFile.server.connect}/mesos-unreachable-${process.pid}`;
    const masters = await startMasters(url, 2, [`--agent_reregister_timeout=${REREGISTER_TIMEOUT_MS}ms`], ['--allocation_interval=50ms']);
    cleanups.push(async () => {
      for (const m of masters) await m.kill9();
    });
    const cluster = new Cluster();
    cleanups.push(() => cluster.stop());
    const agents: Daemon[] = [];
    for (const name of ['stays', 'dies']) {
      const a = await spawnBin(
        'agent',
        'mesos-agent',
        [`--master=${url}`, '--ip=127.0.0.1', '--port=0', `--work_dir=${cluster.agentDir(name)}`, `--hostname=${name}`, '--resources=cpus:1;mem:256;disk:256', '--switch_user=false'],
        /"address":"([^"]+)".*"msg":"agent started"/,
      );
      cluster.agents.push(a);
      agents.push(a);
    }
    let leader = await waitForLeader(masters, 20_000);

    // A partition-aware framework with one long task on each agent.
    const updates: { at: number; status: v1.TaskStatus }[] = [];
    const hostOf = new Map<string, string>();
    const client = new SchedulerClient({
      master: url,
      framework: { user: os.userInfo().username, name: 'unreachable', failover_timeout: 3600, checkpoint: true, capabilities: [{ type: 'PARTITION_AWARE' }] },
      backoff: { initialMs: 100, maxMs: 1_000 },
    });
    cleanups.push(() => client.stop());
    client.on('update', (status) => void updates.push({ at: Date.now(), status }));
    client.on('offers', async (offers) => {
      for (const offer of offers) {
        if ([...hostOf.values()].includes(offer.hostname)) {
          await client.decline([offer.id], { refuse_seconds: 3600 });
          continue;
        }
        hostOf.set(`task-${offer.hostname}`, offer.hostname);
        await client.launch([offer.id], [commandTask(`task-${offer.hostname}`, offer, 'exec sleep 600')]);
      }
    });
    client.start();
    const agentIdOf = new Map<string, string>();
    await waitUntil(() => {
      for (const u of updates) if (u.status.state === 'TASK_RUNNING') agentIdOf.set(u.status.task_id.value, u.status.agent_id!.value);
      return agentIdOf.size === 2;
    }, 30_000, 'both tasks to run');
    const staysId = agentIdOf.get('task-stays')!;
    const diesId = agentIdOf.get('task-dies')!;

    // The agent "dies" for good, then the leader: the next master recovers both agents from the registry.
    await agents[1]!.kill9();
    const old = leader;
    await old.kill9();
    leader = await waitForLeader(masters.filter((m) => m !== old), 20_000);
    const electedAt = Date.now();
    await waitUntil(async () => (await getAgents(leader)).agents.includes(staysId), 10_000, 'the live agent to re-register');
    const before = await getAgents(leader);
    expect(before).toEqual({ agents: [staysId], recovered: [diesId] });
    // Its task's state is not known yet: reconciliation answers only for the agent that came back.
    let asked = Date.now();
    await client.reconcile([{ taskId: { value: 'task-stays' } }, { taskId: { value: 'task-dies' } }]);
    await waitUntil(() => updates.some((u) => u.at >= asked && u.status.task_id.value === 'task-stays'), 10_000, 'reconciliation of the live task');
    await new Promise((r) => setTimeout(r, 500));
    const answered = updates.filter((u) => u.at >= asked);
    expect(new Set(answered.map((u) => `${u.status.task_id.value} ${u.status.state}`))).toEqual(new Set(['task-stays TASK_RUNNING']));

    // After the timeout (counted from the election) the dead agent is unreachable: in neither list.
    await waitUntil(async () => (await getAgents(leader)).recovered.length === 0, REREGISTER_TIMEOUT_MS + 5_000, 'the recovered agent to time out');
    expect(Date.now() - electedAt).toBeGreaterThanOrEqual(REREGISTER_TIMEOUT_MS - 500);
    expect(await getAgents(leader)).toEqual({ agents: [staysId], recovered: [] });
    asked = Date.now();
    await client.reconcile([{ taskId: { value: 'task-stays' }, agentId: { value: staysId } }, { taskId: { value: 'task-dies' }, agentId: { value: diesId } }]);
    await waitUntil(() => updates.filter((u) => u.at >= asked).length >= 2, 10_000, 'reconciliation of both tasks');
    const answers = new Map(updates.filter((u) => u.at >= asked).map((u) => [u.status.task_id.value, u.status]));
    expect(answers.get('task-stays')?.state).toBe('TASK_RUNNING');
    expect(answers.get('task-dies')).toMatchObject({ state: 'TASK_UNREACHABLE', reason: 'REASON_RECONCILIATION', agent_id: { value: diesId } });
    expect(leader.log()).toMatch(/recovered agents did not re-register in time; they are unreachable/);
  }, 120_000);
});
