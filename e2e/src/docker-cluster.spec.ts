// The compose cluster (docker/compose.yaml) driven by testcontainers from the locally built images: ZooKeeper
// (the suite's real one, on the host), three mesos-master containers (--zk, --quorum=2), two mesos-agent
// containers (mesos and docker containerizers, driving the host's dockerd through its socket) and the
// Marathon-style launcher's container, on host networking. The launcher runs an app in a Docker container;
// kafka-mesos (on the host, pointed at zk://…) starts a real Kafka broker in an agent container (the host's
// JDK mounted read-only) and a message goes through it. Then a framework runs one task per agent; killing the
// leading master's container makes another master lead with both tasks still running; stopping one agent's
// container loses no task on the other. Every container is removed afterwards (no Ryuk: the harness removes
// its own, and the agents' task containers by their work_dir label).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { ensureDistribution } from '../dists/index.js';
import { TestScheduler } from '@mesos-ts/master/testing';
import type { v1 } from '@mesos-ts/proto';
import { autoAcknowledge, commandTask, freePort, launch, waitUntil } from './harness/daemons.js';
import { BASE_IMAGE, DOCKER, agentContainersUnder, containerNames, docker, ensureBaseImage, ensureDocker, removeAgentContainersUnder, stopDockerdIfStarted } from './harness/docker.js';
import { zooKeeperForFile } from './harness/fixtures.js';

const skipReason = await ensureDocker();
const PREFIX = `mesos-ts-e2e-${process.pid}-`;
const zk = zooKeeperForFile();

type Cluster = typeof import('./harness/docker-cluster.js');
let dc: Cluster;
const masters: Array<{ port: number; role: Awaited<ReturnType<Cluster['startRole']>> }> = [];
const agents: Array<Awaited<ReturnType<Cluster['startRole']>>> = [];
// Agents' work_dirs have the same path inside their containers and on the host: dockerd mounts sandboxes by host path.
const dir = mkdtempSync(path.join(os.tmpdir(), 'mesos-ts-compose-'));
const KAFKA_MESOS = fileURLToPath(new URL('../../frameworks/kafka/dist/bin/kafka-mesos.js', import.meta.url));
const JDK = '/usr/lib/jvm/java-17-openjdk-amd64';
let mesosUrl = '';
let launcherPort = 0;
const processes: ChildProcess[] = [];

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
/**
 * The tasks in /master/state (a non-leader redirects to the leader). A master between leaders (a loaded machine,
 * 2 s ZooKeeper sessions) answers 503 "No leading master" for a moment: ask again until one answers.
 */
async function tasksOn(port: number): Promise<StateTask[]> {
  let tasks: StateTask[] = [];
  await waitUntil(async () => {
    const r = await fetch(`http://127.0.0.1:${port}/master/state`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    if (r?.status !== 200) return false;
    tasks = ((await r.json()) as { frameworks: Array<{ tasks: StateTask[] }> }).frameworks.flatMap((f) => f.tasks);
    return true;
  }, 30_000, `a leading master answering /master/state (asked at port ${port})`);
  return tasks;
}

describe.skipIf(skipReason !== undefined)(`compose cluster in containers${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    ensureBaseImage();
    dc = await import('./harness/docker-cluster.js');
    dc.ensureRuntimeImage();
    const url = (mesosUrl = `zk://${zk.server.connect}/mesos-compose`);
    const ports = [await freePort(), await freePort(), await freePort()];
    const started = await Promise.all(
      ports.map((port, i) => dc.startRole(PREFIX, `master-${i + 1}`, 'packages/master', 'mesos-master', [`--zk=${url}`, '--quorum=2', '--ip=127.0.0.1', `--port=${port}`, '--zk_session_timeout=4secs', '--allocation_interval=50ms', `--work_dir=/tmp/master`], /mesos-master is serving/)),
    );
    started.forEach((role, i) => masters.push({ port: ports[i]!, role }));
    for (const i of [1, 2]) {
      const workDir = path.join(dir, `agent-${i}`);
      mkdirSync(workDir, { recursive: true });
      // Each agent on its own loopback address, as in compose.yaml (a task binds its agent's address, and the
      // name must resolve). The host's JDK (read-only) runs Kafka brokers.
      const ports = i === 1 ? '[31000-31499]' : '[31500-31999]';
      const mounts = [
        { source: workDir, mode: 'rw' as const },
        { source: '/var/run/docker.sock', mode: 'rw' as const },
        { source: DOCKER.startsWith('/') ? DOCKER : '/usr/bin/docker', target: '/usr/local/bin/docker', mode: 'ro' as const },
        { source: '/usr/lib/jvm', mode: 'ro' as const },
        { source: '/etc/java-17-openjdk', mode: 'ro' as const },
      ];
      agents.push(
        await dc.startRole(PREFIX, `agent-${i}`, 'packages/agent', 'mesos-agent', [`--master=${url}`, `--ip=127.0.0.2${i}`, `--port=${await freePort()}`, `--work_dir=${workDir}`, `--hostname=127.0.0.2${i}`, `--resources=cpus:2;mem:1536;disk:2048;ports:${ports}`, '--registration_backoff_factor=100ms', '--switch_user=false', '--command_executor=inline', '--containerizers=mesos,docker', '--docker_remove_delay=0secs', '--docker_stop_timeout=1secs'], /agent started/, { mounts, env: { JAVA_HOME: JDK } }),
      );
    }
    launcherPort = await freePort();
    await dc.startRole(PREFIX, 'marathon', 'frameworks/marathon', 'marathon', [`--master=${url}`, `--zk=zk://${zk.server.connect}/marathon-compose`, `--http_port=${launcherPort}`, '--hostname=127.0.0.1', '--zk_session_timeout=2000'], /marathon launcher started/);
  }, 900_000);

  afterAll(async () => {
    for (const p of processes) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    dc?.removeContainers(PREFIX);
    await removeAgentContainersUnder(dir);
    expect(agentContainersUnder(dir)).toEqual([]);
    const left = containerNames(PREFIX);
    await stopDockerdIfStarted();
    // Task sandboxes written by root inside containers: removed from the host.
    if (!process.env.KEEP_DIR) rmSync(dir, { recursive: true, force: true });
    expect(left).toEqual([]);
  }, 120_000);

  it('the launcher runs an app in a Docker container on an agent container', async () => {
    const api = `http://127.0.0.1:${launcherPort}`;
    await waitUntil(async () => (await fetch(`${api}/v2/leader`).catch(() => undefined))?.status === 200, 60_000, 'the launcher elected');
    const app = { id: '/hello-docker', cmd: 'while true; do sleep 1; done', cpus: 0.1, mem: 32, instances: 1, container: { type: 'DOCKER', docker: { image: BASE_IMAGE, network: 'HOST' } } };
    const posted = await fetch(`${api}/v2/apps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(app) });
    expect(posted.status).toBe(201);
    let taskId = '';
    await waitUntil(async () => {
      const tasks = ((await (await fetch(`${api}/v2/apps/hello-docker`)).json()) as { app: { tasks: Array<{ id: string; state: string }> } }).app.tasks;
      taskId = tasks.find((t) => t.state === 'TASK_RUNNING')?.id ?? '';
      return taskId !== '';
    }, 120_000, 'the Docker app running');
    // A real container runs it: `docker run` from the base image, named mesos-<container id>, labelled with its agent.
    let running: string[] = [];
    await waitUntil(async () => (running = agentContainersUnder(dir)).length === 1, 60_000, 'the app\'s container listed by dockerd');
    expect(running[0]).toMatch(/^mesos-/);
    expect(docker(['inspect', '--format', '{{.Config.Image}} {{.State.Running}}', running[0]!]).stdout.trim()).toBe(`${BASE_IMAGE} true`);
    expect((await fetch(`${api}/v2/apps/hello-docker`, { method: 'DELETE' })).status).toBe(200);
    await waitUntil(async () => agentContainersUnder(dir).length === 0, 60_000, 'the app\'s container gone after DELETE');
  }, 180_000);

  it('kafka-mesos starts a real Kafka broker in an agent container; a message goes through it', async () => {
    const dist = (await ensureDistribution('kafka', '4.1.1')).tarball;
    const api = `http://127.0.0.1:${await freePort()}`;
    const scheduler = spawn(process.execPath, [KAFKA_MESOS, 'scheduler', `--master=${mesosUrl}`, `--api=${api}`, '--bind-address=127.0.0.1', `--kafka-dist=${dist}`, `--storage=file:${path.join(dir, 'kafka-mesos.json')}`, '--framework-role=kafka', '--principal=kafka'], { cwd: dir, stdio: 'ignore' });
    processes.push(scheduler);
    await waitUntil(async () => (await fetch(`${api}/health`).catch(() => undefined))?.ok === true, 60_000, 'the kafka-mesos scheduler API');
    const km = async (...args: string[]): Promise<string> => (await promisify(execFile)(process.execPath, [KAFKA_MESOS, ...args, `--api=${api}`], { timeout: 240_000 })).stdout;
    expect(await km('broker', 'add', '0', '--heap', '256', '--mem', '512', '--options', 'offsets.topic.replication.factor=1,transaction.state.log.replication.factor=1')).toMatch(/broker added/);
    const started = await km('broker', 'start', '0', '--timeout', '200s');
    expect(started).toMatch(/state: running/);
    const endpoint = /endpoint: (127\.0\.0\.2[12]:\d+)/.exec(started)![1]!;
    const kafka = new Kafka({ clientId: 'e2e-compose', brokers: [endpoint], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'compose', messages: [{ value: 'through a container' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'e2e-compose' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'compose', fromBeginning: true });
    const got = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message consumed within 60 s')), 60_000);
      void consumer.run({ eachMessage: async ({ message }) => {
        clearTimeout(timer);
        resolve(String(message.value));
      } });
    });
    await consumer.disconnect();
    expect(got).toBe('through a container');
    expect(await km('broker', 'stop', '0', '--timeout', '120s')).toMatch(/broker stopped/);
    scheduler.kill('SIGKILL');
  }, 600_000);

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
