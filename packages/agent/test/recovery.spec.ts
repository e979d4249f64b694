// kill -9 of a real mesos-agent process, then a new agent on the same work_dir.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTAINER_ENV } from '../src/containerizer.js';
import { FakeMaster } from '../src/testing/fake-master.js';
import { spawnAgent, type AgentProcess } from './agent-process.js';
import { anyAlive, commandTask, framework, waitFor } from './harness.js';

let master: FakeMaster;
let workDir: string;
const agents: AgentProcess[] = [];

beforeEach(async () => {
  master = new FakeMaster({ autoAck: true });
  await master.start();
  workDir = mkdtempSync(path.join(os.tmpdir(), 'agent-recovery-'));
});

afterEach(async () => {
  for (const a of agents.splice(0)) await a.kill9();
  for (const pid of allContainerPids()) process.kill(pid, 'SIGKILL');
  await master.stop();
  rmSync(workDir, { recursive: true, force: true });
});

function start(extra: string[] = []): Promise<AgentProcess> {
  return spawnAgent([`--master=${master.address}`, '--ip=127.0.0.1', '--port=0', `--work_dir=${workDir}`, '--registration_backoff_factor=50ms', '--resources=cpus:2;mem:1024', ...extra]).then((a) => {
    agents.push(a);
    return a;
  });
}

/** Processes of every container started under this test's work_dir (their sandbox env points into it). */
function allContainerPids(): number[] {
  const out: number[] = [];
  for (const name of readdirSafe('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (env.includes(`MESOS_SANDBOX=${workDir}`) && env.includes(`${CONTAINER_ENV}=`)) out.push(pid);
    } catch {
      // gone
    }
  }
  return out;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function sandboxOf(taskId: string): string {
  return path.join(workDir, 'slaves', 'fake-agent-1', 'frameworks', 'fw', 'executors', taskId, 'runs', 'latest');
}

const gated = (id: string): string => `while [ ! -f go ]; do sleep 0.05; done; echo finished-${id}`;

describe.each(['process', 'inline'])('agent restart (kill -9), --command_executor=%s', (mode) => {
  it('keeps tasks of checkpointing frameworks running and delivers their final state after recovery', async () => {
    await start([`--command_executor=${mode}`]);
    await master.waitForCall((c) => c.type === 'REGISTER');
    master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fw', { checkpoint: true }), task: commandTask('live', gated('live')) } });
    master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fw', { checkpoint: true }), task: commandTask('dead', gated('dead')) } });
    await master.waitForUpdate('live', 'TASK_RUNNING', 15_000);
    await master.waitForUpdate('dead', 'TASK_RUNNING', 15_000);
    await agents[0]!.kill9();
    const pids = allContainerPids();
    expect(pids.length).toBeGreaterThanOrEqual(4);
    // 'dead' finishes while the agent is down (and its executor, if any, is then killed); 'live' still runs.
    writeFileSync(path.join(sandboxOf('dead'), 'go'), '');
    if (mode === 'process') {
      const updatesFile = path.join(sandboxOf('dead'), '.mesos-executor-updates.json');
      await waitFor(() => existsSync(updatesFile) && readFileSync(updatesFile, 'utf8').includes('TASK_FINISHED'), 10_000, 'executor to record its final update');
      process.kill(findExecutorPid('dead'), 'SIGKILL');
    } else {
      await waitFor(() => existsSync(path.join(sandboxOf('dead'), '.mesos-exit-status')), 10_000, 'the wrapper to record the exit status');
    }
    const from = master.calls.length;
    await start([`--command_executor=${mode}`]);
    const rereg = await master.waitForCall((c) => c.type === 'REREGISTER', 15_000, from);
    expect(rereg.agent_id?.value).toBe('fake-agent-1');
    expect((rereg.reregister?.tasks ?? []).map((t) => t.task_id.value).sort()).toEqual(['dead', 'live']);
    const dead = await master.waitForCall((c) => c.type === 'STATUS_UPDATE' && c.status_update?.status.task_id.value === 'dead' && c.status_update.status.state === 'TASK_FINISHED', 15_000, from);
    expect(dead.status_update?.status.message).toBe('Command exited with status 0');
    writeFileSync(path.join(sandboxOf('live'), 'go'), '');
    const live = await master.waitForCall((c) => c.type === 'STATUS_UPDATE' && c.status_update?.status.task_id.value === 'live' && c.status_update.status.state === 'TASK_FINISHED', 15_000, from);
    expect(live.status_update?.status.message).toBe('Command exited with status 0');
    // The live task was re-attached (not killed for missing the re-registration timeout).
    expect(live.status_update?.status.source).toBe('SOURCE_EXECUTOR');
    expect(master.calls.slice(from).some((c) => c.status_update?.status.reason === 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT')).toBe(false);
    await waitFor(() => !anyAlive(pids), 10_000, 'every container process to end');
  }, 45_000);

  it('without checkpointing, tasks do not outlive the agent', async () => {
    await start([`--command_executor=${mode}`]);
    await master.waitForCall((c) => c.type === 'REGISTER');
    master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fw'), task: commandTask('nc', 'sleep 100') } });
    await master.waitForUpdate('nc', 'TASK_RUNNING', 15_000);
    await waitFor(() => allContainerPids().length >= (mode === 'process' ? 2 : 1), 5000, 'task processes');
    const pids = allContainerPids();
    await agents[0]!.kill9();
    // mesos-executor ends its task when it loses the agent; an inline task is killed by the next agent.
    if (mode === 'inline') await start([`--command_executor=${mode}`]);
    await waitFor(() => !anyAlive(pids), 10_000, 'the executor and its task to end');
  });

  it('--recover=cleanup kills the checkpointed containers of the previous run', async () => {
    await start([`--command_executor=${mode}`]);
    await master.waitForCall((c) => c.type === 'REGISTER');
    master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fw', { checkpoint: true }), task: commandTask('cl', 'sleep 100') } });
    await master.waitForUpdate('cl', 'TASK_RUNNING', 15_000);
    await waitFor(() => allContainerPids().length >= (mode === 'process' ? 2 : 1), 5000, 'task processes');
    const pids = allContainerPids();
    await agents[0]!.kill9();
    expect(anyAlive(pids)).toBe(true);
    const from = master.calls.length;
    await start(['--recover=cleanup', `--command_executor=${mode}`]);
    const rereg = await master.waitForCall((c) => c.type === 'REREGISTER', 15_000, from);
    expect(rereg.reregister?.tasks ?? []).toEqual([]);
    await waitFor(() => !anyAlive(pids), 10_000, 'every container process to end');
  });
});

function findExecutorPid(taskId: string): number {
  for (const pid of allContainerPids()) {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (env.includes(`MESOS_EXECUTOR_ID=${taskId}\0`) && cmd.includes('mesos-executor')) return pid;
  }
  throw new Error(`no executor process for ${taskId}`);
}
