// ACCEPT in detail: invalid offers and tasks never go silent, LAUNCH_GROUP, RESERVE/CREATE/DESTROY/UNRESERVE
// checkpointed on the agent, executor messages both ways, SHUTDOWN and FAILURE.
import { describe, expect, it } from 'vitest';
import type { scheduler as sched, v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, type ContentType } from '@mesos-ts/wire';
import { agent as startAgent, master, scheduler as startScheduler } from './harness.js';
import type { RunningMaster } from '../src/runtime/start.js';

const res = (text: string, role?: string): v1.Resource[] => (role ? Resources.parse(text).allocate(role) : Resources.parse(text)).toProto();

function launchCall(offers: v1.Offer[], tasks: v1.TaskInfo[]): Omit<sched.Call, 'framework_id'> {
  return { type: 'ACCEPT', accept: { offer_ids: offers.map((o) => o.id), operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }], filters: { refuse_seconds: 0 } } };
}

const task = (id: string, agentId: string, over: Partial<v1.TaskInfo> = {}): v1.TaskInfo => ({
  name: id,
  task_id: { value: id },
  agent_id: { value: agentId },
  command: { value: 'true' },
  resources: res('cpus:0.5;mem:32'),
  ...over,
});

describe.each<[string, ContentType]>([
  ['JSON', APPLICATION_JSON],
  ['protobuf', APPLICATION_PROTOBUF],
])('over %s', (_name, ct) => {
  const agent = (m: RunningMaster, o: Parameters<typeof startAgent>[1] = {}) => startAgent(m, { contentType: ct, ...o });
  const scheduler = (m: RunningMaster) => startScheduler(m, ct);

  describe('launch validation', () => {
    it('an invalid task gets TASK_ERROR, a stale offer TASK_DROPPED (partition aware) or TASK_LOST', async () => {
      const m = await master();
      const a = await agent(m);
      const pa = scheduler(m);
      await pa.subscribe({ capabilities: [{ type: 'PARTITION_AWARE' }] });
      const [offer] = await pa.nextOffers();
      const o = offer as v1.Offer;
      await pa.call(launchCall([o], [task('dup', a.id as string), task('dup', a.id as string), task('both', a.id as string, { executor: { executor_id: { value: 'e' }, command: { value: 'x' } } }), task('greedy', a.id as string, { resources: res('cpus:100') })]));
      await pa.update('dup', 'TASK_RUNNING');
      const dup = await pa.waitFor((e) => e.update?.status.task_id.value === 'dup' && e.update.status.state === 'TASK_ERROR');
      expect(dup.update?.status).toMatchObject({ reason: 'REASON_TASK_INVALID', source: 'SOURCE_MASTER', message: expect.stringContaining('duplicate ID') });
      expect((await pa.update('both', 'TASK_ERROR')).message).toContain('not both');
      expect((await pa.update('greedy', 'TASK_ERROR')).message).toContain('not contained');
      // The same offer again: no longer outstanding.
      await pa.call(launchCall([o], [task('late', a.id as string)]));
      expect((await pa.update('late', 'TASK_DROPPED')).reason).toBe('REASON_INVALID_OFFERS');
  
      const old = scheduler(m);
      await old.subscribe({ name: 'old' });
      await old.call(launchCall([o], [task('late2', a.id as string)]));
      expect((await old.update('late2', 'TASK_LOST')).message).toMatch(/invalid offers/);
    });
  
    it('LAUNCH_GROUP runs every task under one executor; an invalid group fails whole', async () => {
      const m = await master();
      const a = await agent(m);
      const s = scheduler(m);
      await s.subscribe();
      const [offer] = await s.nextOffers();
      const executor: v1.ExecutorInfo = { type: 'DEFAULT', executor_id: { value: 'pod' }, resources: res('cpus:0.1;mem:32') };
      const group = (ids: string[], extra: Partial<v1.TaskInfo> = {}): v1.Offer.Operation => ({
        type: 'LAUNCH_GROUP',
        launch_group: { executor, task_group: { tasks: ids.map((id) => ({ ...task(id, a.id as string), ...extra })) } },
      });
      await s.call({ type: 'ACCEPT', accept: { offer_ids: [(offer as v1.Offer).id], operations: [group(['g1', 'g2']), group(['bad1', 'bad2'], { resources: res('cpus:99') })] } });
      await s.update('g1', 'TASK_RUNNING');
      await s.update('g2', 'TASK_RUNNING');
      expect((await s.update('bad1', 'TASK_ERROR')).reason).toBe('REASON_TASK_GROUP_INVALID');
      expect((await s.update('bad2', 'TASK_ERROR')).reason).toBe('REASON_TASK_GROUP_INVALID');
      const run = await a.waitFor((e) => e.type === 'RUN_TASK_GROUP');
      expect(run.run_task_group?.executor.framework_id?.value).toBe(s.frameworkId);
      expect(m.master.books.frameworks.get(s.frameworkId as string)?.executors.size).toBe(1);
    });
  
    it('forwards MESSAGE both ways, SHUTDOWN to the agent, and FAILURE when an executor exits', async () => {
      const m = await master();
      const a = await agent(m);
      const s = scheduler(m);
      await s.subscribe();
      const [offer] = await s.nextOffers();
      const executor: v1.ExecutorInfo = { executor_id: { value: 'ex' }, command: { value: 'my-executor' }, resources: res('cpus:0.1;mem:32') };
      await s.call(launchCall([offer as v1.Offer], [task('t', a.id as string, { command: undefined, executor })]));
      await s.update('t', 'TASK_RUNNING');
      const data = new Uint8Array([1, 2, 3]);
      expect((await s.call({ type: 'MESSAGE', message: { agent_id: { value: a.id as string }, executor_id: { value: 'ex' }, data } })).status).toBe(202);
      const toExecutor = await a.waitFor((e) => e.type === 'FRAMEWORK_TO_EXECUTOR');
      expect([...(toExecutor.framework_to_executor?.data ?? [])]).toEqual([1, 2, 3]);
      await a.call({ type: 'EXECUTOR_TO_FRAMEWORK', executor_to_framework: { framework_id: { value: s.frameworkId as string }, executor_id: { value: 'ex' }, data: new Uint8Array([9]) } });
      const msg = await s.waitFor((e) => e.type === 'MESSAGE');
      expect(msg.message).toMatchObject({ agent_id: { value: a.id }, executor_id: { value: 'ex' } });
      await s.call({ type: 'SHUTDOWN', shutdown: { agent_id: { value: a.id as string }, executor_id: { value: 'ex' } } });
      await a.waitFor((e) => e.type === 'SHUTDOWN_EXECUTOR' && e.shutdown_executor?.executor_id.value === 'ex');
      await a.update(s.frameworkId as string, 't', 'TASK_KILLED');
      await a.call({ type: 'EXECUTOR_EXITED', executor_exited: { framework_id: { value: s.frameworkId as string }, executor_id: { value: 'ex' }, status: 9 } });
      const failure = await s.waitFor((e) => e.type === 'FAILURE');
      expect(failure.failure).toMatchObject({ agent_id: { value: a.id }, executor_id: { value: 'ex' }, status: 9 });
      expect(m.master.books.frameworks.get(s.frameworkId as string)?.executors.size).toBe(0);
    });
  });
  
  describe('offer operations', () => {
    it('RESERVE and CREATE convert the offer, are checkpointed on the agent, then DESTROY and UNRESERVE undo them', async () => {
      const m = await master();
      const a = await agent(m, { resources: 'cpus:2;mem:1024;disk:2000' });
      const s = scheduler(m);
      await s.subscribe({ role: 'db', principal: 'ops' });
      const [offer] = await s.nextOffers();
      const reservation = [{ type: 'DYNAMIC' as const, role: 'db', principal: 'ops' }];
      const reserved = (text: string): v1.Resource[] => Resources.parse(text).toProto().map((r) => ({ ...r, reservations: reservation }));
      const volume: v1.Resource = { ...(reserved('disk:500')[0] as v1.Resource), disk: { persistence: { id: 'vol1', principal: 'ops' }, volume: { container_path: 'data', mode: 'RW' } } };
      await s.call({
        type: 'ACCEPT',
        accept: {
          offer_ids: [(offer as v1.Offer).id],
          operations: [
            { type: 'RESERVE', reserve: { resources: reserved('cpus:1;disk:500') } },
            { type: 'CREATE', create: { volumes: [volume] } },
          ],
          filters: { refuse_seconds: 0 },
        },
      });
      await a.waitFor((e) => e.type === 'CHECKPOINT_RESOURCES' && (e.checkpoint_resources?.resources ?? []).some((r) => r.disk?.persistence?.id === 'vol1'));
      const agentRecord = m.master.books.agents.get(a.id as string);
      expect(agentRecord?.total.reserved('db').scalar('cpus')).toBe(1);
      expect(agentRecord?.total.persistentVolumes().scalar('disk')).toBe(500);
      expect(m.master.registry.document.agents[0]?.checkpointed.length).toBeGreaterThan(0);
  
      const [next] = await s.nextOffers();
      const offered = next?.resources ?? [];
      expect(offered.some((r) => r.disk?.persistence?.id === 'vol1')).toBe(true);
      await s.call({
        type: 'ACCEPT',
        accept: {
          offer_ids: [(next as v1.Offer).id],
          operations: [
            { type: 'DESTROY', destroy: { volumes: [volume] } },
            { type: 'UNRESERVE', unreserve: { resources: reserved('cpus:1;disk:500') } },
          ],
          filters: { refuse_seconds: 0 },
        },
      });
      await a.waitFor((e) => e.type === 'CHECKPOINT_RESOURCES' && (e.checkpoint_resources?.resources ?? []).length === 0);
      expect(m.master.books.agents.get(a.id as string)?.total.reserved().isEmpty()).toBe(true);
    });
  });
});
