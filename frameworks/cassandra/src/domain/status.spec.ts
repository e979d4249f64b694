import { describe, expect, it } from 'vitest';
import type { CassandraNode } from './node.js';
import { applyHealth, applyTaskStatus } from './status.js';
import { encodeMessage, parseExecutorMessage, parseJobRequest } from './task-data.js';

const node: CassandraNode = { name: 'node-1', seed: false, targetRunState: 'RUN', taskId: 't1', taskState: 'TASK_STAGING', agentId: 'a', ip: '127.0.0.2' };
const report = (over: object = {}) => JSON.stringify({ type: 'health', node: 'node-1', mode: 'NORMAL', healthy: true, loadBytes: 42, pid: 7, ...over });

describe('applyTaskStatus', () => {
  it.each([
    ['TASK_STARTING', undefined, { taskState: 'TASK_STARTING', health: { mode: 'STARTING', healthy: false } }],
    ['TASK_RUNNING', report(), { taskState: 'TASK_RUNNING', health: { mode: 'NORMAL', healthy: true, loadBytes: 42 }, cassandraDaemonPid: 7 }],
    ['TASK_FAILED', undefined, { taskState: 'TASK_FAILED', health: { mode: 'DOWN', healthy: false }, targetRunState: 'RUN' }],
  ])('%s', (state, data, expected) => {
    expect(applyTaskStatus(node, { taskId: 't1', state, ...(data === undefined ? {} : { data }) }, 5)).toMatchObject(expected);
  });

  it('ignores an older task, turns RESTART into RUN when the task ends, forgets the pid', () => {
    expect(applyTaskStatus(node, { taskId: 'old', state: 'TASK_FAILED' }, 5)).toBe(node);
    const ended = applyTaskStatus({ ...node, targetRunState: 'RESTART', cassandraDaemonPid: 9 }, { taskId: 't1', state: 'TASK_KILLED' }, 5);
    expect(ended.targetRunState).toBe('RUN');
    expect(ended.cassandraDaemonPid).toBeUndefined();
  });

  it('the first healthy NORMAL report clears a replacement mark, a JOINING one does not', () => {
    const replacing = { ...node, replacementForIp: '127.0.0.3' };
    expect(applyHealth(replacing, { mode: 'JOINING', healthy: false, loadBytes: 0 }, 1).replacementForIp).toBe('127.0.0.3');
    expect(applyHealth(replacing, { mode: 'NORMAL', healthy: true, loadBytes: 0 }, 1).replacementForIp).toBeUndefined();
  });
});

describe('executor messages', () => {
  it('round-trip and refuse what is not ours', () => {
    expect(parseExecutorMessage(new TextEncoder().encode(report()))).toMatchObject({ type: 'health', node: 'node-1', pid: 7 });
    expect(parseExecutorMessage(encodeMessage({ type: 'job-result', jobId: 'j', node: 'n', ok: true, output: 'x' }))).toEqual({ type: 'job-result', jobId: 'j', node: 'n', ok: true, output: 'x' });
    expect(parseJobRequest(encodeMessage({ type: 'job', jobId: 'j', job: 'repair' }))).toEqual({ type: 'job', jobId: 'j', job: 'repair' });
    for (const bad of ['not json', '{"type":"job","jobId":"j","job":"defrag"}', '{"type":"health"}']) {
      expect(parseExecutorMessage(new TextEncoder().encode(bad))).toBeUndefined();
      expect(parseJobRequest(new TextEncoder().encode(bad))).toBeUndefined();
    }
  });
});

describe('restart backoff', () => {
  it('counts failures, not kills, and forgets them once the node is NORMAL', () => {
    const once = applyTaskStatus(node, { taskId: 't1', state: 'TASK_FAILED' }, 10);
    expect([once.failures, once.lastFailureAt]).toEqual([1, 10]);
    const twice = applyTaskStatus({ ...once, taskId: 't2' }, { taskId: 't2', state: 'TASK_FAILED' }, 20);
    expect(twice.failures).toBe(2);
    expect(applyTaskStatus({ ...twice, taskId: 't3' }, { taskId: 't3', state: 'TASK_KILLED' }, 30).failures).toBe(2);
    expect(applyHealth(twice, { mode: 'NORMAL', healthy: true, loadBytes: 0 }, 40).failures).toBeUndefined();
  });
});
