// Issue 7's "done when" on the embedded cluster: the example framework (N copies of a command, each with a
// persistent volume) runs real tasks on a real master and two real agents in this process, and keeps them
// through (1) a scheduler failover with the stored framework id, (2) an agent restart (executors survive,
// the agent recovers them and re-registers), (3) a task crash (the copy comes back on the same agent with
// the same volume and its data, after the framework's failover delay), and (4) a framework teardown leaves
// no process behind. Run against both agent task modes and both scheduler API content types.
// The steps share one cluster and run in order; each waits with a bound and says what it waited for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FileStateStore, loadFrameworkId } from '@mesos-ts/framework-kit';
import type { v1 } from '@mesos-ts/proto';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, type ContentType } from '@mesos-ts/wire';
import { alive, descendants } from './cli-harness.js';
import { logTail, startEmbeddedCluster, type EmbeddedAgent, type EmbeddedCluster } from './example/embedded-cluster.js';
import { VolumeCopies, type VolumeCopiesOptions } from './example/volume-copies.js';

// `exec` makes the recorded pid the task's own process (sleep), so killing it fails the task.
const COMMAND = 'echo $MESOS_TASK_ID >> data/log && echo $$ > task.pid && exec sleep 1000';
const ROLE = 'copies';
/** How long a restarted agent waits for its executors to resubscribe before killing them (ms). */
const REREGISTRATION_TIMEOUT_MS = 1_000;

async function until(probe: () => boolean | Promise<boolean>, what: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface AgentTask {
  id: string;
  state: string;
  sandbox: string;
}

/** Live tasks of one agent, from its /state endpoint. */
async function agentTasks(a: EmbeddedAgent): Promise<AgentTask[]> {
  const res = await fetch(`http://${a.agent.address}/state`);
  const state = (await res.json()) as { frameworks?: Array<{ executors?: Array<{ directory: string; tasks: Array<{ id: string; state: string }> }> }> };
  return (state.frameworks ?? []).flatMap((f) => (f.executors ?? []).flatMap((e) => e.tasks.map((t) => ({ id: t.id, state: t.state, sandbox: e.directory }))));
}

interface MasterAgent {
  id: string;
  active: boolean;
  /** Seconds since the epoch. */
  reregistered_time?: number;
}

async function masterAgents(master: string): Promise<MasterAgent[]> {
  const res = await fetch(`http://${master}/master/state`);
  return ((await res.json()) as { slaves?: MasterAgent[] }).slaves ?? [];
}

function readPid(sandbox: string): number | undefined {
  const file = path.join(sandbox, 'task.pid');
  // The shell may have created the file but not written it yet: only a whole number counts.
  const text = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

const volumeLog = (a: EmbeddedAgent, copy: string): string => path.join(a.workDir, 'volumes', 'roles', ROLE, `copies-${copy}`, 'log');
const readLines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);

// Both ways an agent runs command tasks (supervised inline, or under a mesos-executor process that must
// resubscribe after the agent restart), each with one of the scheduler API's content types.
const MODES: Array<{ executor: 'inline' | 'process'; contentType: ContentType }> = [
  { executor: 'inline', contentType: APPLICATION_JSON },
  { executor: 'process', contentType: APPLICATION_PROTOBUF },
];

describe.each(MODES)('example framework on the embedded cluster (master + 2 real agents, $executor tasks, $contentType)', ({ executor, contentType }) => {
  let dir: string;
  let cluster: EmbeddedCluster;
  let options: VolumeCopiesOptions;
  const frameworks: VolumeCopies[] = [];
  /** Per copy: the task, the agent running it, its pid. Filled by the first step. */
  const placed = new Map<string, { taskId: string; agent: EmbeddedAgent; pid: number }>();
  let frameworkId = '';

  const diagnostics = (): string => `\n--- master log ---\n${logTail(cluster, 'master')}\n--- agent-0 log ---\n${logTail(cluster, 'agent-0')}\n--- agent-1 log ---\n${logTail(cluster, 'agent-1')}`;
  const latest = (): VolumeCopies => frameworks[frameworks.length - 1]!;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'copies-embedded-'));
    cluster = await startEmbeddedCluster({ workDir: path.join(dir, 'cluster'), numAgents: 2, resources: 'cpus:2;mem:1024;disk:1000', agentFlags: [`--command_executor=${executor}`, `--executor_reregistration_timeout=${REREGISTRATION_TIMEOUT_MS}ms`] });
    options = {
      master: cluster.master,
      name: 'copies',
      copies: 2,
      command: COMMAND,
      role: ROLE,
      principal: 'copies-principal',
      cpus: 0.5,
      mem: 64,
      volumeMb: 50,
      contentType,
      store: new FileStateStore(path.join(dir, 'copies.json')),
    };
  });

  afterAll(async () => {
    for (const f of frameworks) await f.stop();
    await cluster?.stop();
    if (dir !== undefined && process.env.KEEP_E2E_DIR === undefined) await rm(dir, { recursive: true, force: true });
  });

  it('runs two copies, each writing to its own persistent volume', async () => {
    const first = await VolumeCopies.start(options);
    frameworks.push(first);
    await until(() => Object.values(first.running()).filter((s) => s === 'TASK_RUNNING').length === 2, () => `two RUNNING copies, have ${JSON.stringify(first.running())}${diagnostics()}`);
    // One ACCEPT per agent used: reserve + create a volume per copy, then launch on it.
    const types = first.accepted.flatMap((a) => a.operations.map((o) => o.type));
    expect(types.filter((t) => t === 'RESERVE')).toHaveLength(2);
    expect(types.filter((t) => t === 'CREATE')).toHaveLength(2);
    for (const a of first.accepted) expect(a.operations.at(-1)?.type).toBe('LAUNCH');
    expect(first.accepted.flatMap((a) => a.operations.flatMap((o) => o.launch?.task_infos ?? []))).toHaveLength(2);
    frameworkId = first.client.frameworkId!;
    expect(await loadFrameworkId(options.store)).toBe(frameworkId);

    // Find each task on its agent, its pid (written by the command) and the line it wrote to its volume.
    for (const t of first.client.tasks.active()) {
      const copy = t.taskId.slice('copy-'.length, t.taskId.indexOf('.'));
      const agent = cluster.agents.find((a) => a.agent.agentId === t.agentId);
      expect(agent, `agent ${t.agentId} of task ${t.taskId}`).toBeDefined();
      let sandbox = '';
      await until(async () => {
        sandbox = (await agentTasks(agent!)).find((x) => x.id === t.taskId && x.state === 'TASK_RUNNING')?.sandbox ?? '';
        return sandbox !== '' && readPid(sandbox) !== undefined;
      }, () => `task ${t.taskId} RUNNING in ${agent!.name}'s /state with a task.pid in its sandbox${diagnostics()}`);
      const pid = readPid(sandbox)!;
      expect(alive(pid)).toBe(true);
      expect(readLines(volumeLog(agent!, copy))).toEqual([t.taskId]);
      placed.set(copy, { taskId: t.taskId, agent: agent!, pid });
    }
    expect([...placed.keys()].sort()).toEqual(['0', '1']);
  }, 60_000);

  it('(1) a restarted scheduler fails over with the same framework id and keeps the tasks', async () => {
    await latest().stop();
    const second = await VolumeCopies.start(options);
    frameworks.push(second);
    await until(() => second.client.subscribed && second.client.tasks.unconfirmed().length === 0, () => `reconciliation after failover (unconfirmed: ${JSON.stringify(second.client.tasks.unconfirmed())})${diagnostics()}`);
    expect(second.client.frameworkId).toBe(frameworkId);
    expect(second.running()).toEqual({ 0: 'TASK_RUNNING', 1: 'TASK_RUNNING' });
    // Offers keep coming every allocation interval (50 ms): give them time to (wrongly) launch something.
    await new Promise((r) => setTimeout(r, 500));
    expect(second.accepted).toEqual([]);
    for (const p of placed.values()) expect(alive(p.pid), `pid ${p.pid} of ${p.taskId}`).toBe(true);
  }, 60_000);

  it('(2) an agent restart keeps its tasks running and they are reported RUNNING after re-registration', async () => {
    const framework = latest();
    const { agent: restarted } = placed.get('0')!;
    const agentId = restarted.agent.agentId!;
    await restarted.restart();
    const startedAt = restarted.agent.startTime;
    await until(async () => (await masterAgents(cluster.master)).some((a) => a.id === agentId && a.active && (a.reregistered_time ?? 0) >= startedAt), () => `${restarted.name} (${agentId}) to re-register${diagnostics()}`);
    expect(restarted.agent.agentId).toBe(agentId);
    const onIt = [...placed.values()].filter((p) => p.agent === restarted);
    await until(async () => {
      const tasks = await agentTasks(restarted);
      return onIt.every((p) => tasks.some((t) => t.id === p.taskId && t.state === 'TASK_RUNNING'));
    }, () => `the restarted agent to recover ${onIt.map((p) => p.taskId).join(', ')} as RUNNING${diagnostics()}`);
    // Recovered executors that do not resubscribe in time are killed: look again after that deadline.
    await new Promise((r) => setTimeout(r, REREGISTRATION_TIMEOUT_MS + 500));
    for (const p of onIt) expect(alive(p.pid), `pid ${p.pid} of ${p.taskId} survives the agent restart${diagnostics()}`).toBe(true);
    const after = await agentTasks(restarted);
    for (const p of onIt) expect(after.find((t) => t.id === p.taskId)?.state, `${p.taskId} in ${restarted.name}'s /state`).toBe('TASK_RUNNING');

    // Explicit reconciliation: the master answers from what the re-registered agent reported.
    const reported = new Map<string, v1.TaskState>();
    const off = framework.client.on('update', (s) => void reported.set(s.task_id.value, s.state));
    try {
      await framework.client.reconcile(onIt.map((p) => ({ taskId: p.taskId, agentId })));
      await until(() => onIt.every((p) => reported.get(p.taskId) === 'TASK_RUNNING'), () => `RUNNING for ${onIt.map((p) => p.taskId).join(', ')}, got ${JSON.stringify([...reported])}${diagnostics()}`);
    } finally {
      off();
    }
    expect(framework.running()).toEqual({ 0: 'TASK_RUNNING', 1: 'TASK_RUNNING' });
    expect(framework.accepted).toEqual([]);
  }, 60_000);

  it('(3) a killed task comes back on the same agent with the same volume and its data', async () => {
    const framework = latest();
    const old = placed.get('0')!;
    process.kill(old.pid, 'SIGKILL');
    // The framework's failover policy holds a failed copy back 500 ms before relaunching it.
    await new Promise((r) => setTimeout(r, 400));
    expect(framework.accepted).toEqual([]);
    await until(() => framework.accepted.length === 1 && framework.running()['0'] === 'TASK_RUNNING', () => `copy 0 relaunched and RUNNING (accepts: ${framework.accepted.length}, running: ${JSON.stringify(framework.running())})${diagnostics()}`);
    const relaunch = framework.accepted[0]!.operations;
    expect(relaunch.map((o) => o.type)).toEqual(['LAUNCH']);
    const task = relaunch[0]!.launch!.task_infos![0]!;
    expect(task.agent_id.value).toBe(old.agent.agent.agentId);
    expect(task.resources?.find((r) => r.disk?.persistence)?.disk?.persistence?.id).toBe('copies-0');
    const newId = task.task_id.value;
    await until(() => readLines(volumeLog(old.agent, '0')).length === 2, () => `the new task to append to copy 0's volume log (${JSON.stringify(readLines(volumeLog(old.agent, '0')))})`);
    expect(readLines(volumeLog(old.agent, '0'))).toEqual([old.taskId, newId]);
    const sandbox = (await agentTasks(old.agent)).find((t) => t.id === newId)!.sandbox;
    await until(() => readPid(sandbox) !== undefined, () => `task.pid of ${newId}`);
    placed.set('0', { taskId: newId, agent: old.agent, pid: readPid(sandbox)! });
    expect(alive(old.pid)).toBe(false);
    expect(alive(placed.get('1')!.pid)).toBe(true);
  }, 60_000);

  it('(4) a framework teardown kills every task and executor: no process is left', async () => {
    const framework = latest();
    // Everything this worker started that is still running: executors, their tasks (sleep).
    const before = descendants(process.pid);
    const pids = [...placed.values()].map((p) => p.pid);
    for (const pid of pids) expect(before).toContain(pid);
    await framework.client.teardown();
    await until(() => before.every((pid) => !alive(pid)), () => `every process to exit; alive: ${before.filter(alive).join(', ')}${diagnostics()}`, 30_000);
    await until(async () => (await Promise.all(cluster.agents.map(agentTasks))).flat().length === 0, () => `the agents to report no live task${diagnostics()}`);
  }, 60_000);
});

// Upstream's posix filesystem isolator hands a (non-shared, unused) persistent volume to the sandbox's owner
// when it links it into a sandbox, so a task running as a non-root framework user can write to it; the agent
// does the same (volumes are created root:root 0755, so without it the task fails `Permission denied`).
describe('example framework as a non-root user on an agent running as root', () => {
  it('a task running as nobody can write to its persistent volume', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'copies-nobody-'));
    // mkdtemp makes 0700 directories: the task's user must be able to reach its sandbox and volume.
    chmodSync(dir, 0o755);
    const cluster = await startEmbeddedCluster({ workDir: path.join(dir, 'cluster'), numAgents: 1, resources: 'cpus:1;mem:512;disk:200' });
    const framework = await VolumeCopies.start({ master: cluster.master, name: 'copies', copies: 1, command: COMMAND, role: ROLE, principal: 'copies-principal', cpus: 0.5, mem: 64, volumeMb: 50, user: 'nobody', store: new FileStateStore(path.join(dir, 'copies.json')) });
    try {
      const log = volumeLog(cluster.agents[0]!, '0');
      await until(() => readLines(log).length > 0, () => `a line in ${log}${`\n${logTail(cluster, 'agent-0')}`}`, 10_000);
      expect(Object.keys(framework.running())).toEqual(['0']);
    } finally {
      await framework.stop();
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
