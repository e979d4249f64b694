import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { parseApp } from './app.js';
import { afterFailure, NO_BACKOFF } from './backoff.js';
import { constraintViolation, impossible } from './constraints.js';
import { tasksToKill } from './deployment.js';
import { planOffers } from './offers.js';
import { reservationFailed } from './resident.js';
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

  it('GROUP_BY counts a value offered with no task yet as an empty group', () => {
    const known = [{ rack: 'r1' }, { rack: 'r2' }];
    expect(constraintViolation([['rack', 'GROUP_BY']], { rack: 'r1' }, [{ fields: { rack: 'r1' } }], known)).toMatch(/more tasks/);
    expect(constraintViolation([['rack', 'GROUP_BY']], { rack: 'r2' }, [{ fields: { rack: 'r1' } }], known)).toBeUndefined();
    // With the number of groups, a used value waits until that many groups hold tasks.
    expect(constraintViolation([['rack', 'GROUP_BY', '3']], { rack: 'r1' }, [{ fields: { rack: 'r1' } }, { fields: { rack: 'r2' } }], known)).toMatch(/fewer than 3/);
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
    const plan = planOffers({ apps: [app], tasks: [], agentFields: new Map(), backoff: new Map(), offers: [offer('o1', 'a', 'r1'), offer('o2', 'b', 'r1')], role: '*', principal: 'marathon', residents: [], now: 0, uuid });
    expect(plan.launches.map((l) => l.records.map((r) => r.host))).toEqual([['a'], ['b']]);
    const env = plan.launches[0]!.tasks[0]!.command!.environment!.variables!;
    expect(env.find((v) => v.name === 'PORT0')?.value).toBe('31000');
    expect(plan.unplaced.get('/web')).toMatch(/UNIQUE/);
  });

  it('spreads GROUP_BY over the racks offered in one round', () => {
    const app = parseApp({ id: '/db', cmd: 'x', cpus: 0.5, mem: 64, instances: 2, constraints: [['rack', 'GROUP_BY']] }, 'v1');
    const plan = planOffers({ apps: [app], tasks: [], agentFields: new Map(), backoff: new Map(), offers: [offer('o1', 'a', 'r1'), offer('o2', 'b', 'r2')], role: '*', principal: 'marathon', residents: [], now: 0, uuid });
    expect(plan.launches.map((l) => l.records.map((r) => r.host))).toEqual([['a'], ['b']]);
  });

  it('waits out the backoff', () => {
    const app = parseApp({ id: '/web', cmd: 'x', cpus: 0.5, mem: 64 }, 'v1');
    const backoff = new Map([['/web', { delayMs: 1000, notBefore: 5000 }]]);
    const plan = planOffers({ apps: [app], tasks: [], agentFields: new Map(), backoff, offers: [offer('o1', 'a', 'r1')], role: '*', principal: 'marathon', residents: [], now: 4000, uuid });
    expect(plan.launches).toEqual([]);
    expect(plan.declines).toEqual(['o1']);
  });
});

const RESIDENT = { type: 'MESOS', volumes: [{ containerPath: 'data', mode: 'RW', persistent: { size: 64 } }] };

describe('resident apps (persistent volumes)', () => {
  let n = 0;
  const uuid = (): string => `u${n++}`;
  const app = parseApp({ id: '/db', cmd: 'x', cpus: 0.5, mem: 64, instances: 1, container: RESIDENT }, 'v1');
  const withDisk = (o: v1.Offer, extra: v1.Resource[] = []): v1.Offer => ({ ...o, resources: [...o.resources!, { name: 'disk', type: 'SCALAR', scalar: { value: 1024 } }, ...extra] });
  const input = { agentFields: new Map(), backoff: new Map(), role: 'db', principal: 'marathon', now: 0, uuid };

  it('reserves, creates the volume and launches in one accept, recording the reservation', () => {
    const plan = planOffers({ ...input, apps: [app], tasks: [], residents: [], offers: [withDisk(offer('o1', 'a', 'r1'))] });
    const launch = plan.launches[0]!;
    expect(launch.operations.map((o) => o.type)).toEqual(['RESERVE', 'CREATE']);
    expect(launch.residents).toEqual([{ id: 'db#data#u0', appId: '/db', agentId: 'agent-a', host: 'a', containerPath: 'data' }]);
    expect(launch.records[0]!.residentId).toBe('db#data#u0');
    expect(launch.records[0]!.reserving).toBe(true);
    const volume = (launch.tasks[0]!.resources ?? []).find((r) => r.disk?.persistence !== undefined);
    expect(volume?.disk?.volume?.container_path).toBe('data');
  });

  it('relaunches on its own agent from the offered volume, with no operations, and never elsewhere', () => {
    const resident = { id: 'db#data#u9', appId: '/db', agentId: 'agent-a', host: 'a', containerPath: 'data' };
    const reserved = (name: string, value: number): v1.Resource => ({ name, type: 'SCALAR', scalar: { value }, reservations: [{ type: 'DYNAMIC', role: 'db', principal: 'marathon', labels: { labels: [{ key: 'mesos-ts.persistence-id', value: resident.id }] } }] });
    const volume: v1.Resource = { ...reserved('disk', 64), disk: { persistence: { id: resident.id, principal: 'marathon' }, volume: { container_path: 'data', mode: 'RW' } } };
    const other = planOffers({ ...input, apps: [app], tasks: [], residents: [resident], offers: [withDisk(offer('o2', 'b', 'r1'))] });
    expect(other.launches).toEqual([]);
    expect(other.unplaced.get('/db')).toMatch(/elsewhere/);
    const own = planOffers({ ...input, apps: [app], tasks: [], residents: [resident], offers: [{ ...offer('o1', 'a', 'r1'), resources: [reserved('cpus', 0.5), reserved('mem', 64), { ...reserved('ports', 0), type: 'RANGES', scalar: undefined, ranges: { range: [{ begin: 31005n, end: 31005n }] } }, volume] }] });
    expect(own.unplaced.get('/db')).toBeUndefined();
    expect(own.launches[0]!.operations).toEqual([]);
    expect(own.launches[0]!.records[0]!.residentId).toBe(resident.id);
    expect(own.launches[0]!.records[0]!.ports).toEqual([31005]);
    expect(own.launches[0]!.records[0]!.reserving).toBeUndefined();
  });

  it.each([
    ['an invalid first launch', { reserving: true }, { state: 'TASK_ERROR' }, true],
    ['a first launch on invalid offers', { reserving: true }, { state: 'TASK_LOST', reason: 'REASON_INVALID_OFFERS' }, true],
    ['a first launch that ran, then failed', { reserving: true, startedAt: 't' }, { state: 'TASK_FAILED' }, false],
    ['a relaunch on the volume', {}, { state: 'TASK_ERROR' }, false],
  ] as const)('gives the reservation up after %s: %s', (_what, task, status, failed) => {
    expect(reservationFailed(task, status)).toBe(failed);
  });

  it('needs maximumOverCapacity 0 and one persistent volume', () => {
    expect(app.upgradeStrategy).toEqual({ minimumHealthCapacity: 0.5, maximumOverCapacity: 0 });
    expect(() => parseApp({ id: '/db', cmd: 'x', container: RESIDENT, upgradeStrategy: { maximumOverCapacity: 1 } }, 'v1')).toThrow();
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
    ['resident (no room over capacity): one old task goes before a new one can start', { instances: 2, container: RESIDENT }, [task('o1', 'v0', 'TASK_RUNNING', '1'), task('o2', 'v0', 'TASK_RUNNING', '2')], ['o1']],
    ['resident: nothing more goes while the new task stages', { instances: 2, container: RESIDENT }, [task('o2', 'v0', 'TASK_RUNNING', '2'), task('n1', 'v1', 'TASK_STAGING', '3')], []],
    ['resident: the next old task goes once the new one runs', { instances: 2, container: RESIDENT }, [task('o2', 'v0', 'TASK_RUNNING', '2'), task('n1', 'v1', 'TASK_RUNNING', '3')], ['o2']],
    ['minimumHealthCapacity 0 kills old at once', { instances: 2, upgradeStrategy: { minimumHealthCapacity: 0 } }, [task('o1', 'v0', 'TASK_RUNNING', '1')], ['o1']],
  ])('%s', (_what, change, tasks, killed) => {
    const app = parseApp({ id: '/a', cmd: 'x', ...change }, 'v1');
    expect(tasksToKill(app, tasks).map((t) => t.id)).toEqual(killed);
  });
});
