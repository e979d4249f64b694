// The master's timed drivers on a ManualClock, without HTTP: heartbeats, failover timeout, reregister timeout,
// offer timeout and the allocation loop.
import { describe, expect, it, vi } from 'vitest';
import type { internal, master as op, scheduler, v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import type { EventSink } from '../core/state.js';
import { parseFlags } from '../flags.js';
import { InMemoryRegistryStore } from '../registry/registry-store.js';
import { ManualClock } from '@mesos-ts/common';
import { registerAgent } from './agents.js';
import { subscribe } from './frameworks.js';
import { Master } from './master.js';
import { reconcile } from './tasks.js';

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

async function setup(extra: string[] = [], store = new InMemoryRegistryStore()): Promise<{ m: Master; clock: ManualClock }> {
  const r = parseFlags(['--registry=in_memory', ...extra]);
  if (r.help) throw new Error('help');
  const clock = new ManualClock();
  const m = new Master({ flags: r.flags, store, clock });
  await m.start();
  return { m, clock };
}

function framework(m: Master, info: Partial<v1.FrameworkInfo> = {}): { sink: ArraySink<scheduler.Event>; id: string } {
  const sink = new ArraySink<scheduler.Event>();
  const fw = subscribe(m, { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n', ...info } } }, sink, 'stream-1');
  return { sink, id: fw.id };
}

async function addAgent(m: Master): Promise<ArraySink<internal.AgentEvent>> {
  const sink = new ArraySink<internal.AgentEvent>();
  await registerAgent(m, { agent_info: { hostname: 'h', resources: Resources.parse('cpus:2;mem:1024').toProto() } }, sink, 'a-stream');
  return sink;
}

describe('Master drivers', () => {
  it('sends HEARTBEAT every 15 s to schedulers and operator subscribers', async () => {
    const { m, clock } = await setup();
    const { sink } = framework(m);
    const ops = new ArraySink<op.Event>();
    m.operatorSubscribers.add(ops);
    clock.advance(14_999);
    expect(sink.events.filter((e) => e.type === 'HEARTBEAT')).toHaveLength(0);
    clock.advance(1);
    expect(sink.events.filter((e) => e.type === 'HEARTBEAT')).toHaveLength(1);
    expect(ops.events.filter((e) => e.type === 'HEARTBEAT')).toHaveLength(1);
    clock.advance(30_000);
    expect(sink.events.filter((e) => e.type === 'HEARTBEAT')).toHaveLength(3);
    m.stop();
  });

  it('offers on the allocation interval and rescinds after --offer_timeout', async () => {
    const { m, clock } = await setup(['--allocation_interval=2secs', '--offer_timeout=9secs']);
    await addAgent(m);
    const { sink } = framework(m);
    clock.advance(0);
    expect(sink.events.filter((e) => e.type === 'OFFERS')).toHaveLength(1);
    clock.advance(8_999);
    expect(sink.events.filter((e) => e.type === 'RESCIND')).toHaveLength(0);
    clock.advance(1);
    expect(sink.events.filter((e) => e.type === 'RESCIND')).toHaveLength(1);
    expect(m.books.offers.size).toBe(0);
    clock.advance(1_000); // next allocation run (t = 10 s) offers the resources again
    expect(sink.events.filter((e) => e.type === 'OFFERS')).toHaveLength(2);
    m.stop();
  });

  it('removes a disconnected framework exactly when its failover_timeout elapses', async () => {
    const { m, clock } = await setup();
    const { sink, id } = framework(m, { failover_timeout: 60 });
    const { disconnect } = await import('./frameworks.js');
    disconnect(m, m.books.frameworks.get(id) as never, sink);
    clock.advance(59_999);
    expect(m.books.frameworks.has(id)).toBe(true);
    clock.advance(1);
    expect(m.books.frameworks.has(id)).toBe(false);
    expect(m.removedFrameworks.has(id)).toBe(true);
    m.stop();
  });

  it('marks registry agents that never re-register unreachable after --agent_reregister_timeout', async () => {
    const store = new InMemoryRegistryStore();
    await store.save({ agents: [{ info: { hostname: 'h', id: { value: 'old-agent' } }, checkpointed: [] }], goneAgents: [], weights: [{ role: 'r', weight: 2 }], quotas: [], frameworks: [] });
    const { m, clock } = await setup(['--agent_reregister_timeout=1mins'], store);
    expect(m.books.weights.get('r')).toBe(2);
    const { sink, id } = framework(m, { capabilities: [{ type: 'PARTITION_AWARE' }] });
    const fw = m.books.frameworks.get(id);
    if (!fw) throw new Error('no framework');
    const ask = (): v1.TaskState | undefined => {
      const before = sink.events.length;
      reconcile(m, fw, [{ task_id: { value: 't' }, agent_id: { value: 'old-agent' } }]);
      return sink.events.slice(before)[0]?.update?.status.state;
    };
    expect(ask()).toBeUndefined(); // may still come back: no answer yet
    clock.advance(60_000);
    expect(ask()).toBe('TASK_UNREACHABLE');
    m.stop();

    // Recorded in the registry: the next leader does not wait for it again. (The save is asynchronous: it waits
    // for the rest of the event-loop turn, so poll rather than assume one timer tick is enough.)
    await vi.waitFor(async () => expect((await store.load()).unreachableAgents).toEqual(['old-agent']), { timeout: 2_000 });
    const next = await setup(['--agent_reregister_timeout=1mins'], store);
    expect(next.m.books.recoveredAgents.size).toBe(0);
    expect(next.m.books.unreachableAgents.has('old-agent')).toBe(true);
    next.m.stop();
  });
});
