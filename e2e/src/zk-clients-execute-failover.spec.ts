// mesos-execute --master=zk://… follows a leader change mid-run: real ZooKeeper, two real (in-process)
// masters each with a fake agent, entered in the election by ZooKeeperContenders (what masters run with
// --zk will do). The task runs on master 1's agent; master 1's candidacy is withdrawn and master 2 elected;
// mesos-execute re-subscribes there with its framework id and exits 0 on the TASK_FINISHED master 2 relays.
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseFlags, startMaster, type RunningMaster } from '@mesos-ts/master';
import { FakeAgent } from '@mesos-ts/master/testing';
import { ZooKeeperContender, ipv4ToNetworkOrder } from '@mesos-ts/wire';
import { spawnCli } from './cli-harness.js';
import { cleanupsAfterEach, zooKeeperForFile } from './harness/fixtures.js';
import { waitUntil } from './harness/daemons.js';


const zkFile = zooKeeperForFile();
const cleanups = cleanupsAfterEach();

async function masterWithAgent(name: string): Promise<{ master: RunningMaster; agent: FakeAgent }> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'zk-exec-'));
  cleanups.push(() => rm(workDir, { recursive: true, force: true }));
  const parsed = parseFlags(['--port=0', `--work_dir=${workDir}`, '--allocation_interval=50ms']);
  if (parsed.help) throw new Error('unexpected --help');
  const master = await startMaster(parsed.flags);
  cleanups.push(() => master.stop());
  const agent = new FakeAgent({ master: master.url, hostname: name });
  cleanups.push(() => agent.close());
  await agent.connect();
  return { master, agent };
}

async function elect(url: string, m: RunningMaster): Promise<ZooKeeperContender> {
  const port = m.port;
  const c = new ZooKeeperContender({ url, masterInfo: { id: `m-${port}`, ip: ipv4ToNetworkOrder('127.0.0.1'), port, hostname: '127.0.0.1', address: { hostname: '127.0.0.1', ip: '127.0.0.1', port } }, sessionTimeoutMs: 2_000 });
  cleanups.push(() => c.withdraw());
  await c.contend();
  return c;
}

const until = (probe: () => boolean, what: string, timeoutMs = 15_000): Promise<void> => waitUntil(probe, timeoutMs, what);

describe('mesos-execute --master=zk://', () => {
  it('re-subscribes at the newly elected master with its framework id and finishes there', async () => {
    const url = `zk://${zkFile.server.connect}/mesos-exec-${process.pid}`;
    const one = await masterWithAgent('agent-one');
    const two = await masterWithAgent('agent-two');
    const c1 = await elect(url, one.master);
    const run = spawnCli('mesos-execute', [`--master=${url}`, '--name=zk-failover', '--command=sleep 100', '--content_type=json'], {}, 40_000);
    cleanups.push(() => run.child.kill('SIGKILL'));
    let out = '';
    run.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes("Received status update TASK_RUNNING for task 'zk-failover'"), 'TASK_RUNNING on master 1');
    const frameworkId = /^Subscribed with ID (\S+)$/m.exec(out)![1]!;
    expect([...one.agent.tasks.keys()]).toEqual(['zk-failover']);

    await c1.withdraw();
    await elect(url, two.master);
    await until(() => out.includes('The leading master changed; re-subscribing') && out.split(`Subscribed with ID ${frameworkId}\n`).length === 3, 're-subscription at master 2');
    const state = (await (await fetch(`${two.master.url}/master/state`)).json()) as { frameworks: { id: string }[] };
    expect(state.frameworks.map((f) => f.id)).toEqual([frameworkId]);
    // The task's final update arrives through the new leader (as from an agent re-registered after a failover).
    await two.agent.update(frameworkId, 'zk-failover', 'TASK_FINISHED');
    const result = await run.result;
    expect(result.out).toContain("Received status update TASK_FINISHED for task 'zk-failover'");
    expect(result.code).toBe(0);
  }, 45_000);
});
