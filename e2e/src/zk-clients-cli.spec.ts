// `mesos resolve`, `mesos <command>` and `mesos-execute` with `--master=zk://…` (and MESOS_MASTER=zk://…) as
// child processes, against real ZooKeeper and a real embedded cluster (mesos-local: master, agent, task
// processes). mesos-local's master does not know ZooKeeper yet, so a ZooKeeperContender carrying its
// MasterInfo enters it in the election, exactly what a master run with --zk will do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ZooKeeperContender, ipv4ToNetworkOrder } from '@mesos-ts/wire';
import { runCli, startLocal, type LocalCluster } from './cli-harness.js';
import { startZooKeeper, type ZooKeeperServer } from './harness/zookeeper.js';

let dir: string;
let zk: ZooKeeperServer;
let cluster: LocalCluster;
let contender: ZooKeeperContender;
let zkUrl: string;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'zk-cli-'));
  [zk, cluster] = await Promise.all([startZooKeeper({ tickTimeMs: 200 }), startLocal(path.join(dir, 'cluster'), ['--allocation_interval=100ms', '--launcher_port=off' /* the launcher would take framework id -0000 */])]);
  port = Number(cluster.master.split(':')[1]);
  zkUrl = `zk://${zk.connect}/mesos`;
  contender = new ZooKeeperContender({
    url: zkUrl,
    masterInfo: { id: 'local-master', ip: ipv4ToNetworkOrder('127.0.0.1'), port, hostname: '127.0.0.1', address: { hostname: '127.0.0.1', ip: '127.0.0.1', port } },
    sessionTimeoutMs: 2_000,
  });
  await contender.contend();
}, 60_000);

afterAll(async () => {
  await contender?.withdraw();
  await cluster?.stop();
  await zk?.stop();
  await rm(dir, { recursive: true, force: true });
}, 30_000);

describe('mesos resolve', () => {
  it('prints the leader elected in ZooKeeper', async () => {
    const r = await runCli('mesos', ['resolve', zkUrl]);
    expect(r).toMatchObject({ code: 0, out: `127.0.0.1:${port}\n`, err: '' });
    const fromEnv = await runCli('mesos', ['resolve', '--json'], { MESOS_MASTER: zkUrl });
    expect(fromEnv.code).toBe(0);
    expect(JSON.parse(fromEnv.out)).toEqual({ leader: `127.0.0.1:${port}` });
  }, 30_000);

  it('asks a list of masters through /master/redirect, skipping one that is down', async () => {
    const r = await runCli('mesos', ['resolve', `127.0.0.1:1,${cluster.master}`]);
    expect(r).toMatchObject({ code: 0, out: `127.0.0.1:${port}\n` });
  }, 30_000);

  it.each([
    ['nobody is elected', () => `zk://${zk.connect}/nobody-here`, 'no leading master in zk://'],
    ['ZooKeeper is unreachable', () => 'zk://127.0.0.1:1/mesos', 'no leading master in zk://127.0.0.1:1/mesos within 500 ms'],
  ])('exits 1 with a message when %s', async (_what, url, message) => {
    const r = await runCli('mesos', ['resolve', url(), '--timeout=500ms']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`mesos resolve: ${message}`);
  }, 30_000);

  it('exits 2 on a malformed zk:// URL', async () => {
    const r = await runCli('mesos', ['ps', '--master=zk://127.0.0.1:2181']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is not a ZooKeeper master URL');
  }, 30_000);
});

describe('mesos-execute and mesos commands with --master=zk://', () => {
  it('runs a task on the elected master and lists it through MESOS_MASTER=zk://', async () => {
    const r = await runCli('mesos-execute', [`--master=${zkUrl}`, '--name=zk-echo', '--command=echo hi']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Subscribed with ID \S+-0000\n/);
    expect(r.out).toContain("Received status update TASK_FINISHED for task 'zk-echo'");
    const ps = await runCli('mesos', ['ps', '--all'], { MESOS_MASTER: zkUrl });
    expect(ps.code).toBe(0);
    expect(ps.out).toMatch(/zk-echo +FINISHED/);
  }, 40_000);

  it('mesos-execute exits 1 when nobody is elected', async () => {
    const r = await runCli('mesos-execute', [`--master=zk://${zk.connect}/nobody-here`, '--name=x', '--command=true'], {}, 30_000);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`mesos-execute: no leading master in zk://${zk.connect}/nobody-here within 10000 ms`);
  }, 30_000);
});
