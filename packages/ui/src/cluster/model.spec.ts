import { describe, expect, it } from 'vitest';
import { apply, countByState, emptyModel, usedByTasks, type ClusterModel } from './model.js';

const task = (id: string, state: string) => ({ task_id: { value: id }, framework_id: { value: 'fw' }, agent_id: { value: 'a1' }, name: id, state });
const subscribed = {
  type: 'SUBSCRIBED',
  subscribed: { get_state: {
    get_tasks: { tasks: [task('t1', 'TASK_RUNNING')], completed_tasks: [task('t0', 'TASK_FINISHED')] },
    get_frameworks: { frameworks: [{ framework_info: { id: { value: 'fw' }, name: 'f' } }] },
    get_agents: { agents: [{ agent_info: { id: { value: 'a1' }, hostname: 'h' } }] },
  } },
};

const run = (events: Array<{ type: string; [k: string]: unknown }>): ClusterModel => events.reduce(apply, emptyModel());

describe('cluster model', () => {
  it.each([
    ['the snapshot', [subscribed], { tasks: 2, frameworks: 1, agents: 1, t1: 'TASK_RUNNING' }],
    ['a task added', [subscribed, { type: 'TASK_ADDED', task_added: { task: task('t2', 'TASK_STAGING') } }], { tasks: 3, frameworks: 1, agents: 1, t1: 'TASK_RUNNING' }],
    ['a task updated', [subscribed, { type: 'TASK_UPDATED', task_updated: { framework_id: { value: 'fw' }, state: 'TASK_FINISHED', status: { task_id: { value: 't1' }, state: 'TASK_FINISHED' } } }], { tasks: 2, frameworks: 1, agents: 1, t1: 'TASK_FINISHED' }],
    ['an update for an unknown task adds it', [{ type: 'TASK_UPDATED', task_updated: { framework_id: { value: 'fw' }, state: 'TASK_LOST', status: { task_id: { value: 't1' }, state: 'TASK_LOST' } } }], { tasks: 1, frameworks: 0, agents: 0, t1: 'TASK_LOST' }],
    ['an agent removed', [subscribed, { type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: 'a1' } } }], { tasks: 2, frameworks: 1, agents: 0, t1: 'TASK_RUNNING' }],
    ['a framework added then removed', [{ type: 'FRAMEWORK_ADDED', framework_added: { framework: { framework_info: { id: { value: 'g' }, name: 'g' } } } }, { type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: { id: { value: 'g' } } } }], { tasks: 0, frameworks: 0, agents: 0, t1: undefined }],
    ['an unknown event changes nothing', [subscribed, { type: 'HEARTBEAT' }], { tasks: 2, frameworks: 1, agents: 1, t1: 'TASK_RUNNING' }],
  ])('%s', (_name, events, want) => {
    const m = run(events);
    expect({ tasks: m.tasks.size, frameworks: m.frameworks.size, agents: m.agents.size, t1: m.tasks.get('fw/t1')?.state }).toEqual(want);
  });

  it('sums what live tasks hold, and follows a task to its end', () => {
    const held = (id: string, state: string) => ({ ...task(id, state), resources: [{ name: 'cpus', scalar: { value: 0.5 } }, { name: 'mem', scalar: { value: 32 } }] });
    const m = run([{ type: 'TASK_ADDED', task_added: { task: held('a', 'TASK_RUNNING') } }, { type: 'TASK_ADDED', task_added: { task: held('b', 'TASK_STAGING') } }, { type: 'TASK_ADDED', task_added: { task: held('c', 'TASK_FINISHED') } }]);
    expect([usedByTasks(m, 'cpus'), usedByTasks(m, 'mem'), usedByTasks(m, 'disk')]).toEqual([1, 64, 0]);
    const after = apply(m, { type: 'TASK_UPDATED', task_updated: { framework_id: { value: 'fw' }, state: 'TASK_KILLED', status: { task_id: { value: 'a' }, state: 'TASK_KILLED' } } });
    expect(usedByTasks(after, 'mem')).toBe(32);
  });

  it('counts tasks by state', () => {
    expect(countByState([task('a', 'TASK_RUNNING'), task('b', 'TASK_RUNNING'), task('c', 'TASK_FAILED')])).toEqual([['TASK_FAILED', 1], ['TASK_RUNNING', 2]]);
  });
});
