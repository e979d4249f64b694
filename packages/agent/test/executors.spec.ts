import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { CONTAINER_ENV } from '../src/containerizer.js';
import { Fetcher } from '../src/fetcher/index.js';
import { pidsWithEnv } from '../src/proc.js';
import { anyAlive, commandTask, framework, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness | undefined;
const temp: string[] = [];
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
  for (const d of temp.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'agent-ex-'));
  temp.push(d);
  return d;
}

describe('executors', () => {
  it('runs a task group through the default executor', async () => {
    h = await startHarness();
    const executor: v1.ExecutorInfo = { executor_id: { value: 'default-ex' }, type: 'DEFAULT', resources: Resources.parse('cpus:0.1;mem:32').toProto() };
    const tasks = [commandTask('ga', 'echo a > a.txt'), commandTask('gb', 'echo b > b.txt')];
    h.master.send({ type: 'RUN_TASK_GROUP', run_task_group: { framework_info: framework('fwg'), executor, task_group: { tasks } } });
    await h.master.waitForUpdate('ga', 'TASK_FINISHED', 15_000);
    const b = await h.master.waitForUpdate('gb', 'TASK_FINISHED', 15_000);
    expect(b.status_update?.status.executor_id?.value).toBe('default-ex');
    await waitFor(() => h!.agent.completedFrameworks.length === 1, 5000, 'framework completion');
    const ex = h.agent.completedFrameworks[0]!.completedExecutors[0]!;
    expect(readFileSync(path.join(ex.sandbox, 'a.txt'), 'utf8')).toBe('a\n');
    expect(readFileSync(path.join(ex.sandbox, 'b.txt'), 'utf8')).toBe('b\n');
  });

  it('kills the rest of a task group when one of its tasks fails', async () => {
    h = await startHarness();
    const executor: v1.ExecutorInfo = { executor_id: { value: 'grp' }, type: 'DEFAULT' };
    const tasks = [commandTask('bad', 'sleep 0.2; exit 1'), commandTask('long', 'sleep 100')];
    h.master.send({ type: 'RUN_TASK_GROUP', run_task_group: { framework_info: framework('fwf'), executor, task_group: { tasks } } });
    await h.master.waitForUpdate('bad', 'TASK_FAILED', 15_000);
    await h.master.waitForUpdate('long', 'TASK_KILLED', 15_000);
  });

  it('gives a custom executor the executor API environment and fails its tasks when it exits without subscribing', async () => {
    h = await startHarness();
    const executor: v1.ExecutorInfo = { executor_id: { value: 'custom' }, command: { value: 'env > env.txt; exit 7', environment: { variables: [{ name: 'FOO', value: 'bar' }] } } };
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fwc'), task: { ...commandTask('ct', 'unused'), command: undefined, executor } } });
    const failed = await h.master.waitForUpdate('ct', 'TASK_FAILED', 15_000);
    expect(failed.status_update?.status.reason).toBe('REASON_EXECUTOR_TERMINATED');
    expect(failed.status_update?.status.message).toContain('exited with status 7');
    const exited = await h.master.waitForCall((c) => c.type === 'EXECUTOR_EXITED');
    expect(exited.executor_exited?.status).toBe(7 << 8);
    await waitFor(() => h!.agent.completedFrameworks.length === 1, 5000, 'framework completion');
    const ex = h.agent.completedFrameworks[0]!.completedExecutors[0]!;
    const env = readFileSync(path.join(ex.sandbox, 'env.txt'), 'utf8');
    for (const line of ['FOO=bar', 'MESOS_EXECUTOR_ID=custom', 'MESOS_FRAMEWORK_ID=fwc', `MESOS_SANDBOX=${ex.sandbox}`, `MESOS_AGENT_ENDPOINT=${h.agent.address}`, 'MESOS_CHECKPOINT=0']) expect(env).toContain(line);
    expect(env).not.toContain('MESOS_TASK_ID=');
  });

  it('kills an executor that does not subscribe within --executor_registration_timeout', async () => {
    h = await startHarness({ flags: ['--executor_registration_timeout=300ms'] });
    const executor: v1.ExecutorInfo = { executor_id: { value: 'mute' }, command: { value: 'sleep 100' } };
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fwm'), task: { ...commandTask('mt', ''), command: undefined, executor } } });
    await waitFor(() => [...(h!.agent.frameworks.get('fwm')?.executors.values() ?? [])].some((e) => e.container), 5000, 'container');
    const ex = h.agent.frameworks.get('fwm')!.executors.get('mute')!;
    const pids = pidsWithEnv(CONTAINER_ENV, ex.containerId);
    const failed = await h.master.waitForUpdate('mt', 'TASK_FAILED', 10_000);
    expect(failed.status_update?.status.reason).toBe('REASON_EXECUTOR_REGISTRATION_TIMEOUT');
    await waitFor(() => !anyAlive(pids), 5000, 'executor processes to end');
  });

  it('fetches URIs into the sandbox before the task runs, and fails the task naming a URI it cannot fetch', async () => {
    const dir = tmp();
    const script = path.join(dir, 'hello.sh');
    writeFileSync(script, '#!/bin/sh\necho fetched-and-ran\n');
    chmodSync(script, 0o644);
    h = await startHarness({ fetcher: new Fetcher({ cacheDir: path.join(dir, 'cache'), cacheSizeBytes: 1 << 20, log: pino({ level: 'silent' }) }) });
    const ok = commandTask('f1', './hello.sh', { command: { value: './hello.sh', uris: [{ value: `file://${script}`, executable: true }] } });
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fwf'), task: ok } });
    await h.master.waitForUpdate('f1', 'TASK_FINISHED', 15_000);
    const bad = commandTask('f2', 'true', { command: { value: 'true', uris: [{ value: `file://${dir}/missing.tgz` }] } });
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fwf'), task: bad } });
    const failed = await h.master.waitForUpdate('f2', 'TASK_FAILED', 15_000);
    expect(failed.status_update?.status.reason).toBe('REASON_CONTAINER_LAUNCH_FAILED');
    expect(failed.status_update?.status.source).toBe('SOURCE_AGENT');
    expect(failed.status_update?.status.message).toContain(`${dir}/missing.tgz`);
  });

  it.each(['process', 'inline'])('reports health check results and kills the task after consecutive failures (--command_executor=%s)', async (mode) => {
    h = await startHarness({ flags: [`--command_executor=${mode}`] });
    const task = commandTask('hc', 'sleep 100', {
      health_check: { type: 'COMMAND', command: { value: 'test -f healthy' }, delay_seconds: 0, interval_seconds: 0.1, timeout_seconds: 2, consecutive_failures: 2, grace_period_seconds: 5 },
    });
    task.command!.value = 'touch healthy; sleep 1; rm healthy; sleep 100';
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fwh'), task } });
    const healthy = await h.master.waitForCall((c) => c.status_update?.status.task_id.value === 'hc' && c.status_update.status.healthy === true, 15_000);
    expect(healthy.status_update?.status.reason).toBe('REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');
    expect(healthy.status_update?.status.state).toBe('TASK_RUNNING');
    const killed = await h.master.waitForUpdate('hc', 'TASK_KILLED', 15_000);
    expect(killed.status_update?.status.healthy).toBe(false);
  });

  it('SHUTDOWN_FRAMEWORK kills its tasks and executors', async () => {
    h = await startHarness();
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fwx'), task: commandTask('x1', 'sleep 100') } });
    await h.master.waitForUpdate('x1', 'TASK_RUNNING', 15_000);
    const ex = h.agent.frameworks.get('fwx')!.executors.get('x1')!;
    const pids = pidsWithEnv(CONTAINER_ENV, ex.containerId);
    h.master.send({ type: 'SHUTDOWN_FRAMEWORK', shutdown_framework: { framework_id: { value: 'fwx' } } });
    await h.master.waitForUpdate('x1', 'TASK_KILLED', 10_000);
    await waitFor(() => !anyAlive(pids), 5000, 'processes to end');
    await h.master.waitForCall((c) => c.type === 'EXECUTOR_EXITED');
  });

  it.runIf(process.getuid?.() === 0).each(['process', 'inline'])('runs the task as the framework user when the agent is root (--command_executor=%s)', async (mode) => {
    h = await startHarness({ flags: [`--command_executor=${mode}`] });
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fwu', { user: 'nobody' }), task: commandTask('u1', 'id -un; touch mine') } });
    await h.master.waitForUpdate('u1', 'TASK_FINISHED', 15_000);
    const ex = [...h.agent.frameworks.values(), ...h.agent.completedFrameworks].flatMap((f) => [...f.executors.values(), ...f.completedExecutors]).find((e) => e.id === 'u1')!;
    await waitFor(() => ex.state === 'terminated', 5000, 'executor exit');
    expect(readFileSync(path.join(ex.sandbox, 'stdout'), 'utf8')).toBe('nobody\n');
    expect(statSync(path.join(ex.sandbox, 'mine')).uid).toBe(65534);
  });

  it('SHUTDOWN from the master kills every executor and tells the owner to exit', async () => {
    h = await startHarness();
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fws'), task: commandTask('s1', 'sleep 100') } });
    await h.master.waitForUpdate('s1', 'TASK_RUNNING', 15_000);
    const ex = h.agent.frameworks.get('fws')!.executors.get('s1')!;
    const pids = pidsWithEnv(CONTAINER_ENV, ex.containerId);
    let message: string | undefined;
    (h.agent.opts as { onShutdown?: (m: string) => void }).onShutdown = (m) => (message = m);
    h.master.send({ type: 'SHUTDOWN', shutdown: { message: 'removed by operator' } });
    await waitFor(() => message !== undefined, 10_000, 'onShutdown');
    expect(message).toBe('removed by operator');
    await waitFor(() => !anyAlive(pids), 5000, 'every process of the container to be gone');
  });

  it('answers TASK_LOST for a task sent to an executor that is shutting down', async () => {
    h = await startHarness({ flags: ['--executor_shutdown_grace_period=3secs'] });
    const executor: v1.ExecutorInfo = { executor_id: { value: 'ending' }, command: { value: "trap '' TERM; sleep 100" } };
    const fw = framework('fwl');
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: fw, task: { ...commandTask('l1', ''), command: undefined, executor } } });
    await waitFor(() => h!.agent.frameworks.get('fwl')?.executors.get('ending')?.state === 'registering', 5000, 'executor start');
    h.master.send({ type: 'SHUTDOWN_EXECUTOR', shutdown_executor: { framework_id: fw.id!, executor_id: executor.executor_id } });
    await waitFor(() => h!.agent.frameworks.get('fwl')?.executors.get('ending')?.state === 'terminating', 5000, 'shutdown');
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: fw, task: { ...commandTask('l2', ''), command: undefined, executor } } });
    const lost = await h.master.waitForUpdate('l2', 'TASK_LOST', 10_000);
    expect(lost.status_update?.status.message).toContain('shutting down');
    await h.master.waitForUpdate('l1', 'TASK_KILLED', 10_000);
  });
});
