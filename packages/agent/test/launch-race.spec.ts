// A framework whose tasks crash-loop: its last executor ends (and its checkpoint dir is being removed) while
// the next RUN_TASK for it is being checkpointed. Every task must still run and get a terminal update.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isTerminal } from '../src/model.js';
import type { v1 } from '@mesos-ts/proto';
import { commandTask, framework, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const CYCLES = 50;

describe('rapid launch → exit cycles of one checkpointing framework', () => {
  // The next launch goes out when the previous task's terminal update arrives (the fake master acks it at
  // once, which completes the executor and removes the framework's checkpoint dir), after `delayMs`.
  it.each([{ delayMs: 0 }, { delayMs: 2 }, { delayMs: 3 }, { delayMs: 5 }])('every task gets a terminal update (next launch after $delayMs ms)', async ({ delayMs }) => {
    h = await startHarness({ flags: ['--command_executor=inline'] });
    const master = h.master;
    const fw = framework('crashloop', { checkpoint: true });
    const terminal = new Map<string, v1.TaskState>();
    const launch = (i: number): void => master.send({ type: 'RUN_TASK', run_task: { framework_info: fw, task: commandTask(`t${i}`, 'exit 1') } });
    master.onCall((c) => {
      const s = c.status_update?.status;
      if (c.type !== 'STATUS_UPDATE' || !s || !isTerminal(s.state) || terminal.has(s.task_id.value)) return;
      terminal.set(s.task_id.value, s.state);
      const next = Number(s.task_id.value.slice(1)) + 1;
      if (next < CYCLES) setTimeout(() => launch(next), delayMs);
    });
    launch(0);
    await waitFor(() => terminal.size === CYCLES, 20_000, `${CYCLES} terminal updates (got ${terminal.size})`);
    // Every task really ran: it failed by its own exit status, not by a launch failure.
    expect(new Set(terminal.values())).toEqual(new Set(['TASK_FAILED']));
    const ends = master.calls.map((c) => c.status_update?.status).filter((s) => s !== undefined && isTerminal(s.state));
    const messages = ends.map((s) => s!.message ?? '');
    expect(messages.filter((m) => !/Command exited with status 1/.test(m))).toEqual([]);
  }, 30_000);
});

describe('a RUN_TASK the agent cannot accept', () => {
  it.each([
    { name: 'framework checkpoint unwritable', blocked: (h: Harness) => h.agent.dirs.frameworkMeta(h.agent.requireAgentId(), 'fwbad') },
    { name: 'executor checkpoint unwritable', blocked: (h: Harness) => h.agent.dirs.executorMeta(h.agent.requireAgentId(), 'fwbad', 'tbad') },
  ])('$name: the task ends TASK_FAILED with a message, and the agent keeps working', async ({ blocked }) => {
    h = await startHarness({ flags: ['--command_executor=inline'] });
    // A plain file where a checkpoint directory must go: every write under it fails (even as root).
    mkdirSync(path.dirname(blocked(h)), { recursive: true });
    writeFileSync(blocked(h), 'in the way');
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fwbad', { checkpoint: true }), task: commandTask('tbad', 'true') } });
    const end = await h.master.waitForUpdate('tbad', 'TASK_FAILED', 10_000);
    expect(end.status_update?.status).toMatchObject({ source: 'SOURCE_AGENT', reason: 'REASON_CONTAINER_LAUNCH_FAILED' });
    expect(end.status_update?.status.message).toMatch(/^Failed to launch the task on the agent: .*(ENOTDIR|EEXIST)/);
    await waitFor(() => !h!.agent.frameworks.has('fwbad'), 5000, 'the framework to be forgotten');
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fwok', { checkpoint: true }), task: commandTask('tok', 'true') } });
    await h.master.waitForUpdate('tok', 'TASK_FINISHED', 10_000);
  }, 20_000);
});
