// Starts a real ZooKeeper 3.8 (Debian's `zookeeper` package) for a test file: standalone, on 127.0.0.1 with a
// free port (picked by a listen(0) probe, retried if someone else grabs it first), in a fresh temp data dir.
// Ready when it answers the `ruok` four-letter word with `imok` (~0.3-1 s). stop() kills it, waits for the
// exit and removes the data dir; restart() bounces it on the same port keeping its data (to test reconnects).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

export interface ZooKeeperServer {
  /** Connection string, e.g. `127.0.0.1:41234`. */
  connect: string;
  port: number;
  dataDir: string;
  /** Stops and starts the server on the same port with the same data (sessions survive if quick enough). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartZooKeeperOptions {
  /** How long to wait for `imok`, ms. Default 20000. */
  startTimeoutMs?: number;
  /** ZooKeeper tick, ms; sessions time out between 2 and 20 ticks. Default 500. */
  tickTimeMs?: number;
}

const JAVA_DIR = '/usr/share/java';
const JARS = [
  'zookeeper.jar',
  'zookeeper-jute.jar',
  'slf4j-api.jar',
  'slf4j-simple.jar',
  'netty-handler.jar',
  'netty-common.jar',
  'netty-buffer.jar',
  'netty-transport.jar',
  'netty-codec.jar',
  'netty-resolver.jar',
  'netty-transport-native-epoll.jar',
  'netty-transport-native-unix-common.jar',
  'metrics-core.jar',
  'commons-cli.jar',
  'snappy-java.jar',
];
const PORT_ATTEMPTS = 5;

export async function startZooKeeper(options: StartZooKeeperOptions = {}): Promise<ZooKeeperServer> {
  if (!existsSync(path.join(JAVA_DIR, 'zookeeper.jar'))) {
    throw new Error(`ZooKeeper is not installed (${JAVA_DIR}/zookeeper.jar missing): apt-get install zookeeper`);
  }
  const classpath = JARS.map((jar) => path.join(JAVA_DIR, jar)).filter((jar) => existsSync(jar)).join(':');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mesos-ts-zk-'));
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      let child = await launch(classpath, dataDir, port, options.tickTimeMs ?? 500, timeoutMs);
      let stopped = false;
      const server: ZooKeeperServer = {
        connect: `127.0.0.1:${port}`,
        port,
        dataDir,
        async restart() {
          await kill(child);
          child = await launch(classpath, dataDir, port, options.tickTimeMs ?? 500, timeoutMs);
        },
        async stop() {
          if (stopped) return;
          stopped = true;
          await kill(child);
          await rm(dataDir, { recursive: true, force: true });
        },
      };
      return server;
    } catch (e) {
      lastError = e;
      // Only a lost race for the port is worth another try.
      if (!String((e as Error).message).includes('Address already in use')) break;
    }
  }
  await rm(dataDir, { recursive: true, force: true });
  throw lastError;
}

async function launch(classpath: string, dataDir: string, port: number, tickTimeMs: number, timeoutMs: number): Promise<ChildProcess> {
  const config = path.join(dataDir, 'zoo.cfg');
  await writeFile(
    config,
    [
      `tickTime=${tickTimeMs}`,
      `dataDir=${path.join(dataDir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      '4lw.commands.whitelist=ruok,srvr',
      'maxClientCnxns=0',
      '',
    ].join('\n'),
  );
  const child = spawn('java', ['-Xmx256m', '-cp', classpath, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  // An orphaned ZooKeeper would outlive a crashed test run: kill it with the test process.
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  child.once('exit', () => process.removeListener('exit', onExit));

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`ZooKeeper on 127.0.0.1:${port} exited (${child.exitCode ?? child.signalCode}) during startup:\n${output}`);
    }
    if (output.includes('Address already in use')) {
      await kill(child);
      throw new Error(`ZooKeeper could not bind 127.0.0.1:${port}: Address already in use`);
    }
    if ((await fourLetterWord(port, 'ruok')) === 'imok') return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  await kill(child);
  throw new Error(`ZooKeeper on 127.0.0.1:${port} did not answer 'ruok' within ${timeoutMs} ms:\n${output}`);
}

/** Sends a four-letter word; resolves with the answer, or '' when nothing listens yet. */
export function fourLetterWord(port: number, word: string): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.end(word));
    socket.setTimeout(1_000, () => socket.destroy());
    socket.on('data', (d: Buffer) => (answer += d.toString('utf8')));
    socket.on('error', () => resolve(''));
    socket.on('close', () => resolve(answer.trim()));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

