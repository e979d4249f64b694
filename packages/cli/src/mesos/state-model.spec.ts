import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { agentRows, frameworkRows, psRows } from './listing.js';
import { lastLinesOffset } from './sandbox.js';
import { agentAddress, findAgent, findTask, sandboxOf, taskSeconds, type MasterStateJson, type TaskJson } from './state-model.js';

const task = (id: string, state: string, slave = 'S0', stamps: number[] = [100, 105]): TaskJson => ({
  id,
  framework_id: 'F1',
  slave_id: slave,
  state,
  resources: { cpus: 0.5, mem: 128 },
  statuses: stamps.map((timestamp) => ({ state, timestamp })),
});

const STATE: MasterStateJson = {
  slaves: [
    { id: 'S0', pid: 'slave(1)@127.0.0.1:5051', hostname: '127.0.0.1', port: 5051, active: true, attributes: { hostname: 'agent-0' }, resources: { cpus: 2, mem: 2048, disk: 100 }, used_resources: { cpus: 0.5, mem: 128, disk: 0 }, reserved_resources: { web: {} } },
    { id: 'S1', hostname: 'h1', port: 5052, active: false },
  ],
  frameworks: [{ id: 'F1', name: 'web', roles: ['web'], active: true, used_resources: { cpus: 0.5, mem: 128 }, tasks: [task('web-1', 'TASK_RUNNING')], completed_tasks: [task('web-0', 'TASK_FINISHED', 'S9'), task('web-1', 'TASK_FAILED')] }],
  completed_frameworks: [{ id: 'F0', name: 'old', completed_tasks: [task('old-task', 'TASK_KILLED', 'S1')] }],
};

describe('master state lookups', () => {
  it('finds tasks by id or unique prefix, live ones first', () => {
    expect(findTask(STATE, 'web-1')).toMatchObject({ task: { state: 'TASK_RUNNING' }, active: true, agent: { id: 'S0' } });
    expect(findTask(STATE, 'old')).toMatchObject({ task: { id: 'old-task' }, framework: { id: 'F0' }, active: false });
    expect(() => findTask(STATE, 'web')).toThrow(/matches several tasks \(web-1, web-0\)/);
    expect(() => findTask(STATE, 'nope')).toThrow(CliError);
  });

  it.each([
    ['S1', 'S1'],
    ['agent-0', 'S0'],
    ['127.0.0.1:5051', 'S0'],
    ['h1', 'S1'],
  ])('finds agent %s', (query, id) => expect(findAgent(STATE, query).id).toBe(id));

  it('says which agents exist when one is unknown', () => {
    expect(() => findAgent(STATE, 'x')).toThrow("no agent 'x'; known agents: S0 (127.0.0.1:5051), S1 (h1:5052)");
  });

  it('derives agent addresses from the pid, else hostname:port', () => {
    expect(agentAddress({ id: 'a', pid: 'slave(1)@10.0.0.1:5055', hostname: 'x' })).toBe('10.0.0.1:5055');
    expect(agentAddress({ id: 'a', hostname: 'x' })).toBe('x:5051');
  });

  it('measures task time from the first status to now, or to the last one', () => {
    expect(taskSeconds(task('t', 'TASK_RUNNING'), 160, true)).toBe(60);
    expect(taskSeconds(task('t', 'TASK_FINISHED'), 160, false)).toBe(5);
    expect(taskSeconds(task('t', 'TASK_STAGING', 'S0', []), 160, true)).toBeNaN();
  });
});

describe('tables', () => {
  it('ps shows live tasks, --all also completed ones', () => {
    expect(psRows(STATE, 160, false)).toEqual([['web', 'agent-0', 'web-1', 'RUNNING', '0.5', '128M', '1m00s']]);
    expect(psRows(STATE, 160, true).map((r) => [r[1], r[2], r[3]])).toEqual([
      ['agent-0', 'web-1', 'RUNNING'],
      ['S9', 'web-0', 'FINISHED'],
      ['agent-0', 'web-1', 'FAILED'],
      ['h1', 'old-task', 'KILLED'],
    ]);
  });

  it('frameworks and agents', () => {
    expect(frameworkRows(STATE)).toEqual([['F1', 'web', 'web', 'yes', '1', '0.5', '128M']]);
    expect(agentRows(STATE)).toEqual([
      ['S0', '127.0.0.1:5051', 'yes', '0.5/2', '128M/2G', '0M/100M', 'web', 'hostname:agent-0'],
      ['S1', 'h1:5052', 'no', '0/0', '0M/0M', '0M/0M', '-', '-'],
    ]);
  });
});

describe('agent sandbox lookup', () => {
  const agentState = {
    frameworks: [
      {
        id: 'F1',
        executors: [{ id: 'e2', directory: '/w/run2', tasks: [{ id: 'web-1' }] }],
        completed_executors: [
          { id: 'e0', directory: '/w/run0', completed_tasks: [{ id: 'web-0' }] },
          { id: 'e1', directory: '/w/run1', completed_tasks: [{ id: 'web-0' }] },
        ],
      },
    ],
  };
  it.each([
    ['F1', 'web-1', '/w/run2'],
    ['F1', 'web-0', '/w/run1'],
    ['F2', 'web-1', undefined],
    ['F1', 'nope', undefined],
  ])('%s/%s → %s', (fw, t, dir) => expect(sandboxOf(agentState, fw, t)).toBe(dir));
});

describe('tail start offset', () => {
  it.each([
    ['a\nb\nc\n', 100, 2, 102],
    ['a\nb\nc', 100, 2, 102],
    ['a\nb\nc\n', 0, 10, 0],
    ['a\nb\nc\n', 0, 0, 6],
    ['é\nb\n', 0, 1, 3],
  ])('%j from %d, last %d lines → %d', (text, base, lines, offset) => expect(lastLinesOffset(text, base, lines)).toBe(offset));
});
