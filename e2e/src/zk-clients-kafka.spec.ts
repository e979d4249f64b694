// kafka-mesos' scheduler with `--master=zk://…` (formerly refused with INVALID_MASTER): through the scheduler
// SDK it finds the master elected in real ZooKeeper (a real in-process master, entered in the election by a
// ZooKeeperContender as a master run with --zk will do) and starts a broker there on the master's fake agent.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { FileStateStore } from '@mesos-ts/framework-kit';
import { KafkaScheduler, apiRouter, main, startHttpServer } from '@mesos-ts/kafka';
import { ZooKeeperContender, ipv4ToNetworkOrder } from '@mesos-ts/wire';
import { cleanupsAfterEach, zooKeeperForFile } from './harness/fixtures.js';
import { startMasterWithFakeAgent } from './harness/master-with-fake-agent.js';


const zkFile = zooKeeperForFile();
const cleanups = cleanupsAfterEach();

describe('kafka-mesos scheduler with --master=zk://', () => {
  it('subscribes to the elected master and starts a broker', async () => {
    const { dir, master, agent } = await startMasterWithFakeAgent(cleanups, 'zk-kafka-');
    const port = master.port;
    const url = `zk://${zkFile.server.connect}/mesos`;
    const contender = new ZooKeeperContender({ url, masterInfo: { id: 'm', ip: ipv4ToNetworkOrder('127.0.0.1'), port, hostname: '127.0.0.1', address: { hostname: '127.0.0.1', ip: '127.0.0.1', port } }, sessionTimeoutMs: 2_000 });
    cleanups.push(() => contender.withdraw());
    await contender.contend();

    const scheduler = await KafkaScheduler.create({
      master: url,
      store: new FileStateStore(path.join(dir, 'kafka-mesos.json')),
      frameworkName: 'kafka',
      frameworkRole: 'kafka',
      frameworkTimeoutMs: 60_000,
      user: 'nobody',
      zk: '127.0.0.1:2181/kafka',
      executor: { command: 'kafka-mesos executor', uris: [], distribution: 'kafka.tgz' },
      backoff: { initialMs: 50, maxMs: 500 },
    });
    const { server, url: api } = await startHttpServer(apiRouter(scheduler, undefined), {}, 0, '127.0.0.1');
    scheduler.start();
    cleanups.push(async () => {
      await scheduler.stop();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
    });
    let out = '';
    const cli = (...argv: string[]): Promise<number> =>
      main(argv, {
        env: { KM_API: api },
        readFile: () => undefined,
        out: (t) => void (out += t),
        err: (t) => void (out += t),
        scheduler: () => Promise.reject(new Error('unused')),
        executor: () => Promise.reject(new Error('unused')),
      });
    expect(await cli('broker', 'add', '0', '--heap', '512', '--mem', '1024')).toBe(0);
    expect(await cli('broker', 'start', '0', '--timeout', '10s')).toBe(0);
    expect(out).toMatch(/brokers? started:\n {2}id: 0\n {2}active: true\n {2}state: running\n/);
    expect(scheduler.client.master).toBe(`127.0.0.1:${port}`);
    expect([...agent.tasks.values()].map((t) => t.frameworkId)).toEqual([scheduler.client.frameworkId]);
  }, 40_000);
});
