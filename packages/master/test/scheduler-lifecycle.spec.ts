// The scheduler API end to end over real HTTP, in both encodings: SUBSCRIBE, OFFERS, ACCEPT(LAUNCH), UPDATE,
// ACKNOWLEDGE forwarded to the agent, KILL, RECONCILE, DECLINE, TEARDOWN.
import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, type ContentType } from '@mesos-ts/wire';
import type { FrameworkRecord } from '../src/core/state.js';
import { usedBy } from '../src/runtime/views.js';
import { ManualClock } from '@mesos-ts/common';
import { agent, master, scheduler } from './harness.js';

const launch = (offer: v1.Offer, taskId: string, resources = 'cpus:1;mem:128'): Parameters<import('../src/testing/test-scheduler.js').TestScheduler['call']>[0] => ({
  type: 'ACCEPT',
  accept: {
    offer_ids: [offer.id],
    operations: [
      {
        type: 'LAUNCH',
        launch: {
          task_infos: [
            {
              name: taskId,
              task_id: { value: taskId },
              agent_id: offer.agent_id,
              command: { value: 'sleep 1000' },
              resources: resourcesOf(resources),
            },
          ],
        },
      },
    ],
    filters: { refuse_seconds: 0 },
  },
});

function resourcesOf(text: string): v1.Resource[] {
  return text.split(';').map((part) => {
    const [name, value] = part.split(':') as [string, string];
    return { name, type: 'SCALAR', scalar: { value: Number(value) } };
  });
}

describe.each<[string, ContentType]>([
  ['JSON', APPLICATION_JSON],
  ['protobuf', APPLICATION_PROTOBUF],
])('scheduler API over %s', (_name, contentType) => {
  it('subscribes, launches, acknowledges, reconciles, kills and tears down', async () => {
    const m = await master();
    const a = await agent(m, { contentType });
    const s = scheduler(m, contentType);
    const subscribed = await s.subscribe({ capabilities: [{ type: 'PARTITION_AWARE' }] });
    expect(subscribed.subscribed).toMatchObject({ heartbeat_interval_seconds: 15, master_info: { id: m.master.id, port: m.port } });
    expect(s.streamId).toMatch(/^[0-9a-f-]{36}$/);

    const [offer] = await s.nextOffers();
    expect(offer?.agent_id.value).toBe(a.id);
    expect(offer?.allocation_info?.role).toBe('*');
    expect((await s.call(launch(offer as v1.Offer, 't1'))).status).toBe(202);

    const running = await s.update('t1', 'TASK_RUNNING');
    expect(running.uuid?.length).toBe(16);
    expect(a.tasks.get('t1')?.task.resources?.[0]?.allocation_info?.role).toBe('*');
    expect((await s.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: a.id as string }, task_id: { value: 't1' }, uuid: running.uuid as Uint8Array } })).status).toBe(202);
    await a.waitFor((e) => e.type === 'ACKNOWLEDGE');
    expect(a.acknowledged.has(Buffer.from(running.uuid as Uint8Array).toString('hex'))).toBe(true);

    // Implicit and explicit reconciliation answer from the master's books, without uuids.
    expect((await s.call({ type: 'RECONCILE', reconcile: { tasks: [] } })).status).toBe(202);
    const rec = await s.waitFor((e) => e.type === 'UPDATE' && e.update?.status.reason === 'REASON_RECONCILIATION');
    expect(rec.update?.status).toMatchObject({ state: 'TASK_RUNNING', source: 'SOURCE_MASTER' });
    expect(rec.update?.status.uuid).toBeUndefined();
    await s.call({ type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 'ghost' }, agent_id: { value: a.id as string } }] } });
    await s.waitFor((e) => e.update?.status.task_id.value === 'ghost' && e.update.status.state === 'TASK_GONE');

    expect((await s.call({ type: 'KILL', kill: { task_id: { value: 't1' } } })).status).toBe(202);
    const killed = await s.update('t1', 'TASK_KILLED');
    // Upstream: resources return at the terminal update, the task stays known until its update is acknowledged.
    const state = m.master.books.frameworks.get(s.frameworkId as string);
    expect(state?.tasks.get('t1')?.task.state).toBe('TASK_KILLED');
    expect(state?.completedTasks).toEqual([]);
    expect(usedBy(state as FrameworkRecord).isEmpty()).toBe(true);
    expect(state?.tasks.get('t1')?.task.statuses?.map((x) => x.state)).toEqual(['TASK_RUNNING', 'TASK_KILLED']);
    await s.call({ type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 't1' }, agent_id: { value: a.id as string } }] } });
    // The answer is the task's terminal state (not TASK_GONE "unknown to the agent").
    const answer = await s.waitFor((e) => e.update?.status.task_id.value === 't1' && e.update.status.reason === 'REASON_RECONCILIATION' && e.update.status.state !== 'TASK_RUNNING');
    expect(answer.update?.status).toMatchObject({ state: 'TASK_KILLED', source: 'SOURCE_MASTER' });
    expect((await s.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: a.id as string }, task_id: { value: 't1' }, uuid: killed.uuid as Uint8Array } })).status).toBe(202);
    expect(state?.tasks.size).toBe(0);
    expect(state?.completedTasks.map((t) => t.state)).toEqual(['TASK_KILLED']);

    expect((await s.call({ type: 'TEARDOWN' })).status).toBe(202);
    await expect(s.waitFor(() => false, 2000)).rejects.toThrow(/stream ended/);
    expect(m.master.books.frameworks.size).toBe(0);
    expect(m.master.books.completedFrameworks).toHaveLength(1);
  });
});

describe.each<[string, ContentType]>([
  ['JSON', APPLICATION_JSON],
  ['protobuf', APPLICATION_PROTOBUF],
])('over %s', (_name, ct) => {
  describe('offers', () => {
    it('DECLINE with a filter keeps the agent out of the next offers; REVIVE brings it back', async () => {
      const m = await master();
      await agent(m, { contentType: ct });
      const s = scheduler(m, ct);
      await s.subscribe();
      const [offer] = await s.nextOffers();
      expect((await s.call({ type: 'DECLINE', decline: { offer_ids: [(offer as v1.Offer).id], filters: { refuse_seconds: 60 } } })).status).toBe(202);
      await expect(s.nextOffers(400)).rejects.toThrow(/no matching/);
      expect((await s.call({ type: 'REVIVE', revive: {} })).status).toBe(202);
      expect(await s.nextOffers()).toHaveLength(1);
    });
  
    it('SUPPRESS stops offers until REVIVE', async () => {
      const m = await master();
      await agent(m, { contentType: ct });
      const s = scheduler(m, ct);
      await s.subscribe();
      const [offer] = await s.nextOffers();
      await s.call({ type: 'SUPPRESS', suppress: {} });
      await s.call({ type: 'DECLINE', decline: { offer_ids: [(offer as v1.Offer).id], filters: { refuse_seconds: 0 } } });
      await expect(s.nextOffers(400)).rejects.toThrow(/no matching/);
      await s.call({ type: 'REVIVE', revive: {} });
      expect(await s.nextOffers()).toHaveLength(1);
    });
  
    it('rescinds offers after --offer_timeout', async () => {
      const m = await master(['--offer_timeout=200ms']);
      await agent(m, { contentType: ct });
      const s = scheduler(m, ct);
      await s.subscribe();
      const [offer] = await s.nextOffers();
      const rescind = await s.waitFor((e) => e.type === 'RESCIND');
      expect(rescind.rescind?.offer_id.value).toBe(offer?.id.value);
    });
  
    it('leftovers of an ACCEPT go back to the allocator and are offered again', async () => {
      const m = await master();
      await agent(m, { contentType: ct, resources: 'cpus:4;mem:1024' });
      const s = scheduler(m, ct);
      await s.subscribe();
      const [offer] = await s.nextOffers();
      await s.call(launch(offer as v1.Offer, 'half', 'cpus:2;mem:512'));
      const [again] = await s.nextOffers();
      const cpus = again?.resources?.find((r) => r.name === 'cpus')?.scalar?.value;
      expect(cpus).toBe(2);
    });
  });
});

describe.each<[string, ContentType]>([
  ['JSON', APPLICATION_JSON],
  ['protobuf', APPLICATION_PROTOBUF],
])('HEARTBEAT over %s', (_name, ct) => {
  it('arrives on the scheduler stream every 15 s of master time', async () => {
    const clock = new ManualClock();
    const m = await master([], undefined, clock);
    const s = scheduler(m, ct);
    await s.subscribe();
    clock.advance(15_000);
    await s.waitFor((e) => e.type === 'HEARTBEAT');
    clock.advance(15_000);
    await s.waitFor(() => s.events.filter((e) => e.type === 'HEARTBEAT').length === 2);
  });
});
