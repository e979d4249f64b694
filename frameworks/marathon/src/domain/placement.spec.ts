import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { parseApp } from './app.js';
import { afterFailure, NO_BACKOFF } from './backoff.js';
import { constraintViolation, impossible } from './constraints.js';
import { tasksToKill } from './deployment.js';
import { planOffers } from './offers.js';
import type { TaskRecord } from './task.js';

const offer = (id: string, host: string, rack: string): v1.Offer => ({
  id: { value: id },
  framework_id: { value: 'f' },
  agent_id: { value: `agent-${host}` },
  hostname: host,
  attributes: [{ name: 'rack', type: 'TEXT', text: { value: rack } }],
  resources: [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 2 } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 1024 } },
    { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000n, end: 31010n }] } },
  ],
});

describe('constraints', () => {
  it.each([
    [['hostname', 'UNIQUE'], { hostname: 'a' }, [{ hostname: 'a' }], true],
    [['hostname', 'UNIQUE'], { hostname: 'b' }, [{ hostname: 'a' }], false],
    [['rack', 'CLUSTER', 'r1'], { rack: 'r2' }, [], true],
    [['rack', 'CLUSTER'], { rack: 'r2' }, [{ rack: 'r1' }], true],
    [['rack', 'LIKE', 'r[12]'], { rack: 'r2' }, [], false],
    [['rack', 'UNLIKE', 'r[12]'], { rack: 'r2' }, [], true],
    [['rack', 'MAX_PER', '2'], { rack: 'r1' }, [{ rack: 'r1' }, { rack: 'r1' }], true],
    [['rack', 'GROUP_BY'], { rack: 'r1' }, [{ rack: 'r1' }, { rack: 'r2' }, { rack: 'r2' }], false],
    [['rack', 'GROUP_BY'], { rack: 'r2' }, [{ rack: 'r1' }, { rack: 'r2' }, { rack: 'r2' }], true],
  ] as const)('%j on %j with %j placed: violated=%s', (c, fields, placed, violated) => {
    expect(constraintViolation([c as never], fields, placed.map((f) => ({ fields: f }))) !== undefined).toBe(violated);
  });

  it('knows constraints no cluster can satisfy', () => {
    const agents = [{ hostname: 'a' }, { hostname: 'b' }];
    expect(impossible([['hostname', 'UNIQUE']], 3, agents)).toBeDefined();
    expect(impossible([['hostname', 'UNIQUE']], 2, agents)).toBeUndefined();
    expect(impossible([['hostname', 'LIKE', 'z.*']], 1, agents)).toBeDefined();
  });
});

describe('planOffers', () => {
  let n = 0;
  const uuid = (): string => `u${n++}`;
  it('launches the deficit with ports and $PORT0, spreading by UNIQUE hostname', () => {
    const app = parseApp({ id: '/web', cmd: 'x', cpus: 0.5, mem: 64, instances: 3, constraints: [['hostname', 'UNIQUE']] }, 'v1');
    const plan = planOffers({ apps: [app], tasks: [], agentFields: new Map(), backoff: new Map(), offers: [offer('o1', 'a', 'r1'), offer('o2', 'b', 'r1')], role: '*', now: 0, uuid });
    expect(plan.launches.map((l) => l.records.map((r) => r.host))).toEqual([['a'], ['b']]);
    const env = plan.launches[0]!.tasks[0]!.command!.environment!.variables!;
    expect(env.find((v) => v.name === 'PORT0')?.value).toBe('31000');
    expect(plan.unplaced.get('/web')).toMatch(/UNIQUE/);
  });

  it('waits out the backoff', () => {
    const app = parseApp({ id: '/web', cmd: 'x', cpus: 0.5, mem: 64 }, 'v1');
    const backoff = new Map([['/web', { delayMs: 1000, notBefore: 5000 }]]);
    const plan = planOffers({ apps: [app], tasks: [], agentFields: new Map(), backoff, offers: [offer('o1', 'a', 'r1')], role: '*', now: 4000, uuid });
    expect(plan.launches).toEqual([]);
    expect(plan.declines).toEqual(['o1']);
  });
});

describe('backoff and deployments', () => {
  it('grows by the factor up to the maximum', () => {
    const app = { backoffSeconds: 1, backoffFactor: 2, maxLaunchDelaySeconds: 3 };
    const b1 = afterFailure(app, NO_BACKOFF, 0);
    const b2 = afterFailure(app, b1, 0);
    const b3 = afterFailure(app, b2, 0);
    expect([b1.delayMs, b2.delayMs, b3.delayMs]).toEqual([1000, 2000, 3000]);
  });

  const task = (id: string, version: string, state: string, stagedAt: string): TaskRecord => ({ id, appId: '/a', version, agentId: 'x', host: 'h', ports: [], state, stagedAt });
  it.each([
    ['scale down kills the youngest', { instances: 1 }, [task('t1', 'v1', 'TASK_RUNNING', '1'), task('t2', 'v1', 'TASK_RUNNING', '2')], ['t2']],
    ['rolling: an old task goes once a new one runs', { instances: 2 }, [task('o1', 'v0', 'TASK_RUNNING', '1'), task('o2', 'v0', 'TASK_RUNNING', '2'), task('n1', 'v1', 'TASK_RUNNING', '3')], ['o1']],
    ['rolling: nothing old goes while new ones stage', { instances: 2 }, [task('o1', 'v0', 'TASK_RUNNING', '1'), task('o2', 'v0', 'TASK_RUNNING', '2'), task('n1', 'v1', 'TASK_STAGING', '3')], []],
    ['minimumHealthCapacity 0 kills old at once', { instances: 2, upgradeStrategy: { minimumHealthCapacity: 0 } }, [task('o1', 'v0', 'TASK_RUNNING', '1')], ['o1']],
  ])('%s', (_what, change, tasks, killed) => {
    const app = parseApp({ id: '/a', cmd: 'x', ...change }, 'v1');
    expect(tasksToKill(app, tasks).map((t) => t.id)).toEqual(killed);
  });
});
