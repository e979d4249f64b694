import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { reconcile, type AgentStanding, type ReconcileView } from './reconcile.js';

const task = (id: string, state: v1.TaskState, agent = 'a1'): v1.Task => ({
  name: id,
  task_id: { value: id },
  framework_id: { value: 'f1' },
  agent_id: { value: agent },
  state,
  statuses: [{ task_id: { value: id }, state, healthy: true }],
});

function view(partitionAware: boolean, recoveringAgents = false): ReconcileView {
  const tasks = new Map([
    ['run', task('run', 'TASK_RUNNING')],
    ['unr', task('unr', 'TASK_UNREACHABLE', 'a2')],
  ]);
  const agents: Record<string, AgentStanding> = { a1: 'registered', a2: 'unreachable', a3: 'gone', a4: 'recovered' };
  return { partitionAware, task: (id) => tasks.get(id), allTasks: () => tasks.values(), agent: (id) => agents[id] ?? 'unknown', recoveringAgents };
}

describe('reconcile', () => {
  it('implicit: every known task with its latest state, from the master, no uuid', () => {
    const out = reconcile(view(true), [], 1000);
    expect(out.map((s) => [s.task_id.value, s.state])).toEqual([
      ['run', 'TASK_RUNNING'],
      ['unr', 'TASK_UNREACHABLE'],
    ]);
    expect(out[0]).toMatchObject({ source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION', healthy: true, agent_id: { value: 'a1' } });
    expect(out[0]?.uuid).toBeUndefined();
  });

  it('explicit without an agent id while agents may still re-register: known tasks only, silence for the rest', () => {
    const q = [{ task_id: { value: 'run' } }, { task_id: { value: 'ghost' } }, { task_id: { value: 'ghost' }, agent_id: { value: 'a2' } }];
    expect(reconcile(view(true, true), q, 0).map((s) => [s.task_id.value, s.state])).toEqual([
      ['run', 'TASK_RUNNING'],
      ['ghost', 'TASK_UNREACHABLE'],
    ]);
  });

  it('implicit for a framework without PARTITION_AWARE reports unreachable tasks as TASK_LOST', () => {
    expect(reconcile(view(false), [], 0).map((s) => s.state)).toEqual(['TASK_RUNNING', 'TASK_LOST']);
  });

  it.each<[string, string | undefined, boolean, v1.TaskState | null]>([
    ['run', 'a1', true, 'TASK_RUNNING'],
    ['ghost', 'a1', true, 'TASK_GONE'],
    ['ghost', 'a1', false, 'TASK_LOST'],
    ['ghost', 'a2', true, 'TASK_UNREACHABLE'],
    ['ghost', 'a3', true, 'TASK_GONE_BY_OPERATOR'],
    ['ghost', 'a4', true, null],
    ['ghost', 'a9', true, 'TASK_UNKNOWN'],
    ['ghost', undefined, true, 'TASK_UNKNOWN'],
    ['ghost', undefined, false, 'TASK_LOST'],
  ])('explicit %s on %s (partition aware %s) -> %s', (id, agent, pa, expected) => {
    const q = [{ task_id: { value: id }, ...(agent ? { agent_id: { value: agent } } : {}) }];
    const out = reconcile(view(pa), q, 0);
    if (expected === null) expect(out).toEqual([]);
    else expect(out.map((s) => s.state)).toEqual([expected]);
  });
});
