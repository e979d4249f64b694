// Agent health (PING/PONG, unreachable, coming back), agent re-registration, and framework failover within
// and after failover_timeout — over real HTTP with short timeouts.
import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import type { FakeAgent } from '../src/testing/fake-agent.js';
import type { TestScheduler } from '../src/testing/test-scheduler.js';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, type ContentType } from '@mesos-ts/wire';
import { agent as startAgent, master, scheduler as startScheduler } from './harness.js';
import type { RunningMaster } from '../src/runtime/start.js';

/** Launches one task on the first offer; the rest of the offer is refused for `refuseSeconds` (0: offered again). */
async function runTask(s: TestScheduler, a: FakeAgent, id: string, refuseSeconds = 0): Promise<void> {
  const [offer] = await s.nextOffers(20_000);
  await s.call({
    type: 'ACCEPT',
    accept: {
      offer_ids: [(offer as v1.Offer).id],
      operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: id, task_id: { value: id }, agent_id: { value: a.id as string }, command: { value: 'sleep' }, resources: Resources.parse('cpus:1;mem:64').toProto() }] } }],
      filters: { refuse_seconds: refuseSeconds },
    },
  });
  await s.update(id, 'TASK_RUNNING');
}

describe.each<[string, ContentType]>([
  ['JSON', APPLICATION_JSON],
  ['protobuf', APPLICATION_PROTOBUF],
])('over %s', (_name, ct) => {
  const agent = (m: RunningMaster, o: Parameters<typeof startAgent>[1] = {}) => startAgent(m, { contentType: ct, ...o });
  const scheduler = (m: RunningMaster) => startScheduler(m, ct);

  describe('agent health', () => {
    it('pings agents; a silent one becomes unreachable and its tasks come back when it re-registers', async () => {
      // 500ms x 3 leaves a loaded 2-core machine (a stalled event loop) room to answer pings while the tasks start.
      const m = await master(['--agent_ping_timeout=500ms', '--max_agent_ping_timeouts=3']);
      const a = await agent(m);
      const pa = scheduler(m);
      await pa.subscribe({ capabilities: [{ type: 'PARTITION_AWARE' }] });
      // pa refuses the rest of its offer: whenever 'old' subscribes, the agent's rest is offered to it (else a
      // busy machine's allocation cycle could hand it back to pa first, which never declines).
      await runTask(pa, a, 'pa-task', 3600);
      const old = scheduler(m);
      await old.subscribe({ name: 'old' });
      await runTask(old, a, 'old-task');
      a.autoPong = false; // the agent goes silent once its tasks run
  
      const unreachable = await pa.update('pa-task', 'TASK_UNREACHABLE', 10_000);
      expect(unreachable.reason).toBe('REASON_AGENT_REMOVED');
      expect(unreachable.unreachable_time).toBeDefined();
      await old.update('old-task', 'TASK_LOST', 10_000);
      expect(m.master.books.agents.get(a.id as string)?.reachable).toBe(false);
      expect(m.master.books.frameworks.get(pa.frameworkId as string)?.unreachableTasks.size).toBe(1);
  
      await a.connect(); // REREGISTER with both tasks
      const back = await pa.waitFor((e) => e.update?.status.task_id.value === 'pa-task' && e.update.status.reason === 'REASON_AGENT_REREGISTERED');
      expect(back.update?.status.state).toBe('TASK_RUNNING');
      expect(m.master.books.agents.get(a.id as string)?.reachable).toBe(true);
      await old.call({ type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 'old-task' } }] } });
      await old.waitFor((e) => e.update?.status.reason === 'REASON_RECONCILIATION' && e.update.status.state === 'TASK_RUNNING');
    });
  
    it('keeps an agent that answers its pings', async () => {
      // Many allowed misses so a stalled event loop on a loaded machine is not mistaken for a dead agent.
      const m = await master(['--agent_ping_timeout=100ms', '--max_agent_ping_timeouts=20']);
      const a = await agent(m);
      const deadline = Date.now() + 10_000;
      while (a.events.filter((e) => e.type === 'PING').length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(a.events.filter((e) => e.type === 'PING').length).toBeGreaterThanOrEqual(3);
      expect(m.master.books.agents.get(a.id as string)?.reachable).toBe(true);
    });
  
    it('a re-registering agent keeps its id; tasks it no longer reports are TASK_GONE', async () => {
      const m = await master();
      const a = await agent(m);
      const s = scheduler(m);
      await s.subscribe({ capabilities: [{ type: 'PARTITION_AWARE' }] });
      await runTask(s, a, 'kept');
      await runTask(s, a, 'forgotten');
      const id = a.id;
      a.disconnect();
      a.tasks.delete('forgotten');
      await a.connect();
      expect(a.id).toBe(id);
      expect((await s.update('forgotten', 'TASK_GONE')).reason).toBe('REASON_AGENT_REREGISTERED');
      const fw = m.master.books.frameworks.get(s.frameworkId as string);
      expect([...(fw?.tasks.keys() ?? [])]).toEqual(['kept']);
    });
  });
  
  describe('framework failover', () => {
    it('re-subscribing within failover_timeout keeps the tasks; after it the framework and its tasks are removed', async () => {
      const m = await master();
      const a = await agent(m);
      const s = scheduler(m);
      await s.subscribe({ failover_timeout: 1.5 });
      const id = s.frameworkId as string;
      await runTask(s, a, 'survivor');
      s.close();
  
      const again = scheduler(m);
      const sub = await again.subscribe({ failover_timeout: 1.5 }, id);
      expect(sub.subscribed?.framework_id.value).toBe(id);
      await again.call({ type: 'RECONCILE', reconcile: {} });
      await again.waitFor((e) => e.update?.status.task_id.value === 'survivor' && e.update.status.state === 'TASK_RUNNING');
  
      again.close();
      await a.waitFor((e) => e.type === 'SHUTDOWN_FRAMEWORK', 6000);
      expect(m.master.books.frameworks.has(id)).toBe(false);
      expect(m.master.books.completedFrameworks[0]?.completedTasks[0]?.state).toBe('TASK_KILLED');
    });
  
    it('a failed-over scheduler replaces the old stream, which gets an ERROR', async () => {
      const m = await master();
      const first = scheduler(m);
      await first.subscribe({ failover_timeout: 60 });
      const second = scheduler(m);
      await second.subscribe({ failover_timeout: 60 }, first.frameworkId);
      const err = await first.waitFor((e) => e.type === 'ERROR');
      expect(err.error?.message).toBe('Framework failed over');
      expect(m.master.books.frameworks.get(first.frameworkId as string)?.streamId).toBe(second.streamId);
    });
  });
});
