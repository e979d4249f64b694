import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { ManualClock } from '@mesos-ts/common';
import { INITIAL_RETRY_MS, MAX_RETRY_MS, StatusUpdateManager } from './status-update-manager.js';

const log = pino({ level: 'silent' });
let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function status(task: string, state: v1.TaskState, n: number): v1.TaskStatus {
  return { task_id: { value: task }, state, uuid: Uint8Array.from([n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) };
}

function setup() {
  const clock = new ManualClock();
  const sent: Array<{ at: number; task: string; state: string }> = [];
  const sum = new StatusUpdateManager({ clock, log, forward: (_fw, s) => sent.push({ at: clock.now() - start, task: s.task_id.value, state: s.state }) });
  const start = clock.now();
  sum.resume();
  return { clock, sent, sum };
}

describe('StatusUpdateManager', () => {
  it('forwards one update per task at a time, in order, each after the previous is acknowledged', async () => {
    const { sent, sum } = setup();
    const a = status('t', 'TASK_RUNNING', 1);
    const b = status('t', 'TASK_FINISHED', 2);
    await sum.update('fw', a, undefined);
    await sum.update('fw', b, undefined);
    await sum.update('fw', status('other', 'TASK_RUNNING', 3), undefined);
    expect(sent.map((s) => `${s.task}:${s.state}`)).toEqual(['t:TASK_RUNNING', 'other:TASK_RUNNING']);
    expect(await sum.acknowledge('fw', 't', b.uuid!)).toBeUndefined(); // not the head
    expect((await sum.acknowledge('fw', 't', a.uuid!))?.state).toBe('TASK_RUNNING');
    expect(sent.map((s) => `${s.task}:${s.state}`)).toEqual(['t:TASK_RUNNING', 'other:TASK_RUNNING', 't:TASK_FINISHED']);
    expect(sum.pending('fw', 't').map((s) => s.state)).toEqual(['TASK_FINISHED']);
  });

  it('retries with backoff from 10 s doubling to 10 min until acknowledged', async () => {
    const { clock, sent, sum } = setup();
    await sum.update('fw', status('t', 'TASK_RUNNING', 1), undefined);
    clock.advance(60 * 60 * 1000);
    const gaps = sent.slice(1).map((s, i) => s.at - sent[i]!.at);
    expect(gaps.slice(0, 6)).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000]);
    expect(Math.max(...gaps)).toBe(MAX_RETRY_MS);
    expect(gaps[0]).toBe(INITIAL_RETRY_MS);
  });

  it('ignores duplicates and reports updates acknowledged already', async () => {
    const { sent, sum } = setup();
    const a = status('t', 'TASK_RUNNING', 1);
    expect(await sum.update('fw', a, undefined)).toBe('queued');
    expect(await sum.update('fw', a, undefined)).toBe('duplicate');
    await sum.acknowledge('fw', 't', a.uuid!);
    expect(await sum.update('fw', a, undefined)).toBe('acknowledged-already');
    expect(sent).toHaveLength(1);
  });

  it('stops retrying while paused and resends every head at once on resume', async () => {
    const { clock, sent, sum } = setup();
    await sum.update('fw', status('t', 'TASK_RUNNING', 1), undefined);
    sum.pause();
    clock.advance(100_000);
    expect(sent).toHaveLength(1);
    sum.resume();
    expect(sent).toHaveLength(2);
  });

  it('replays a checkpointed log: acknowledged updates are dropped, a torn last line is ignored', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sum-'));
    dirs.push(dir);
    const file = path.join(dir, 'tasks', 't', 'updates');
    const { sum } = setup();
    const a = status('t', 'TASK_RUNNING', 1);
    const b = status('t', 'TASK_FINISHED', 2);
    await sum.update('fw', a, file);
    await sum.update('fw', b, file);
    await sum.acknowledge('fw', 't', a.uuid!);
    appendFileSync(file, '{"u":{"task_id":');
    const again = setup();
    const all = again.sum.recover('fw', 't', file, readFileSync(file, 'utf8'));
    expect(all.map((s) => s.state)).toEqual(['TASK_RUNNING', 'TASK_FINISHED']);
    expect(again.sum.pending('fw', 't').map((s) => s.state)).toEqual(['TASK_FINISHED']);
    expect(again.sum.known('fw', 't', a.uuid!)).toBe('acknowledged');
    again.sum.resume();
    expect(again.sent.map((s) => s.state)).toEqual(['TASK_FINISHED']);
  });

  it('never glues an update appended after a restart onto a torn last line', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sum-'));
    dirs.push(dir);
    const file = path.join(dir, 'tasks', 't', 'updates');
    const { sum } = setup();
    await sum.update('fw', status('t', 'TASK_RUNNING', 1), file);
    appendFileSync(file, '{"u":{"task_id":'); // the agent died mid-append
    const restarted = setup();
    restarted.sum.recover('fw', 't', file, readFileSync(file, 'utf8'));
    await restarted.sum.update('fw', status('t', 'TASK_FINISHED', 2), file);
    restarted.sum.stop();
    const again = setup();
    const all = again.sum.recover('fw', 't', file, readFileSync(file, 'utf8'));
    expect(all.map((s) => s.state)).toEqual(['TASK_RUNNING', 'TASK_FINISHED']);
  });

  it('logs an update before it is sent, and holds the log open only while updates are pending', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sum-'));
    dirs.push(dir);
    const file = path.join(dir, 'tasks', 't', 'updates');
    const openFds = (): number => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === file;
      } catch {
        return false;
      }
    }).length;
    const logged: string[] = [];
    const clock = new ManualClock();
    const sum = new StatusUpdateManager({ clock, log, forward: (_fw, st) => {
      if (st.task_id.value === 't') logged.push(`${st.state} logged=${readFileSync(file, 'utf8').includes(st.state)}`);
    } });
    sum.resume();
    const a = status('t', 'TASK_RUNNING', 1);
    const b = status('t', 'TASK_FINISHED', 2);
    await sum.update('fw', a, file);
    await sum.update('fw', b, file);
    expect(openFds()).toBe(1);
    await sum.acknowledge('fw', 't', a.uuid!);
    expect(openFds()).toBe(1); // b is still pending
    await sum.acknowledge('fw', 't', b.uuid!);
    await sum.update('fw', status('other', 'TASK_RUNNING', 3), undefined); // lets the close queued after the ack run
    await new Promise((r) => setTimeout(r, 20));
    expect(openFds()).toBe(0);
    expect(logged).toEqual(['TASK_RUNNING logged=true', 'TASK_FINISHED logged=true']);
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => Object.keys(JSON.parse(l) as object)[0])).toEqual(['u', 'u', 'a', 'a']);
  });
});
