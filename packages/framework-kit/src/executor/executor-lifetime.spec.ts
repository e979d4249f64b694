// The executor's end against a tiny in-memory client (the three members untilExecutorEnds uses) and a ManualClock:
// task done + terminal ack ends it at once, a missing ack ends it after the wait, a non-terminal ack does not
// count, the agent's end wins, and the exit code of each end.
import { ManualClock } from '@mesos-ts/common';
import type { ExitReason } from '@mesos-ts/executor';
import type { v1 } from '@mesos-ts/proto';
import { describe, expect, it } from 'vitest';
import { executorExitCode, untilExecutorEnds, type ExecutorEnd } from './executor-lifetime.js';

function fakeClient() {
  const acked: Array<(s: v1.TaskStatus) => unknown> = [];
  let finish!: (r: ExitReason) => void;
  const client = {
    started: false,
    finished: new Promise<ExitReason>((resolve) => (finish = resolve)),
    on: ((event: string, handler: (s: v1.TaskStatus) => unknown) => {
      if (event === 'acknowledged') acked.push(handler);
      return () => undefined;
    }) as never,
    start() {
      client.started = true;
    },
  };
  const ack = (state: v1.TaskState) => acked.forEach((h) => h({ task_id: { value: 't' }, state }));
  return { client, ack, finish };
}

/** The settled value of `p` after pending microtasks, or 'pending'. */
async function peek<T>(p: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);
}

describe('untilExecutorEnds', () => {
  it('starts the client and ends with done once the task is done and its terminal update acknowledged', async () => {
    const { client, ack } = fakeClient();
    const clock = new ManualClock();
    let taskDone!: () => void;
    const end = untilExecutorEnds(client, new Promise<void>((r) => (taskDone = r)), { clock });
    expect(client.started).toBe(true);
    ack('TASK_FINISHED');
    expect(await peek(end)).toBe('pending');
    taskDone();
    expect(await peek(end)).toBe('done');
  });

  it('waits for the terminal ack up to ackWaitMs; a non-terminal ack does not count', async () => {
    const { client, ack } = fakeClient();
    const clock = new ManualClock();
    const end = untilExecutorEnds(client, Promise.resolve(), { clock, ackWaitMs: 5_000 });
    ack('TASK_RUNNING');
    expect(await peek(end)).toBe('pending');
    clock.advance(4_999);
    expect(await peek(end)).toBe('pending');
    clock.advance(1);
    expect(await peek(end)).toBe('done');
  });

  it("ends with the client's reason when the agent ends the executor first", async () => {
    const { client, finish } = fakeClient();
    const end = untilExecutorEnds(client, new Promise(() => undefined), { clock: new ManualClock() });
    finish({ kind: 'agent-lost', detail: 'gone' });
    expect(await end).toEqual({ kind: 'agent-lost', detail: 'gone' });
  });
});

describe('executorExitCode', () => {
  const table: Array<[ExecutorEnd, number]> = [
    ['done', 0],
    [{ kind: 'shutdown' }, 0],
    [{ kind: 'stopped' }, 0],
    [{ kind: 'agent-lost', detail: 'x' }, 1],
    [{ kind: 'recovery-timeout', detail: 'x' }, 1],
  ];
  it.each(table)('%j -> %i', (end, code) => expect(executorExitCode(end)).toBe(code));
});
