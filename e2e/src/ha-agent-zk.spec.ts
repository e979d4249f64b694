// A real mesos-agent with --master=zk://…/mesos against three real mesos-master processes electing through a
// real ZooKeeper (--zk_session_timeout=2secs --quorum=2): the agent waits (and says so) while nobody leads,
// registers with the elected leader, and after kill -9 of the leader re-registers with the new one as soon as
// ZooKeeper names it — with the default one-second registration backoff, so only the leader-change signal (not
// a retry) explains a quick re-registration. Prints the measured times.
import { describe, expect, it } from 'vitest';
import { Cluster, waitUntil } from './harness/daemons.js';
import { cleanupsAfterEach, zooKeeperForFile } from './harness/fixtures.js';
import { spawnBin, startMasters, waitForLeader, type HaMaster } from './ha-masters.js';

const SESSION_MS = 2_000;

const zkFile = zooKeeperForFile();
const cleanups = cleanupsAfterEach();

/** The ids of the agents the master at `port` reports active (empty when it does not answer 200, e.g. a 307). */
async function activeAgents(m: HaMaster): Promise<string[]> {
  const r = await fetch(`http://127.0.0.1:${m.port}/master/state`, { redirect: 'manual', signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
  if (r?.status !== 200) {
    await r?.arrayBuffer();
    return [];
  }
  const s = (await r.json()) as { slaves: { id: string; active: boolean }[] };
  return s.slaves.filter((a) => a.active).map((a) => a.id);
}

describe('mesos-agent --master=zk://', () => {
  it('waits for a leader, registers with it, and re-registers with the next leader after kill -9', async () => {
    const url = `zk://${zkFile.server.connect}/mesos-agent-zk-${process.pid}`;
    const cluster = new Cluster();
    cleanups.push(() => cluster.stop());

    // The agent first: nobody leads yet.
    const agent = await spawnBin(
      'agent',
      'mesos-agent',
      [`--master=${url}`, '--ip=127.0.0.1', '--port=0', `--work_dir=${cluster.agentDir('agent-zk')}`, '--hostname=agent-zk', '--resources=cpus:1;mem:256;disk:256', '--switch_user=false'],
      /"address":"([^"]+)".*"msg":"agent started"/,
    );
    cluster.agents.push(agent);
    await waitUntil(() => agent.log().includes('no leading master yet'), 10_000, 'the agent to say it waits for a leader');

    const masters = await startMasters(url, 3);
    cleanups.push(async () => {
      for (const m of masters) await m.kill9();
    });
    let leader = await waitForLeader(masters, 15_000);
    let agentId = '';
    await waitUntil(async () => {
      agentId = (await activeAgents(leader))[0] ?? '';
      return agentId !== '';
    }, 15_000, 'the agent to register with the leader');

    const old = leader;
    const t0 = Date.now();
    await old.kill9();
    leader = await waitForLeader(masters.filter((m) => m !== old), SESSION_MS + 8_000);
    const electedMs = Date.now() - t0;
    await waitUntil(async () => (await activeAgents(leader)).includes(agentId), 10_000, 'the agent to re-register with the new leader').catch((e: Error) => {
      throw new Error(`${e.message}; agent log tail:\n${agent.log().split('\n').slice(-20).join('\n')}`);
    });
    const reregisteredMs = Date.now() - t0;
    expect(agent.log()).toContain('the leading master changed; re-registering');
    // Bounded by the session timeout (the dead leader's node must expire) plus a little.
    expect(reregisteredMs).toBeLessThan(SESSION_MS + 5_000);
    if (process.env.HA_AGENT_LOG) process.stdout.write(agent.log());
    process.stdout.write(`${JSON.stringify({ figure: 'agent zk failover', sessionTimeoutMs: SESSION_MS, electedMs, reregisteredMs })}\n`);

    // SIGTERM: the agent closes its ZooKeeper session and exits cleanly.
    agent.proc.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
  }, 90_000);
});
