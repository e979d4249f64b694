// The scheduler against the SDK's FakeMaster (real HTTP) with a file: store: the first node alone on a reserved
// volume, the second once the first runs, suppress when every node is placed, a restarted scheduler that adopts
// both nodes (same framework, nothing launched twice), and a scale-up that revives offers although this
// instance never suppressed them (its predecessor did), also when asked before the successor subscribed.
import { Cleanups, startSchedulerTestbed } from '@mesos-ts/framework-kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlanConfig } from '../domain/offer-plan.js';
import { EsScheduler } from './es-scheduler.js';

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

const plan: PlanConfig = {
  frameworkName: 'elasticsearch', role: 'elasticsearch', principal: 'elasticsearch', clusterName: 'mesos-ha',
  cpus: 0.5, memMb: 512, diskMb: 1024, useIpAddress: false, executor: { command: 'x', uris: [] },
};

describe('EsScheduler', () => {
  it('forms the cluster one node first on reserved volumes, suppresses, adopts after a restart, revives on scale-up', async () => {
    const { master, store, calls, offer, subscribed } = await startSchedulerTestbed(cleanups, 'es-sched-');
    const start = async (before?: (s: EsScheduler) => Promise<void>): Promise<EsScheduler> => {
      const s = await EsScheduler.create({ master: master.hostPort, store, plan, desiredNodes: 2, failoverTimeoutSecs: 60, user: 'u', publicConfig: {}, reconcileIntervalMs: 100 });
      await before?.(s);
      s.start();
      cleanups.add(() => s.stop());
      return s;
    };
    const running = (s: EsScheduler) => s.tasks().filter((t) => t.state === 'TASK_RUNNING').map((t) => [t.name, t.agentId]);

    const first = await start();
    const fw = await subscribed();
    expect(master.frameworks.get(fw)!.info).toMatchObject({ name: 'elasticsearch', roles: ['elasticsearch'], checkpoint: true });
    master.sendOffers(fw, [offer(fw, 'agent-1'), offer(fw, 'agent-2')]);
    const accept = await master.waitForCall((c) => c.call.type === 'ACCEPT');
    expect(accept.call.accept!.operations!.map((o) => o.type)).toEqual(['RESERVE', 'CREATE', 'LAUNCH']);
    await master.waitUntil(() => running(first).length === 1 || undefined, 'es-0 running');
    master.sendOffers(fw, [offer(fw, 'agent-1'), offer(fw, 'agent-2')]);
    await master.waitUntil(() => running(first).length === 2 || undefined, 'es-1 running');
    expect(running(first)).toEqual([['es-0', 'agent-1'], ['es-1', 'agent-2']]);
    await master.waitUntil(() => master.frameworks.get(fw)!.suppressedRoles.includes('elasticsearch') || undefined, 'offers suppressed');

    await first.stop();
    const second = await start();
    await master.waitUntil(() => (calls('SUBSCRIBE').length === 2 && second.connected()) || undefined, 'the failover subscription');
    expect(calls('SUBSCRIBE')[1]!.call.subscribe!.framework_info.id?.value).toBe(fw);
    await master.waitUntil(() => calls('RECONCILE').length > 0 || undefined, 'reconciliation');
    master.sendOffers(fw, [offer(fw, 'agent-1'), offer(fw, 'agent-2'), offer(fw, 'agent-3')]);
    await master.waitUntil(() => calls('DECLINE').length > 0 || undefined, 'offers declined');
    expect(calls('ACCEPT')).toHaveLength(2);
    expect(running(second)).toEqual([['es-0', 'agent-1'], ['es-1', 'agent-2']]);

    await second.setDesiredNodes(3);
    await master.waitUntil(() => calls('REVIVE').length > 0 || undefined, 'offers revived');
    master.sendOffers(fw, [offer(fw, 'agent-1'), offer(fw, 'agent-3')]);
    await master.waitUntil(() => running(second).length === 3 || undefined, 'es-2 running');
    expect(running(second)[2]).toEqual(['es-2', 'agent-3']);

    // A scale-up asked before the successor has subscribed is not lost: it revives once subscribed.
    await second.stop();
    const revives = calls('REVIVE').length;
    const third = await start((s) => s.setDesiredNodes(4));
    await master.waitUntil(() => (third.connected() && calls('REVIVE').length > revives) || undefined, 'revived after subscribing');
    await master.waitUntil(() => calls('RECONCILE').length > 0 && third.client.tasks.unconfirmed().length === 0 || undefined, 'reconciled');
    master.sendOffers(fw, [offer(fw, 'agent-4')]);
    await master.waitUntil(() => running(third).length === 4 || undefined, 'es-3 running');
  }, 20_000);
});
