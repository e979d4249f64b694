// How a custom executor's process ends, the same for every framework: it runs until the agent ends it (SHUTDOWN,
// agent lost: the client's `finished`) or until its own task is over and the task's terminal update has been
// acknowledged, so the agent has recorded the task's end before the executor's exit is seen. The exit code tells
// the agent whether the executor ended as it should.
import type { ExecutorClient, ExitReason } from '@mesos-ts/executor';
import { systemClock, type Clock } from '@mesos-ts/common';
import { isTerminalState } from '@mesos-ts/scheduler';

/** `'done'`: the executor's task ended and its terminal update was acknowledged (or the wait for it ran out). */
export type ExecutorEnd = 'done' | ExitReason;

/** How long the agent gets to acknowledge the terminal update before the executor leaves anyway, ms. */
export const TERMINAL_ACK_WAIT_MS = 5_000;

export interface UntilExecutorEndsOptions {
  /** Default TERMINAL_ACK_WAIT_MS. */
  ackWaitMs?: number;
  clock?: Clock;
}

/**
 * Starts `client` and resolves with why the executor ends: the client's exit reason, or 'done' once `taskDone`
 * resolved and a terminal update was acknowledged. The acknowledgement is watched from before the start, so
 * one that comes early is not missed.
 */
export async function untilExecutorEnds(
  client: Pick<ExecutorClient, 'on' | 'start' | 'finished'>,
  taskDone: Promise<unknown>,
  options: UntilExecutorEndsOptions = {},
): Promise<ExecutorEnd> {
  const terminalAcked = new Promise<void>((resolve) => client.on('acknowledged', (s) => (isTerminalState(s.state) ? resolve() : undefined)));
  client.start();
  const done = taskDone.then(() => waitForAck(terminalAcked, options.ackWaitMs ?? TERMINAL_ACK_WAIT_MS, options.clock ?? systemClock));
  return Promise.race([client.finished, done]);
}

/** Resolves 'done' when `acked` resolves or after `ms`, whichever comes first. */
export async function waitForAck(acked: Promise<void>, ms: number = TERMINAL_ACK_WAIT_MS, clock: Clock = systemClock): Promise<'done'> {
  let timer: { cancel(): void } | undefined;
  await Promise.race([acked, new Promise<void>((resolve) => (timer = clock.setTimer(ms, resolve)))]);
  timer?.cancel();
  return 'done';
}

/** 0 when the executor ended as it should (its task done, the agent's SHUTDOWN, a stop), 1 when the agent was lost. */
export function executorExitCode(end: ExecutorEnd): number {
  return end === 'done' || end.kind === 'shutdown' || end.kind === 'stopped' ? 0 : 1;
}
