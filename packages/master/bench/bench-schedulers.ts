// The benchmark's schedulers, run in a worker thread so they do not compete with the fake agents for one
// event loop: each declines, launches (10 tasks per offer until the shared budget is spent) or idles
// (SUPPRESS), acknowledges every update with a uuid, and reports its counters to the main thread.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { scheduler, v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { APPLICATION_PROTOBUF, encode, post, subscribe } from '@mesos-ts/wire';
import { PipelinedConnection } from './pipelined-client.js';

export interface WorkerInput {
  url: string;
  frameworks: number;
  tasks: number;
  /** Send calls pipelined on one connection per scheduler instead of through wire's post(). */
  pipeline: boolean;
}

export type ToWorker = { type: 'mode'; mode: Mode };
export type FromWorker = { type: 'ready' } | { type: 'counts'; offers: number; running: number; updates: number; elu: number };

const CT = APPLICATION_PROTOBUF;
const pool = new http.Agent({ keepAlive: true, maxSockets: 128 });
const TASK_RES = Resources.parse('cpus:0.1;mem:32').toProto();

export type Mode = 'decline' | 'launch' | 'idle';

export class BenchScheduler {
  id = '';
  streamId = '';
  mode: Mode = 'decline';
  offers = 0;
  running = 0;
  updates = 0;
  private conn: PipelinedConnection | undefined;
  constructor(
    private readonly url: string,
    private readonly budget: { left: number },
    private readonly name: string,
    private readonly pipeline: boolean,
  ) {}

  async start(): Promise<void> {
    const s = await subscribe({ url: `${this.url}/api/v1/scheduler`, callType: 'mesos.v1.scheduler.Call', eventType: 'mesos.v1.scheduler.Event', call: { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'bench', name: this.name } } }, contentType: CT });
    if (s.kind !== 'stream') throw new Error('redirect');
    this.streamId = s.streamId as string;
    const first = await s.events.next();
    this.id = (first.value as scheduler.Event).subscribed?.framework_id.value as string;
    if (this.pipeline) this.conn = new PipelinedConnection(`${this.url}/api/v1/scheduler`, CT, { 'Mesos-Stream-Id': this.streamId });
    void (async () => {
      for await (const e of s.events) this.onEvent(e);
    })().catch(() => undefined);
  }

  idle(): void {
    this.mode = 'idle';
    this.call({ type: 'SUPPRESS', suppress: {} });
  }

  private call(call: Omit<scheduler.Call, 'framework_id'>): void {
    if (this.conn) {
      const body = encode(CT, 'mesos.v1.scheduler.Call', { ...call, framework_id: { value: this.id } } as scheduler.Call);
      this.conn.post(body).catch((e: unknown) => console.error('call failed', (e as Error).message));
      return;
    }
    void post({ url: `${this.url}/api/v1/scheduler`, callType: 'mesos.v1.scheduler.Call', call: { ...call, framework_id: { value: this.id } } as scheduler.Call, contentType: CT, headers: { 'Mesos-Stream-Id': this.streamId }, agent: pool }).catch((e: unknown) => console.error('call failed', (e as Error).message));
  }

  private onEvent(e: scheduler.Event): void {
    if (e.type === 'OFFERS') {
      const offers = e.offers?.offers ?? [];
      this.offers += offers.length;
      for (const o of offers) this.handleOffer(o);
    } else if (e.type === 'UPDATE') {
      const st = e.update?.status as v1.TaskStatus;
      this.updates++;
      if (st.state === 'TASK_RUNNING' && st.healthy === undefined) this.running++;
      if (st.uuid) this.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: st.agent_id as v1.AgentID, task_id: st.task_id, uuid: st.uuid } });
    }
  }

  private handleOffer(o: v1.Offer): void {
    if (this.mode === 'launch' && this.budget.left > 0) {
      const n = Math.min(10, this.budget.left);
      this.budget.left -= n;
      const tasks: v1.TaskInfo[] = Array.from({ length: n }, (_, i) => ({ name: 't', task_id: { value: `${o.id.value}-${i}` }, agent_id: o.agent_id, command: { value: 'sleep 1d' }, resources: TASK_RES }));
      this.call({ type: 'ACCEPT', accept: { offer_ids: [o.id], operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }], filters: { refuse_seconds: 0 } } });
    } else {
      this.call({ type: 'DECLINE', decline: { offer_ids: [o.id], filters: { refuse_seconds: this.mode === 'idle' ? 3600 : 0 } } });
    }
  }
}

async function run(): Promise<void> {
  const input = workerData as WorkerInput;
  const budget = { left: input.tasks };
  const schedulers = Array.from({ length: input.frameworks }, (_, i) => new BenchScheduler(input.url, budget, `bench-${i}`, input.pipeline));
  await Promise.all(schedulers.map((s) => s.start()));
  const port = parentPort;
  if (!port) return;
  port.on('message', (msg: ToWorker) => {
    for (const s of schedulers) {
      if (msg.mode === 'idle') s.idle();
      else s.mode = msg.mode;
    }
  });
  const report = (): void => {
    const sum = (f: (s: BenchScheduler) => number): number => schedulers.reduce((acc, s) => acc + f(s), 0);
    port.postMessage({ type: 'counts', offers: sum((s) => s.offers), running: sum((s) => s.running), updates: sum((s) => s.updates), elu: performance.eventLoopUtilization().active } satisfies FromWorker);
  };
  setInterval(report, 20).unref();
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

if (parentPort) void run();
