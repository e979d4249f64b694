import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTAINER_ENV } from '../src/containerizer.js';
import type { ExecutorRec } from '../src/model.js';
import { pidsWithEnv } from '../src/proc.js';
import { anyAlive, commandTask, framework, startHarness as start, waitFor, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

function executorOf(h: Harness, taskId: string): ExecutorRec {
  for (const fw of [...h.agent.frameworks.values(), ...h.agent.completedFrameworks]) {
    for (const ex of [...fw.executors.values(), ...fw.completedExecutors]) {
      if (ex.taskInfos.has(taskId) || ex.tasks.has(taskId) || ex.completedTasks.some((t) => t.task_id.value === taskId)) return ex;
    }
  }
  throw new Error(`no executor for ${taskId}`);
}

describe.each(['process', 'inline'])('command tasks (--command_executor=%s)', (mode) => {
  // mesos-executor is one more process in the container.
  const executorProcesses = mode === 'process' ? 1 : 0;
  const startHarness = (opts: Parameters<typeof start>[0] = {}) => start({ ...opts, flags: [...(opts.flags ?? []), `--command_executor=${mode}`] });

  it.each([
    { name: 'shell success', command: { value: 'echo hello-$MESOS_TASK_ID' }, state: 'TASK_FINISHED', message: /^Command exited with status 0$/, stdout: 'hello-t1' },
    { name: 'shell failure', command: { value: 'echo oops >&2; exit 3' }, state: 'TASK_FAILED', message: /^Command exited with status 3$/, stdout: '' },
    { name: 'argv form', command: { shell: false, value: '/bin/echo', arguments: ['echo', 'a b', 'c'] }, state: 'TASK_FINISHED', message: /^Command exited with status 0$/, stdout: 'a b c' },
    { name: 'missing program', command: { shell: false, value: '/nonexistent/prog', arguments: ['prog'] }, state: 'TASK_FAILED', message: /Failed to launch the command|status 127/, stdout: '' },
  ])('$name ends $state', async ({ command, state, message, stdout }) => {
    h = await startHarness();
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fw1'), task: commandTask('t1', '', { command }) } });
    const end = await h.master.waitForUpdate('t1', state, 15_000);
    expect(end.status_update?.status.message).toMatch(message);
    expect(end.status_update?.status.source).toBe('SOURCE_EXECUTOR');
    expect(end.status_update?.status.uuid?.length).toBe(16);
    const ex = executorOf(h, 't1');
    await waitFor(() => ex.state === 'terminated', 5000, 'executor exit');
    if (stdout) expect(readFileSync(path.join(ex.sandbox, 'stdout'), 'utf8')).toContain(stdout);
    // Acknowledged terminal task: completed, sandbox scheduled for GC, runs/latest points at the run.
    await waitFor(() => h!.agent.completedFrameworks.length === 1, 5000, 'framework completion');
    expect(h.agent.gc.scheduled()).toContain(ex.sandbox);
    expect(readFileSync(path.join(path.dirname(ex.sandbox), 'latest', 'stdout'), 'utf8')).toBe(readFileSync(path.join(ex.sandbox, 'stdout'), 'utf8'));
  });

  it('gives the task the upstream environment plus CommandInfo.environment', async () => {
    h = await startHarness();
    const task = commandTask('envtask', 'env', { command: { value: 'env', environment: { variables: [{ name: 'GREETING', value: 'hi there' }] } } });
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fw-env', { checkpoint: true }), task } });
    await h.master.waitForUpdate('envtask', 'TASK_FINISHED', 15_000);
    const ex = executorOf(h, 'envtask');
    const env = Object.fromEntries(
      readFileSync(path.join(ex.sandbox, 'stdout'), 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(env).toMatchObject({
      GREETING: 'hi there',
      MESOS_TASK_ID: 'envtask',
      MESOS_FRAMEWORK_ID: 'fw-env',
      MESOS_EXECUTOR_ID: 'envtask',
      MESOS_SANDBOX: ex.sandbox,
      MESOS_DIRECTORY: ex.sandbox,
      MESOS_AGENT_ENDPOINT: h.agent.address,
      MESOS_CHECKPOINT: '1',
      MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: '1secs',
      MESOS_RECOVERY_TIMEOUT: '15mins',
      MESOS_SUBSCRIPTION_BACKOFF_MAX: '1secs',
    });
    expect(ex.sandbox).toMatch(new RegExp(`/slaves/fake-agent-1/frameworks/fw-env/executors/envtask/runs/${ex.containerId}$`));
  });

  it('kills the whole process tree: TASK_KILLING then TASK_KILLED, no process left', async () => {
    h = await startHarness();
    const fw = framework('fwk', { capabilities: [{ type: 'TASK_KILLING_STATE' }] });
    // A background child and a grandchild that outlive the shell unless the group is killed.
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: fw, task: commandTask('k1', 'sleep 100 & (sleep 101 &); sleep 102') } });
    await h.master.waitForUpdate('k1', 'TASK_RUNNING', 15_000);
    const ex = executorOf(h, 'k1');
    await waitFor(() => pidsWithEnv(CONTAINER_ENV, ex.containerId).length >= 4 + executorProcesses, 5000, 'task processes');
    const pids = pidsWithEnv(CONTAINER_ENV, ex.containerId);
    h.master.send({ type: 'KILL_TASK', kill_task: { framework_id: fw.id!, task_id: { value: 'k1' } } });
    const killed = await h.master.waitForUpdate('k1', 'TASK_KILLED', 10_000);
    expect(h.master.updates('k1')).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
    expect(killed.status_update?.status.message).toBe('Command terminated with signal Terminated');
    await waitFor(() => !anyAlive(pids), 5000, 'every process of the container to be gone');
  });

  it('SIGKILLs a task that ignores SIGTERM after the kill policy grace period', async () => {
    h = await startHarness();
    const fw = framework('fwg');
    const task = commandTask('g1', "trap '' TERM; sleep 100 & wait; sleep 100", { kill_policy: { grace_period: { nanoseconds: 300_000_000n } } });
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: fw, task } });
    await h.master.waitForUpdate('g1', 'TASK_RUNNING', 15_000);
    const ex = executorOf(h, 'g1');
    await waitFor(() => pidsWithEnv(CONTAINER_ENV, ex.containerId).length >= 2 + executorProcesses, 5000, 'task processes');
    const pids = pidsWithEnv(CONTAINER_ENV, ex.containerId);
    const started = Date.now();
    h.master.send({ type: 'KILL_TASK', kill_task: { framework_id: fw.id!, task_id: { value: 'g1' } } });
    const killed = await h.master.waitForUpdate('g1', 'TASK_KILLED', 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // Without TASK_KILLING_STATE the framework never sees TASK_KILLING.
    expect(h.master.updates('g1')).not.toContain('TASK_KILLING');
    expect(killed.status_update?.status.message).toContain('signal');
    await waitFor(() => !anyAlive(pids), 5000, 'every process of the container to be gone');
  });
});
