// The benchmark's framework: a minimal v1 scheduler over HTTP (protobuf) that keeps at most `window` tasks in
// flight, launches them from whatever offers come, and acknowledges every status update at once. A batch ends
// when each of its tasks has reached `until` (e.g. TASK_FINISHED) and that update's ACKNOWLEDGE was accepted
// (202) by the master.
import http from 'node:http';
import type { scheduler, v1 } from '@mesos-ts/proto';
import { post, subscribe, type EventStream } from '@mesos-ts/wire';

const PROTOBUF = 'application/x-protobuf';

export interface Batch {
  /** Task ids are `<prefix><n>`. */
  prefix: string;
  count: number;
  command: string;
  /** The state that counts a task as done. */
  until: v1.TaskState;
}

interface Running {
  batch: Batch;
  launched: number;
  inFlight: number;
  done: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class BenchScheduler {
  private stream: EventStream<'mesos.v1.scheduler.Event'> | undefined;
  private frameworkId: v1.FrameworkID | undefined;
  private readonly pool = new http.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly held: v1.Offer[] = [];
  private current: Running | undefined;
  private failure: Error | undefined;
  /** Every task's latest state (sleeper counts, kills). */
  readonly states = new Map<string, v1.TaskState>();
  /** Agent of every task (all run on the one agent). */
  agentId: string | undefined;

  constructor(
    private readonly masterUrl: string,
    private readonly window: number,
    private readonly checkpoint: boolean,
  ) {}

  async subscribe(user: string): Promise<void> {
    const result = await subscribe({
      url: `${this.masterUrl}/api/v1/scheduler`,
      callType: 'mesos.v1.scheduler.Call',
      eventType: 'mesos.v1.scheduler.Event',
      call: { type: 'SUBSCRIBE', subscribe: { framework_info: { user, name: 'agent-bench', checkpoint: this.checkpoint, capabilities: [{ type: 'TASK_KILLING_STATE' }] } } },
      contentType: PROTOBUF,
    });
    if (result.kind !== 'stream') throw new Error(`master redirected the bench to ${result.location}`);
    this.stream = result;
    const subscribed = new Promise<void>((resolve) => {
      void this.pump(resolve);
    });
    await subscribed;
  }

  /** Launches the batch's tasks, at most `window` in flight, and resolves once all reached `until`, acknowledged. */
  run(batch: Batch): Promise<void> {
    if (this.current) throw new Error('one batch at a time');
    if (this.failure) return Promise.reject(this.failure);
    const result = new Promise<void>((resolve, reject) => {
      this.current = { batch, launched: 0, inFlight: 0, done: 0, resolve, reject };
      this.useHeldOffers();
    });
    // A stalled pipeline fails the batch instead of hanging the bench.
    let seen = -1;
    const watchdog = setInterval(() => {
      const run = this.current;
      if (!run) return;
      if (run.done === seen) this.fail(new Error(`no progress for ${STALL_MS / 1000} s: ${run.done} of ${run.batch.count} '${run.batch.prefix}' tasks done`));
      seen = run.done;
    }, STALL_MS);
    return result.finally(() => clearInterval(watchdog));
  }

  kill(taskId: string, agentId: string): Promise<void> {
    return this.call({ type: 'KILL', kill: { task_id: { value: taskId }, agent_id: { value: agentId } } });
  }

  close(): void {
    this.stream?.close();
    this.pool.destroy();
  }

  private async pump(subscribed: () => void): Promise<void> {
    try {
      for await (const event of this.stream!.events) {
        if (event.type === 'SUBSCRIBED') {
          this.frameworkId = event.subscribed!.framework_id;
          subscribed();
        } else if (event.type === 'OFFERS') {
          this.held.push(...(event.offers?.offers ?? []));
          this.useHeldOffers();
        } else if (event.type === 'UPDATE') {
          this.onUpdate(event.update!.status);
        } else if (event.type === 'ERROR') {
          this.fail(new Error(`master sent ERROR: ${event.error?.message}`));
        }
      }
      this.fail(new Error('the master closed the scheduler stream'));
    } catch (e) {
      this.fail(e as Error);
    }
  }

  private onUpdate(status: v1.TaskStatus): void {
    const id = status.task_id.value;
    this.states.set(id, status.state);
    if (status.agent_id) this.agentId = status.agent_id.value;
    const ack = status.uuid && status.uuid.length > 0
      ? this.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id!, task_id: status.task_id, uuid: status.uuid } })
      : Promise.resolve();
    ack.catch((e: unknown) => this.fail(new Error(`ACKNOWLEDGE of ${id} ${status.state} failed: ${(e as Error).message}`)));
    const run = this.current;
    if (!run || !id.startsWith(run.batch.prefix)) return;
    if (status.state === run.batch.until) {
      ack.then(() => {
        run.done++;
        run.inFlight--;
        if (run.done === run.batch.count) {
          this.current = undefined;
          run.resolve();
        } else this.useHeldOffers();
      }, (e: unknown) => this.fail(e as Error));
    } else if (isTerminal(status.state)) {
      this.fail(new Error(`task ${id} ended ${status.state}: ${status.message ?? ''}`));
    }
  }

  /** Launches what the window allows on the offers held; offers stay held while the window is full. */
  private useHeldOffers(): void {
    const run = this.current;
    if (!run) return;
    while (this.held.length > 0 && run.launched < run.batch.count && run.inFlight < this.window) {
      const offer = this.held.shift()!;
      const room = Math.min(this.window - run.inFlight, run.batch.count - run.launched, fits(offer));
      const tasks: v1.TaskInfo[] = [];
      for (let i = 0; i < room; i++) tasks.push(task(`${run.batch.prefix}${run.launched++}`, offer.agent_id, run.batch.command));
      run.inFlight += room;
      // Unused resources come back at once (refuse_seconds 0): the next allocation offers them again.
      void this.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: room > 0 ? [{ type: 'LAUNCH', launch: { task_infos: tasks } }] : [], filters: { refuse_seconds: 0 } } }).catch((e: unknown) => this.fail(e as Error));
    }
  }

  private async call(call: scheduler.Call): Promise<void> {
    const res = await post({
      url: `${this.masterUrl}/api/v1/scheduler`,
      callType: 'mesos.v1.scheduler.Call',
      call: { ...call, framework_id: this.frameworkId! },
      contentType: PROTOBUF,
      headers: { 'Mesos-Stream-Id': this.stream!.streamId! },
      agent: this.pool,
    });
    if (res.kind !== 'response') throw new Error(`master redirected a ${call.type} call`);
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.current?.reject(e);
    this.current = undefined;
  }
}

const STALL_MS = 30_000;
const CPUS = 0.01;
const MEM = 1;

/** Tasks of CPUS/MEM the offer holds. */
function fits(offer: v1.Offer): number {
  const scalar = (name: string): number => (offer.resources ?? []).filter((r) => r.name === name).reduce((s, r) => s + (r.scalar?.value ?? 0), 0);
  return Math.floor(Math.min(scalar('cpus') / CPUS, scalar('mem') / MEM) + 1e-9);
}

function task(id: string, agentId: v1.AgentID, command: string): v1.TaskInfo {
  return {
    name: id,
    task_id: { value: id },
    agent_id: agentId,
    command: { value: command },
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: CPUS } },
      { name: 'mem', type: 'SCALAR', scalar: { value: MEM } },
    ],
  };
}

function isTerminal(state: v1.TaskState): boolean {
  return ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE'].includes(state);
}
