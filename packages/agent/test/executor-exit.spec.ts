// The built-in executor (--command_executor=process) leaves as soon as its task is terminal and its updates
// are safely with the agent, so a killed or shut down task does not keep an executor process for the whole
// shutdown grace period (the agent's shutdown path stops waiting when the process exits).
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutorRec } from '../src/model.js';
import { commandTask, framework, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const GRACE = '5secs';

function executorOf(h: Harness, fwId: string, taskId: string): ExecutorRec {
  const ex = h.agent.frameworks.get(fwId)?.executors.get(taskId);
  if (!ex) throw new Error(`no executor for ${taskId}`);
  return ex;
}

describe('mesos-executor exits promptly once its task is terminal', () => {
  it.each([
    { how: 'SHUTDOWN_FRAMEWORK, master never acknowledges', autoAck: false, end: 'shutdown' },
    { how: 'SHUTDOWN_FRAMEWORK, master acknowledges', autoAck: true, end: 'shutdown' },
    { how: 'KILL_TASK, master never acknowledges', autoAck: false, end: 'kill' },
  ])('$how', async ({ autoAck, end }) => {
    h = await startHarness({ autoAck: true, flags: ['--command_executor=process', `--executor_shutdown_grace_period=${GRACE}`] });
    const fw = framework('fw-exit', { checkpoint: true });
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: fw, task: commandTask('t1', 'exec sleep 100') } });
    await h.master.waitForUpdate('t1', 'TASK_RUNNING', 15_000);
    // From here on the master may stop acknowledging (a torn down framework's updates are never acked).
    h.master.autoAck = autoAck;
    const ex = executorOf(h, 'fw-exit', 't1');
    const started = Date.now();
    if (end === 'shutdown') h.master.send({ type: 'SHUTDOWN_FRAMEWORK', shutdown_framework: { framework_id: { value: 'fw-exit' } } });
    else h.master.send({ type: 'KILL_TASK', kill_task: { framework_id: { value: 'fw-exit' }, task_id: { value: 't1' } } });
    await h.master.waitForUpdate('t1', 'TASK_KILLED', 10_000);
    await waitFor(() => ex.state === 'terminated', 10_000, 'the executor to exit');
    const elapsedMs = Date.now() - started;
    // Far below the 5 s grace period: the executor left by itself, nobody had to wait it out.
    expect(elapsedMs).toBeLessThan(2_500);
  }, 20_000);
});
