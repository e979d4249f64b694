// The agent's Docker containerizer with a real dockerd, master and agent (--containerizers=mesos,docker): a
// DOCKER command task runs as `docker run` from the locally built base image (nothing is pulled) with the
// sandbox at /mnt/mesos/sandbox, its env, cpu-shares/memory and host network; exit codes become FINISHED /
// FAILED; kill honours the grace period; bad input fails the task clearly and the agent keeps working; a
// restarted agent re-attaches its running container and removes orphans. No container outlives the file.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestScheduler } from '@mesos-ts/master/testing';
import type { v1 } from '@mesos-ts/proto';
import { Cluster, autoAcknowledge, commandTask, freePort, launch, sandboxOf, terminal, waitUntil } from './harness/daemons.js';
import { BASE_IMAGE, WORK_DIR_LABEL, agentContainersUnder, docker, ensureBaseImage, ensureDocker, stopDockerdIfStarted, removeAgentContainersUnder } from './harness/docker.js';

const skipReason = await ensureDocker();
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsxLoader = path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs');
const AGENT_FLAGS = ['--containerizers=mesos,docker', '--docker_remove_delay=0secs', '--docker_stop_timeout=1secs', '--resources=cpus:4;mem:2048;disk:1024;ports:[31000-31099]'];

let cluster: Cluster;
let s: TestScheduler;
let acks: { stop(): void };
let frameworkId: string;
let agentId: string;

function dockerTask(id: string, offer: v1.Offer, command: string, container: Partial<v1.ContainerInfo> = {}, docker: Partial<v1.ContainerInfo.DockerInfo> = {}, resources = 'cpus:0.1;mem:64'): v1.TaskInfo {
  return commandTask(id, offer, command, resources, { container: { type: 'DOCKER', docker: { image: BASE_IMAGE, network: 'HOST', ...docker }, ...container } });
}

async function runOne(task: (o: v1.Offer) => v1.TaskInfo, timeoutMs = 60_000): Promise<v1.TaskStatus> {
  const [offer] = await s.nextOffers(30_000);
  const info = task(offer!);
  await launch(s, offer!, [info]);
  return terminal(s, info.task_id.value, timeoutMs);
}

function sandbox(taskId: string): string {
  return sandboxOf(cluster.agentDir('agent-1'), agentId, frameworkId, taskId);
}

describe.skipIf(skipReason !== undefined)(`docker containerizer${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    ensureBaseImage();
    cluster = new Cluster();
    await cluster.startMaster();
    await cluster.startAgent('agent-1', AGENT_FLAGS);
    s = new TestScheduler(cluster.masterUrl);
    const sub = await s.subscribe({ name: 'e2e-docker', checkpoint: true });
    if (sub.type !== 'SUBSCRIBED') throw new Error(`not subscribed: ${JSON.stringify(sub)}`);
    frameworkId = sub.subscribed!.framework_id.value;
    acks = autoAcknowledge(s);
  }, 900_000);

  afterAll(async () => {
    acks?.stop();
    s?.close();
    const dir = cluster?.dir;
    await cluster?.stop();
    if (dir) await removeAgentContainersUnder(dir);
    const left = dir ? agentContainersUnder(dir) : [];
    await stopDockerdIfStarted();
    expect(left).toEqual([]);
  }, 120_000);

  it.each([
    { id: 'ok', command: 'test "$MESOS_SANDBOX" = /mnt/mesos/sandbox && test "$GREETING" = hi && echo from-container && echo $GREETING > $MESOS_SANDBOX/out.txt', state: 'TASK_FINISHED', message: 'Command exited with status 0' },
    { id: 'exit-3', command: 'echo failing >&2; exit 3', state: 'TASK_FAILED', message: 'Command exited with status 3' },
  ])('a DOCKER task $id ends $state with its exit code', async ({ id, command, state, message }) => {
    const status = await runOne((o) => {
      const t = dockerTask(id, o, command);
      t.command!.environment = { variables: [{ name: 'GREETING', type: 'VALUE', value: 'hi' }] };
      return t;
    });
    agentId ??= status.agent_id!.value;
    expect(status.state).toBe(state);
    expect(status.message).toBe(message);
    if (id === 'ok') {
      expect(readFileSync(path.join(sandbox(id), 'stdout'), 'utf8')).toContain('from-container');
      expect(readFileSync(path.join(sandbox(id), 'out.txt'), 'utf8').trim()).toBe('hi');
    } else {
      expect(readFileSync(path.join(sandbox(id), 'stderr'), 'utf8')).toContain('failing');
    }
    // --docker_remove_delay=0secs: the ended container is removed.
    await waitUntil(() => agentContainersUnder(cluster.dir).length === 0, 30_000, 'the ended container to be removed');
  }, 120_000);

  it.each([
    { id: 'no-image', task: (o: v1.Offer) => dockerTask('no-image', o, 'true', {}, { image: '127.0.0.1:1/mesos-ts/does-not-exist:1' }), want: /docker image '127\.0\.0\.1:1\/mesos-ts\/does-not-exist:1' is not on this agent and could not be pulled/ },
    { id: 'no-port', task: (o: v1.Offer) => dockerTask('no-port', o, 'true', {}, { network: 'BRIDGE', port_mappings: [{ host_port: 31050, container_port: 80 }] }), want: /host port 31050 is not in the task's ports resources \(none\)/ },
    { id: 'bad-volume', task: (o: v1.Offer) => dockerTask('bad-volume', o, 'true', { volumes: [{ container_path: '/data', host_path: '../../escape', mode: 'RW' }] }), want: /volume host_path '\.\.\/\.\.\/escape' leaves the sandbox/ },
  ])('bad input ($id) fails the task with a clear message and the agent keeps working', async ({ task, want }) => {
    const status = await runOne(task);
    expect(status.state).toBe('TASK_FAILED');
    expect(status.message).toMatch(want);
    const after = await runOne((o) => dockerTask(`after-${status.task_id.value}`, o, 'true'));
    expect(after.state).toBe('TASK_FINISHED');
  }, 120_000);

  it('runs with the sandbox, cpu-shares, memory, host network and volumes; a kill honours the grace period', async () => {
    const host = path.join(cluster.dir, 'host-volume');
    mkdirSync(host, { recursive: true });
    writeFileSync(path.join(host, 'in.txt'), 'from-host\n');
    const [offer] = await s.nextOffers(30_000);
    const script = 'trap "echo got-term > $MESOS_SANDBOX/term.txt; exit 0" TERM; cat /data/in.txt > $MESOS_SANDBOX/copied.txt; mkdir -p sub; echo ready; while true; do sleep 0.1; done';
    const task = dockerTask('long', offer!, script, { volumes: [{ container_path: '/data', host_path: host, mode: 'RO' }] }, {}, 'cpus:0.1;mem:64');
    task.kill_policy = { grace_period: { nanoseconds: 20_000_000_000n } };
    await launch(s, offer!, [task]);
    const running = await s.update('long', 'TASK_RUNNING', 60_000);
    agentId ??= running.agent_id!.value;
    // RUNNING goes out once `docker run` is started; the container appears a moment later.
    await waitUntil(() => agentContainersUnder(cluster.dir).length === 1, 30_000, 'the container to exist');
    const [name] = agentContainersUnder(cluster.dir);
    expect(name).toMatch(/^mesos-[0-9a-f-]{36}$/);
    const inspect = JSON.parse(docker(['inspect', name!]).stdout)[0];
    expect(inspect.HostConfig.CpuShares).toBe(102); // 1024 per cpu
    expect(inspect.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(inspect.HostConfig.NetworkMode).toBe('host');
    expect(inspect.Config.Labels[WORK_DIR_LABEL]).toBe(cluster.agentDir('agent-1'));
    expect(inspect.Mounts.map((m: { Destination: string }) => m.Destination).sort()).toEqual(['/data', '/mnt/mesos/sandbox']);
    await waitUntil(() => readFileSafe(path.join(sandbox('long'), 'copied.txt')) === 'from-host\n', 30_000, 'the volume to be read');
    const r = await s.call({ type: 'KILL', kill: { task_id: { value: 'long' }, agent_id: running.agent_id! } });
    expect(r.status).toBe(202);
    const end = await terminal(s, 'long', 60_000);
    expect(end.state).toBe('TASK_KILLED');
    expect(readFileSafe(path.join(sandbox('long'), 'term.txt'))).toBe('got-term\n');
    await waitUntil(() => agentContainersUnder(cluster.dir).length === 0, 30_000, 'the killed container to be removed');
  }, 180_000);

  it('a restarted agent re-attaches its running container and removes orphans', async () => {
    const orphan = `mesos-00000000-0000-4000-8000-${String(Date.now() % 1e12).padStart(12, '0')}`;
    const created = docker(['create', '--name', orphan, '--net', 'host', '--label', `${WORK_DIR_LABEL}=${cluster.agentDir('agent-1')}`, BASE_IMAGE, 'sleep', '600']);
    expect(created.status, created.stderr).toBe(0);
    const [offer] = await s.nextOffers(30_000);
    await launch(s, offer!, [dockerTask('survivor', offer!, 'while true; do sleep 0.1; done')]);
    await s.update('survivor', 'TASK_RUNNING', 60_000);
    const from = s.events.length;
    await cluster.agents.splice(0)[0]!.kill9();
    await cluster.startAgent('agent-1', AGENT_FLAGS);
    await waitUntil(() => !agentContainersUnder(cluster.dir).includes(orphan), 60_000, 'the orphan container to be removed');
    const names = agentContainersUnder(cluster.dir);
    expect(names).toHaveLength(1);
    expect(docker(['inspect', '--format', '{{.State.Running}}', names[0]!]).stdout.trim()).toBe('true');
    const r = await s.call({ type: 'KILL', kill: { task_id: { value: 'survivor' }, agent_id: offer!.agent_id } });
    expect(r.status).toBe(202);
    const end = await terminal(s, 'survivor', 60_000, from);
    expect(end.state).toBe('TASK_KILLED');
    await waitUntil(() => agentContainersUnder(cluster.dir).length === 0, 30_000, 'the killed container to be removed');
  }, 180_000);

  // Last: it tears the test framework down so that the launcher gets every offer.
  it('a Marathon app with container.docker runs through the docker containerizer', async () => {
    expect((await s.call({ type: 'TEARDOWN' })).status).toBe(202);
    const port = await freePort();
    const proc = spawn(process.execPath, ['--conditions=@mesos-ts/source', '--import', tsxLoader, path.join(repo, 'frameworks', 'marathon', 'src', 'bin', 'marathon.ts'), `--master=${cluster.master!.address}`, `--work_dir=${path.join(cluster.dir, 'marathon')}`, `--http_port=${port}`, '--hostname=127.0.0.1'], { stdio: 'ignore' });
    const exited = new Promise((r) => proc.once('exit', r));
    const api = `http://127.0.0.1:${port}`;
    try {
      await waitUntil(async () => (await fetch(`${api}/ping`).catch(() => undefined))?.status === 200, 60_000, 'the launcher to answer /ping');
      const app = { id: '/dockered', cmd: 'echo "$MESOS_SANDBOX" > "$MESOS_SANDBOX/where"; while true; do sleep 0.2; done', cpus: 0.1, mem: 32, instances: 1, container: { type: 'DOCKER', docker: { image: BASE_IMAGE, network: 'HOST' } } };
      const created = await fetch(`${api}/v2/apps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(app) });
      expect(created.status).toBe(201);
      await waitUntil(async () => {
        const a = (await (await fetch(`${api}/v2/apps/dockered`)).json()) as { app: { tasks?: Array<{ state: string }> } };
        return a.app.tasks?.some((t) => t.state === 'TASK_RUNNING') === true && agentContainersUnder(cluster.dir).length === 1;
      }, 60_000, 'the app task running in a container');
      const [name] = agentContainersUnder(cluster.dir);
      expect(docker(['inspect', '--format', '{{.Config.Image}} {{.State.Running}}', name!]).stdout.trim()).toBe(`${BASE_IMAGE} true`);
      await waitUntil(() => docker(['exec', name!, 'cat', '/mnt/mesos/sandbox/where']).stdout.trim() === '/mnt/mesos/sandbox', 30_000, 'the app to write into its sandbox');
      expect((await fetch(`${api}/v2/apps/dockered`, { method: 'DELETE' })).status).toBe(200);
      await waitUntil(() => agentContainersUnder(cluster.dir).length === 0, 60_000, 'the deleted app container to be removed');
    } finally {
      proc.kill('SIGTERM');
      await exited;
    }
  }, 180_000);
});

function readFileSafe(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
