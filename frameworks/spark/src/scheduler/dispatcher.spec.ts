// The dispatcher against the scheduler SDK's FakeMaster over real HTTP: revive on submission, one ACCEPT with the
// application's master, driver and first worker, cleanup kills and SUPPRESS when the driver ends, and a
// supervised relaunch as `<id>-retry-1` after the backoff.
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups, startSchedulerTestbed } from '@mesos-ts/framework-kit/testing';
import type { v1 } from '@mesos-ts/proto';
import type { FakeMaster } from '@mesos-ts/scheduler/testing';
import { DEFAULT_CONF } from '../domain/dispatcher-state.js';
import { Dispatcher } from './dispatcher.js';

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** Agent N's offer: room for an application's master, driver and a worker. */
type Offer = (fw: string, n: number) => v1.Offer;

async function setup(): Promise<{ master: FakeMaster; dispatcher: Dispatcher; fw: string; offer: Offer }> {
  const { master, store, offer, subscribed } = await startSchedulerTestbed(cleanups, 'spark-dispatcher-spec-');
  const dispatcher = await Dispatcher.create({ master: master.hostPort, store, name: 'Spark Cluster', role: '*', user: 'test', conf: { ...DEFAULT_CONF, driverDefaults: { 'spark.mesos.executor.home': '/opt/spark' } }, driverConstraints: [], rejectOfferSeconds: 120, failoverTimeoutSec: 60 });
  cleanups.add(() => dispatcher.stop());
  dispatcher.start();
  const fw = await subscribed('the dispatcher subscribed');
  await master.waitUntil(() => (dispatcher.frameworkId === undefined ? undefined : true), 'framework id');
  return { master, dispatcher, fw, offer: (id, n) => offer(id, `agent-${n}`, 'cpus:4;mem:4096;ports:[31000-31100]') };
}

const request = (props: Record<string, string> = {}) => ({ appResource: 'file:///a.py', mainClass: '', appArgs: [], environmentVariables: {}, clientSparkVersion: '3.5.8', sparkProperties: { 'spark.app.name': 'a', 'spark.driver.memory': '512m', 'spark.executor.memory': '512m', 'spark.cores.max': '1', ...props } });

describe('Dispatcher', () => {
  it('revives on submission, launches master + driver + worker, cleans up and suppresses when the driver ends', async () => {
    const { master, dispatcher, fw, offer } = await setup();
    // Not ready until subscribed: it is now.
    const answer = await dispatcher.submit(request());
    expect(answer.success).toBe(true);
    await master.waitForCall((c) => c.call.type === 'REVIVE');
    master.sendOffers(fw, [offer(fw, 1)]);
    const accept = await master.waitForCall((c) => c.call.type === 'ACCEPT');
    const ids = (accept.call.accept?.operations ?? []).flatMap((o) => o.launch?.task_infos ?? []).map((t) => t.task_id.value);
    const id = answer.submissionId!;
    expect(ids).toEqual([`${id}-master`, id, `${id}-worker-1`]);
    await master.waitUntil(() => (dispatcher.status(id).status?.state === 'TASK_RUNNING' ? true : undefined), 'driver running');
    master.sendUpdate(fw, { task_id: { value: id }, agent_id: { value: 'agent-1' }, state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR' });
    await master.waitForCall((c) => c.call.type === 'KILL' && c.call.kill?.task_id.value === `${id}-worker-1`);
    await master.waitForCall((c) => c.call.type === 'KILL' && c.call.kill?.task_id.value === `${id}-master`);
    expect(dispatcher.status(id).driverState).toBe('FINISHED');
    master.sendOffers(fw, [offer(fw, 1)]);
    await master.waitForCall((c) => c.call.type === 'SUPPRESS');
    expect(master.frameworks.get(fw)!.suppressedRoles).toEqual(['*']);
  });

  it('relaunches a failed supervised driver as <id>-retry-1 after the backoff', async () => {
    const { master, dispatcher, fw, offer } = await setup();
    const id = (await dispatcher.submit(request({ 'spark.driver.supervise': 'true' }))).submissionId!;
    master.sendOffers(fw, [offer(fw, 1)]);
    await master.waitForCall((c) => c.call.type === 'ACCEPT');
    await master.waitUntil(() => (dispatcher.status(id).status?.state === 'TASK_RUNNING' ? true : undefined), 'driver running');
    master.sendUpdate(fw, { task_id: { value: id }, agent_id: { value: 'agent-1' }, state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR' });
    await master.waitUntil(() => (dispatcher.status(id).driverState === 'RETRYING' ? true : undefined), 'retrying');
    const revives = (): number => master.calls.filter((c) => c.call.type === 'REVIVE').length;
    const before = revives();
    // Offers before the 1 s backoff ends are declined and the dispatcher suppresses…
    master.sendOffers(fw, [offer(fw, 2)]);
    await master.waitForCall((c) => c.call.type === 'DECLINE');
    // …then revives when the retry is due.
    await master.waitUntil(() => (revives() > before + 0 && master.calls.at(-1)?.call.type === 'REVIVE' ? true : undefined), 'the revive when the retry is due', 5_000);
    master.sendOffers(fw, [offer(fw, 2)]);
    const launched = (c: { call: { accept?: { operations?: v1.Offer.Operation[] } } }): string[] => (c.call.accept?.operations ?? []).flatMap((o) => o.launch?.task_infos ?? []).map((t) => t.task_id.value);
    const accept = await master.waitForCall((c) => c.call.type === 'ACCEPT' && launched(c).includes(`${id}-retry-1`));
    expect(launched(accept)).toEqual([`${id}-retry-1-master`, `${id}-retry-1`, `${id}-retry-1-worker-1`]);
    await master.waitUntil(() => (dispatcher.status(id).driverState === 'RUNNING' ? true : undefined), 'running again');
  });
});
