import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { allocatedForm, validateOffers, validateTask, type OfferRecord, type TaskContext } from './validation.js';

const offer = (id: string, over: Partial<OfferRecord> = {}): OfferRecord => ({
  id,
  frameworkId: 'f1',
  agentId: 'a1',
  role: '*',
  resources: Resources.parse('cpus:1;mem:128').allocate('*'),
  ...over,
});

describe('validateOffers', () => {
  const offers = new Map<string, OfferRecord>([
    ['o1', offer('o1')],
    ['o2', offer('o2')],
    ['other-fw', offer('other-fw', { frameworkId: 'f2' })],
    ['other-agent', offer('other-agent', { agentId: 'a2' })],
    ['other-role', offer('other-role', { role: 'web', resources: Resources.parse('cpus:1').allocate('web') })],
  ]);
  it.each<[string, string[], string | null]>([
    ['one offer', ['o1'], null],
    ['two offers of one agent add up', ['o1', 'o2'], null],
    ['no offers', [], 'No offers specified'],
    ['unknown offer', ['nope'], 'Offer nope is no longer valid'],
    ['duplicate', ['o1', 'o1'], 'Duplicate offer o1'],
    ['another framework', ['other-fw'], 'invalid framework f2'],
    ['two agents', ['o1', 'other-agent'], 'one single agent'],
    ['two roles', ['o1', 'other-role'], 'same role'],
  ])('%s', (_name, ids, error) => {
    const r = validateOffers('f1', ids, (id) => offers.get(id));
    if (error === null) {
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.resources.scalar('cpus')).toBe(ids.length);
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain(error);
    }
  });
});

describe('allocatedForm', () => {
  it('injects the offer role and refuses another one', () => {
    const r = allocatedForm(Resources.parse('cpus:1').toProto(), 'web');
    expect(typeof r).not.toBe('string');
    if (typeof r !== 'string') expect(r.toProto()[0]?.allocation_info?.role).toBe('web');
    expect(allocatedForm(Resources.parse('cpus:1').allocate('db').toProto(), 'web')).toContain("allocated to role 'db'");
  });
});

describe('validateTask', () => {
  const res = (t: string): v1.Resource[] => Resources.parse(t).toProto();
  const base = (over: Partial<v1.TaskInfo> = {}): v1.TaskInfo => ({
    name: 't',
    task_id: { value: 't1' },
    agent_id: { value: 'a1' },
    resources: res('cpus:0.5;mem:64'),
    command: { value: 'true' },
    ...over,
  });
  const executor: v1.ExecutorInfo = { executor_id: { value: 'e1' }, command: { value: 'exec' }, resources: res('cpus:0.1;mem:32') };
  const ctx = (over: Partial<TaskContext> = {}): TaskContext => ({
    frameworkId: 'f1',
    agentId: 'a1',
    role: '*',
    available: Resources.parse('cpus:1;mem:128').allocate('*'),
    taskIdInUse: (id) => id === 'taken',
    executorOnAgent: (id) => (id === 'running' ? { ...executor, executor_id: { value: 'running' } } : undefined),
    ...over,
  });
  it.each<[string, v1.TaskInfo, string | null]>([
    ['command task', base(), null],
    ['executor task', base({ command: undefined, executor }), null],
    ['task on a running executor', base({ command: undefined, executor: { ...executor, executor_id: { value: 'running' } } }), null],
    ['empty id', base({ task_id: { value: '' } }), 'must not be empty'],
    ['id with slash', base({ task_id: { value: 'a/b' } }), "must not contain '/'"],
    ['duplicate id', base({ task_id: { value: 'taken' } }), 'duplicate ID'],
    ['id of 256 bytes', base({ task_id: { value: 'x'.repeat(256) } }), 'at most 255 bytes'],
    ['id with a lone surrogate', base({ task_id: { value: 'a\ud800b' } }), "must not contain '/'"],
    ['id with NUL', base({ task_id: { value: 'a\u0000b' } }), "must not contain '/'"],
    ['health check interval 0', base({ health_check: { type: 'COMMAND', interval_seconds: 0, command: { value: 'true' } } }), "'interval_seconds' must be positive"],
    ['health check negative timeout', base({ health_check: { type: 'COMMAND', timeout_seconds: -1, command: { value: 'true' } } }), "'timeout_seconds' must be"],
    ['health check interval 1', base({ health_check: { type: 'COMMAND', interval_seconds: 1, command: { value: 'true' } } }), null],
    ['executor id of 300 bytes', base({ command: undefined, executor: { ...executor, executor_id: { value: 'e'.repeat(300) } } }), 'Executor ID must be at most'],
    ['other agent', base({ agent_id: { value: 'a2' } }), 'invalid agent a2'],
    ['neither command nor executor', base({ command: undefined }), 'not both'],
    ['both command and executor', base({ executor }), 'not both'],
    ['too many resources', base({ resources: res('cpus:2') }), 'not contained'],
    ['no resources', base({ resources: [] }), 'uses no resources'],
    ['wrong role', base({ resources: Resources.parse('cpus:1').allocate('web').toProto() }), "allocated to role 'web'"],
    ['executor of another framework', base({ command: undefined, executor: { ...executor, framework_id: { value: 'f9' } } }), 'invalid FrameworkID'],
    [
      'incompatible executor',
      base({ command: undefined, executor: { ...executor, executor_id: { value: 'running' }, command: { value: 'other' } } }),
      'not compatible',
    ],
    ['task plus new executor beyond offer', base({ command: undefined, executor, resources: res('cpus:0.95;mem:64') }), 'not contained'],
  ])('%s', (_name, task, error) => {
    const r = validateTask(task, ctx());
    if (error === null) expect(r).toMatchObject({ ok: true });
    else {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain(error);
    }
  });

  it('counts a new executor once in the consumed resources', () => {
    const r = validateTask(base({ command: undefined, executor }), ctx());
    expect(r.ok && r.consumed.scalar('cpus')).toBeCloseTo(0.6);
    expect(r.ok && r.newExecutor?.framework_id?.value).toBe('f1');
  });
});
