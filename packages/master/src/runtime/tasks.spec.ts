// The status update path without HTTP: what the master keeps per running task, what it forwards, and that
// status updates and acknowledgements never write the registry.
import { describe, expect, it } from 'vitest';
import type { internal, scheduler, v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import type { EventSink } from '../core/state.js';
import { parseFlags } from '../flags.js';
import { InMemoryRegistryStore } from '../registry/registry-store.js';
import { ManualClock } from '@mesos-ts/common';
import { registerAgent } from './agents.js';
import { subscribe } from './frameworks.js';
import { Master } from './master.js';
import { acknowledge, addTask, statusUpdate } from './tasks.js';

class ArraySink<E> implements EventSink<E> {
  readonly events: E[] = [];
  closed = false;
  send(e: E): void {
    this.events.push(e);
  }
  close(): void {
    this.closed = true;
  }
}

async function running() {
  const r = parseFlags(['--registry=in_memory']);
  if (r.help) throw new Error('help');
  const m = new Master({ flags: r.flags, store: new InMemoryRegistryStore(), clock: new ManualClock() });
  await m.start();
  const agentSink = new ArraySink<internal.AgentEvent>();
  const agent = await registerAgent(m, { agent_info: { hostname: 'h', resources: Resources.parse('cpus:2;mem:1024').toProto() } }, agentSink, 'a-stream');
  const fwSink = new ArraySink<scheduler.Event>();
  const fw = subscribe(m, { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n' } } }, fwSink, 'f-stream');
  const info: v1.TaskInfo = { name: 't', task_id: { value: 't-1' }, agent_id: { value: agent.id }, command: { value: 'true' }, resources: Resources.parse('cpus:1;mem:32').toProto() };
  const rec = addTask(m, fw, agent, info, Resources.parse('cpus:1;mem:32'));
  return { m, agent, agentSink, fw, fwSink, rec };
}

/** A STATUS_UPDATE as the codec hands it over: fresh id objects, uuid a view into a larger request buffer. */
function update(fwId: string, agentId: string | undefined, state: v1.TaskState): internal.AgentCall.StatusUpdate {
  const request = new Uint8Array(64).fill(9);
  const status: v1.TaskStatus = { task_id: { value: 't-1' }, state, source: 'SOURCE_EXECUTOR', uuid: request.subarray(8, 24), timestamp: 1.7e9 };
  if (agentId !== undefined) status.agent_id = { value: agentId };
  return { framework_id: { value: fwId }, status, latest_state: state };
}

const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('statusUpdate', () => {
  it.each([
    ['with the agent id', true],
    ['without an agent id (the master fills it in)', false],
  ])('%s: records the state, keeps a compact status sharing the task ids, forwards the update', async (_name, withAgentId) => {
    const { m, agent, fw, fwSink, rec } = await running();
    const upd = update(fw.id, withAgentId ? agent.id : undefined, 'TASK_RUNNING');
    const savesBefore = m.registry.saves;
    statusUpdate(m, agent, upd);
    expect(rec.task.state).toBe('TASK_RUNNING');
    const kept = rec.task.statuses?.[0] as v1.TaskStatus;
    expect(kept).toEqual({ ...upd.status, agent_id: { value: agent.id }, uuid: new Uint8Array(16).fill(9) });
    expect(kept.task_id).toBe(rec.task.task_id);
    expect(kept.agent_id).toBe(rec.task.agent_id);
    expect(kept.uuid?.buffer.byteLength).toBe(16); // not the 64-byte request buffer
    expect(rec.task.status_update_uuid).toBe(kept.uuid);
    const forwarded = fwSink.events.filter((e) => e.type === 'UPDATE');
    expect(forwarded).toEqual([{ type: 'UPDATE', update: { status: { ...upd.status, agent_id: { value: agent.id } } } }]);
    await settled(); // a save would complete asynchronously
    expect(m.registry.saves).toBe(savesBefore);
    m.stop();
  });

  it('keeps the agent id an update carries when it is not the task’s', async () => {
    const { m, agent, fw, rec } = await running();
    statusUpdate(m, agent, update(fw.id, 'other-agent', 'TASK_RUNNING'));
    expect(rec.task.statuses?.[0]?.agent_id).toEqual({ value: 'other-agent' });
    m.stop();
  });

  it('acknowledgements go to the agent and write nothing to the registry', async () => {
    const { m, agent, agentSink, fw } = await running();
    statusUpdate(m, agent, update(fw.id, agent.id, 'TASK_RUNNING'));
    const savesBefore = m.registry.saves;
    const uuid = new Uint8Array(16).fill(9);
    acknowledge(m, fw, { agent_id: { value: agent.id }, task_id: { value: 't-1' }, uuid });
    expect(agentSink.events.filter((e) => e.type === 'ACKNOWLEDGE')).toEqual([{ type: 'ACKNOWLEDGE', acknowledge: { framework_id: { value: fw.id }, task_id: { value: 't-1' }, uuid } }]);
    await settled(); // a save would complete asynchronously
    expect(m.registry.saves).toBe(savesBefore);
    m.stop();
  });
});
