// A 3-node (or n-node) ZooKeeper 3.8 ensemble on 127.0.0.1 for fault tests: every member gets free client,
// quorum and election ports (listen(0) probes) and its own data dir. Members can be stopped (kill -9, like a
// crashed machine) and started again with their data. Ready when the members report leader/follower mode.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fourLetterWord } from './zookeeper.js';

export interface EnsembleMember {
  readonly id: number;
  readonly port: number;
  /** Whether its process runs. */
  running(): boolean;
  /** `leader`, `follower`, or '' when it does not serve (down or without quorum). */
  mode(): Promise<string>;
  /** kill -9. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface ZooKeeperEnsemble {
  /** `127.0.0.1:a,127.0.0.1:b,127.0.0.1:c`. */
  readonly connect: string;
  readonly members: readonly EnsembleMember[];
  /** Waits until `count` members serve (leader/follower), ms budget. */
  waitServing(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const JAVA_DIR = '/usr/share/java';
const JARS = ['zookeeper.jar', 'zookeeper-jute.jar', 'slf4j-api.jar', 'slf4j-simple.jar', 'netty-handler.jar', 'netty-common.jar', 'netty-buffer.jar', 'netty-transport.jar', 'netty-codec.jar', 'netty-resolver.jar', 'netty-transport-native-epoll.jar', 'netty-transport-native-unix-common.jar', 'metrics-core.jar', 'commons-cli.jar', 'snappy-java.jar'];

export async function startZooKeeperEnsemble(options: { size?: number; tickTimeMs?: number; startTimeoutMs?: number } = {}): Promise<ZooKeeperEnsemble> {
  if (!existsSync(path.join(JAVA_DIR, 'zookeeper.jar'))) throw new Error(`ZooKeeper is not installed (${JAVA_DIR}/zookeeper.jar missing): apt-get install zookeeper`);
  const size = options.size ?? 3;
  const classpath = JARS.map((j) => path.join(JAVA_DIR, j)).filter((j) => existsSync(j)).join(':');
  const root = await mkdtemp(path.join(os.tmpdir(), 'mesos-ts-zk-ensemble-'));
  const ports = await freePorts(size * 3);
  const servers = Array.from({ length: size }, (_, i) => `server.${i + 1}=127.0.0.1:${ports[i * 3 + 1]}:${ports[i * 3 + 2]}`);
  const children = new Map<number, ChildProcess>();
  const onExit = (): void => {
    for (const c of children.values()) c.kill('SIGKILL');
  };
  process.once('exit', onExit);

  const members: EnsembleMember[] = [];
  for (let i = 0; i < size; i++) {
    const id = i + 1;
    const port = ports[i * 3]!;
    const dir = path.join(root, `zk${id}`);
    await mkdir(path.join(dir, 'data'), { recursive: true });
    await writeFile(path.join(dir, 'data', 'myid'), `${id}\n`);
    const config = path.join(dir, 'zoo.cfg');
    await writeFile(
      config,
      [
        `tickTime=${options.tickTimeMs ?? 500}`,
        'initLimit=10',
        'syncLimit=4',
        `dataDir=${path.join(dir, 'data')}`,
        `clientPort=${port}`,
        'clientPortAddress=127.0.0.1',
        'admin.enableServer=false',
        '4lw.commands.whitelist=ruok,srvr',
        'maxClientCnxns=0',
        ...servers,
        '',
      ].join('\n'),
    );
    members.push({
      id,
      port,
      running: () => {
        const c = children.get(id);
        return c !== undefined && c.exitCode === null && c.signalCode === null;
      },
      mode: async () => /Mode: (\w+)/.exec(await fourLetterWord(port, 'srvr'))?.[1] ?? '',
      stop: async () => {
        const c = children.get(id);
        children.delete(id);
        if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
        const exited = new Promise<void>((r) => c.once('exit', () => r()));
        c.kill('SIGKILL');
        await exited;
      },
      start: async () => {
        if (children.has(id)) return;
        const child = spawn('java', ['-Xmx128m', '-XX:TieredStopAtLevel=1', '-cp', classpath, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', config], { stdio: 'ignore' });
        children.set(id, child);
      },
    });
  }

  const ensemble: ZooKeeperEnsemble = {
    connect: members.map((m) => `127.0.0.1:${m.port}`).join(','),
    members,
    async waitServing(count, timeoutMs = options.startTimeoutMs ?? 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const modes = await Promise.all(members.map((m) => m.mode()));
        if (modes.filter((m) => m === 'leader' || m === 'follower').length >= count) return;
        if (Date.now() > deadline) throw new Error(`ZooKeeper ensemble: only modes [${modes.join(', ')}] after ${timeoutMs} ms, wanted ${count} serving`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      for (const m of members) await m.stop();
      process.removeListener('exit', onExit);
      await rm(root, { recursive: true, force: true });
    },
  };
  try {
    for (const m of members) await m.start();
    await ensemble.waitServing(size);
  } catch (e) {
    await ensemble.stop();
    throw e;
  }
  return ensemble;
}

async function freePorts(count: number): Promise<number[]> {
  // Hold all probes open at once so the ports are distinct.
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}
