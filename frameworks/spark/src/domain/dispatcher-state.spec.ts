import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { DEFAULT_CONF, emptyState, kill, onTaskStatus, status, submit, type DispatcherConf, type DispatcherState } from './dispatcher-state.js';
import { planOffers } from './offers.js';
import type { CreateSubmissionRequest } from './submission.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const CONF: DispatcherConf = { ...DEFAULT_CONF, driverDefaults: { 'spark.mesos.executor.home': '/opt/spark' } };

function request(props: Record<string, string> = {}): CreateSubmissionRequest {
  return { appResource: 'file:///jobs/pi.py', mainClass: '', appArgs: ['10'], environmentVariables: {}, clientSparkVersion: '3.5.8', sparkProperties: { 'spark.app.name': 'pi', 'spark.driver.memory': '512m', 'spark.executor.memory': '512m', ...props } };
}

function offer(n: number, cpus = 4, mem = 4096, attributes: v1.Attribute[] = []): v1.Offer {
  return {
    id: { value: `o${n}` },
    framework_id: { value: 'fw' },
    agent_id: { value: `a${n}` },
    hostname: `127.0.0.${n}`,
    attributes,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: cpus } },
      { name: 'mem', type: 'SCALAR', scalar: { value: mem } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000 + n * 100, end: 31099 + n * 100 }] } },
    ],
  } as v1.Offer;
}

function submitted(n: number, props: Record<string, string> = {}): DispatcherState {
  let s = emptyState();
  for (let i = 0; i < n; i++) s = submit(s, request(props), CONF, T0, true).state;
  return s;
}

const plan = (state: DispatcherState, offers: v1.Offer[], now = T0) => planOffers({ state, offers, now, role: '*', driverConstraints: [], rejectOfferSeconds: 120 });

describe('submit, status, kill', () => {
  it('queues with Spark ids, refuses when not ready, when full, and without a distribution', () => {
    const r = submit(emptyState(), request(), CONF, T0, true);
    expect(r.answer).toMatchObject({ success: true, submissionId: 'driver-20260102030405-0001' });
    expect(r.state.queued[0]!.desc).toMatchObject({ cores: 1, mem: 512, supervise: false, name: 'pi' });
    expect(status(r.state, 'driver-20260102030405-0001')).toMatchObject({ success: true, driverState: 'QUEUED' });
    expect(submit(emptyState(), request(), CONF, T0, false).answer).toEqual({ success: false, message: 'Scheduler is not ready to take requests' });
    const full = plan(submitted(1), [offer(1)]).state;
    expect(submit(full, request(), { ...CONF, maxDrivers: 1 }, T0, true).answer).toEqual({ success: false, message: 'Already reached maximum submission size' });
    expect(submit(emptyState(), request(), DEFAULT_CONF, T0, true).answer.success).toBe(false);
    expect(status(emptyState(), 'driver-x')).toEqual({ success: false, submissionId: 'driver-x', driverState: 'NOT_FOUND' });
  });

  it('kills in Spark lookup order: launched, queued, retrying, finished, unknown', () => {
    let s = plan(submitted(2), [offer(1, 2.1, 2200)]).state;
    const [launchedId, queuedId] = ['driver-20260102030405-0001', 'driver-20260102030405-0002'];
    expect(s.launched.map((l) => l.desc.submissionId)).toEqual([launchedId]);
    const k1 = kill(s, launchedId, CONF, T0, true);
    expect(k1.answer).toMatchObject({ success: true, message: 'Killing running driver' });
    expect(k1.killTask).toEqual({ taskId: launchedId, agentId: 'a1' });
    const k2 = kill(k1.state, queuedId, CONF, T0, true);
    expect(k2.answer).toMatchObject({ success: true, message: "Removed driver while it's still pending" });
    expect(status(k2.state, queuedId).driverState).toBe('KILLED');
    s = onTaskStatus(k2.state, { taskId: launchedId, state: 'TASK_KILLED' }, CONF, T0).state;
    expect(status(s, launchedId).driverState).toBe('KILLED');
    expect(kill(s, launchedId, CONF, T0, true).answer).toMatchObject({ success: false, message: 'Driver already terminated' });
    expect(kill(s, 'driver-nope', CONF, T0, true).answer).toMatchObject({ success: false, message: 'Cannot find driver' });
  });
});

describe('supervise', () => {
  it('relaunches failed or lost supervised drivers with doubling backoff up to the cap, then maxRetries ends it FAILED', () => {
    const conf = { ...CONF, retryWaitMaxSec: 3, maxRetries: 3 };
    let s = plan(submitted(1, { 'spark.driver.supervise': 'true' }), [offer(1)]).state;
    const id = s.launched[0]!.desc.submissionId;
    const waits: number[] = [];
    let now = T0;
    for (let i = 1; i <= 3; i++) {
      const taskId = s.launched[0]!.taskId;
      const e = onTaskStatus(s, { taskId, state: i === 2 ? 'TASK_LOST' : 'TASK_FAILED' }, conf, now);
      expect(e.kills.map((k) => k.taskId).sort()).toEqual([`${taskId}-master`, `${taskId}-worker-1`]);
      s = e.state;
      expect(status(s, id).driverState).toBe('RETRYING');
      waits.push(s.pendingRetry[0]!.retry!.waitTimeSec);
      // Not yet due: nothing launches, and the plan says when to revive.
      const early = plan(s, [offer(1)], now);
      expect(early.launches.filter((l) => l.tasks.some((t) => t.task_id.value.startsWith(id) && !t.task_id.value.includes('worker')))).toEqual([]);
      expect(early.wakeAt).toBe(now + waits.at(-1)! * 1000);
      now = early.wakeAt!;
      s = plan(s, [offer(1)], now).state;
      expect(s.launched[0]!.taskId).toBe(`${id}-retry-${i}`);
      expect(status(s, id).driverState).toBe('RUNNING');
    }
    expect(waits).toEqual([1, 2, 3]);
    s = onTaskStatus(s, { taskId: s.launched[0]!.taskId, state: 'TASK_FAILED' }, conf, now).state;
    expect(status(s, id).driverState).toBe('FAILED');
    expect(s.finished[0]!.retries).toBe(3);
  });

  it('never lets an outdated launch run beside the current one; unsupervised and killed drivers are not relaunched', () => {
    let s = plan(submitted(1, { 'spark.driver.supervise': 'true' }), [offer(1)]).state;
    const id = s.launched[0]!.taskId;
    s = onTaskStatus(s, { taskId: id, state: 'TASK_LOST' }, CONF, T0).state;
    s = plan(s, [offer(1)], T0 + 1000).state;
    // The agent comes back and the first launch reports running: it is killed, the relaunch is untouched.
    const e = onTaskStatus(s, { taskId: id, state: 'TASK_RUNNING', agentId: 'a1' }, CONF, T0 + 2000);
    expect(e.kills).toEqual([{ taskId: id, agentId: 'a1' }]);
    expect(e.state.launched[0]!.taskId).toBe(`${id}-retry-1`);
    const plain = plan(submitted(1), [offer(1)]).state;
    expect(status(onTaskStatus(plain, { taskId: plain.launched[0]!.taskId, state: 'TASK_FAILED' }, CONF, T0).state, plain.launched[0]!.desc.submissionId).driverState).toBe('FAILED');
  });

  it('keeps only the newest retainedDrivers finished drivers', () => {
    let s = plan(submitted(3, { 'spark.cores.max': '1' }), [offer(1, 16, 16384)]).state;
    for (const l of [...s.launched]) s = onTaskStatus(s, { taskId: l.taskId, state: 'TASK_FINISHED' }, { ...CONF, retainedDrivers: 2 }, T0).state;
    expect(s.finished.map((f) => f.desc.submissionId.slice(-4))).toEqual(['0002', '0003']);
  });
});

describe('planOffers', () => {
  it('places retry-due drivers before queued ones, first fit, with the master beside the driver', () => {
    let s = plan(submitted(1, { 'spark.driver.supervise': 'true' }), [offer(1)]).state;
    s = onTaskStatus(s, { taskId: s.launched[0]!.taskId, state: 'TASK_FAILED' }, CONF, T0).state;
    s = submit(s, request(), CONF, T0, true).state;
    // Room for one application (driver 896 + master 384 + worker 896 MB) only: the retry wins.
    const p = plan(s, [offer(1, 2.2, 2300)], T0 + 1000);
    expect(p.state.launched.map((l) => l.taskId)).toEqual(['driver-20260102030405-0001-retry-1']);
    expect(p.launches[0]!.tasks.map((t) => t.task_id.value)).toEqual(['driver-20260102030405-0001-retry-1-master', 'driver-20260102030405-0001-retry-1', 'driver-20260102030405-0001-retry-1-worker-1']);
    expect(p.unplaced[0]!.submissionId).toBe('driver-20260102030405-0002');
    expect(p.suppress).toBe(false);
    const driver = p.launches[0]!.tasks[1]!;
    expect(driver.command!.value).toContain('--master spark://127.0.0.1:');
    expect(driver.command!.value).toContain('--deploy-mode client');
    expect(driver.command!.uris).toEqual([{ value: 'file:///jobs/pi.py', extract: false }]);
  });

  it('gives an application one worker per agent, executor cores and memory + overhead, up to spark.cores.max; then suppresses', () => {
    const s = submitted(1, { 'spark.executor.cores': '1', 'spark.cores.max': '2' });
    const p = plan(s, [offer(1), offer(2), offer(3)]);
    const workers = p.launches.flatMap((l) => l.tasks).filter((t) => t.task_id.value.includes('-worker-'));
    expect(workers.map((w) => w.agent_id.value)).toEqual(['a1', 'a2']);
    const cpus = (workers[0]!.resources ?? []).find((r) => r.name === 'cpus')!.scalar!.value;
    const mem = (workers[0]!.resources ?? []).find((r) => r.name === 'mem')!.scalar!.value;
    expect([cpus, mem]).toEqual([1, 896]);
    expect(workers[0]!.command!.value).toContain('--cores 1 --memory 512M');
    expect(p.declines).toEqual([{ offerId: 'o3', refuseSeconds: 120 }]);
    expect(p.suppress).toBe(true);
  });

  it('launches a driver only with its first worker, so drivers never fill the cluster', () => {
    const p = plan(submitted(6, { 'spark.cores.max': '1' }), [offer(1, 4, 6144), offer(2, 4, 6144)]);
    expect(p.state.launched.length).toBe(3);
    for (const l of p.state.launched) expect(l.workers.length).toBe(1);
    expect(p.state.queued.length).toBe(3);
    // Room for a second driver and master, none for its worker: it waits.
    const one = plan(submitted(2, { 'spark.cores.max': '1' }), [offer(1, 3.2, 6144)]);
    expect(one.state.launched.length).toBe(1);
    expect(one.unplaced).toEqual([{ submissionId: 'driver-20260102030405-0002', reasons: ['the driver fits, but no offer has room for its first worker'] }]);
    expect(one.launches[0]!.tasks.length).toBe(3);
  });

  it('honours spark.mesos.constraints for workers and driver constraints for drivers', () => {
    const rack = (v: string): v1.Attribute[] => [{ name: 'rack', type: 'TEXT', text: { value: v } }];
    const s = submitted(1, { 'spark.executor.cores': '1', 'spark.mesos.constraints': 'rack:b' });
    const p = planOffers({ state: s, offers: [offer(1, 4, 4096, rack('a')), offer(2, 4, 4096, rack('b'))], now: T0, role: '*', driverConstraints: [{ name: 'rack', values: ['a'] }], rejectOfferSeconds: 120 });
    expect(p.state.launched[0]!.agentId).toBe('a1');
    expect(p.state.launched[0]!.workers.map((w) => w.agentId)).toEqual(['a2']);
  });
});
