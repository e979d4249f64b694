// Retained master heap per running task, measured without HTTP noise: a Master in this process, agents and a
// framework attached through in-memory sinks, calls decoded from protobuf bytes exactly as the HTTP layer does.
// Needs --expose-gc (master-bench.ts starts it that way). Prints one JSON line: {"tasks":N,"bytesPerTask":B}.
import type { internal, scheduler, v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { APPLICATION_PROTOBUF, decode, encode } from '@mesos-ts/wire';
import type { EventSink } from '../src/core/state.js';
import { parseFlags } from '../src/flags.js';
import { InMemoryRegistryStore } from '../src/registry/registry-store.js';
import { accept } from '../src/runtime/accept.js';
import { registerAgent } from '../src/runtime/agents.js';
import { subscribe } from '../src/runtime/frameworks.js';
import { Master } from '../src/runtime/master.js';
import { runAllocation } from '../src/runtime/offers.js';
import { statusUpdate } from '../src/runtime/tasks.js';
import { ManualClock } from '@mesos-ts/common';

const TASKS = Number(process.argv.find((a) => a.startsWith('--tasks='))?.split('=')[1] ?? 10_000);
const AGENTS = 100;
const maybeGc = (globalThis as { gc?: () => void }).gc;
if (!maybeGc) throw new Error('run with node --expose-gc');
const gc: () => void = maybeGc;

class Sink<E> implements EventSink<E> {
  closed = false;
  last: E | undefined;
  send(e: E): void {
    this.last = e; // keep nothing else: we measure the master, not the sinks
  }
  close(): void {
    this.closed = true;
  }
}

const roundTrip = <N extends 'mesos.v1.scheduler.Call' | 'mesosts.internal.v1.AgentCall'>(name: N, msg: unknown) =>
  decode(APPLICATION_PROTOBUF, name, encode(APPLICATION_PROTOBUF, name, msg as never));

async function main(): Promise<void> {
  const r = parseFlags(['--registry=in_memory']);
  if (r.help) return;
  const m = new Master({ flags: r.flags, store: new InMemoryRegistryStore(), clock: new ManualClock() });
  await m.start();
  const agents = [];
  for (let i = 0; i < AGENTS; i++) {
    const call = roundTrip('mesosts.internal.v1.AgentCall', { type: 'REGISTER', register: { agent_info: { hostname: `h${i}`, resources: Resources.parse('cpus:64;mem:262144').toProto() } } }) as internal.AgentCall;
    agents.push(await registerAgent(m, call.register as internal.AgentCall.Register, new Sink(), `s${i}`));
  }
  const fwSink = new Sink<scheduler.Event>();
  const fw = subscribe(m, roundTrip('mesos.v1.scheduler.Call', { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n' } } }) as scheduler.Call, fwSink, 'fs');
  gc();
  const before = process.memoryUsage().heapUsed;
  let launched = 0;
  while (launched < TASKS) {
    runAllocation(m, undefined);
    const offers = [...m.books.offers.values()];
    if (offers.length === 0) throw new Error('no offers');
    for (const o of offers) {
      const n = Math.min(50, TASKS - launched);
      const tasks: v1.TaskInfo[] = Array.from({ length: n }, (_, k) => ({ name: 'task', task_id: { value: `task-${launched + k}` }, agent_id: { value: o.agentId }, command: { value: 'sleep 1d' }, resources: Resources.parse('cpus:0.1;mem:32').toProto() }));
      const call = roundTrip('mesos.v1.scheduler.Call', { type: 'ACCEPT', framework_id: { value: fw.id }, accept: { offer_ids: [{ value: o.id }], operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }], filters: { refuse_seconds: 0 } } }) as scheduler.Call;
      accept(m, fw, call.accept as scheduler.Call.Accept);
      for (const t of tasks) {
        const update = roundTrip('mesosts.internal.v1.AgentCall', {
          type: 'STATUS_UPDATE',
          agent_id: { value: o.agentId },
          status_update: { framework_id: { value: fw.id }, latest_state: 'TASK_RUNNING', status: { task_id: t.task_id, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: new Uint8Array(16).fill(7), timestamp: 1.7e9, agent_id: { value: o.agentId } } },
        }) as internal.AgentCall;
        statusUpdate(m, agents.find((a) => a.id === o.agentId) as (typeof agents)[number], update.status_update as internal.AgentCall.StatusUpdate);
      }
      launched += n;
      if (launched >= TASKS) break;
    }
  }
  for (const o of [...m.books.offers.keys()]) m.books.offers.delete(o);
  gc();
  const after = process.memoryUsage().heapUsed;
  const running = fw.tasks.size;
  console.log(JSON.stringify({ tasks: running, bytesPerTask: Math.round((after - before) / running) }));
  m.stop();
}

void main();
