// The peer bench's framework: the scheduler SDK (SchedulerClient, auto-acknowledging) launching batches of
// command tasks as fast as offers allow. Tasks take `cpus` each, so the agent's cpus bound how many run at once,
// as a Slurm node's CPUs × OverSubscribe do. Unused offer parts are declined with refuse_seconds 0 so they come
// back at the next allocation.
import type { v1 } from '@mesos-ts/proto';
import { SchedulerClient, isTerminalState } from '@mesos-ts/scheduler';

export interface BatchResult {
  /** From the start to the last task's ACCEPT answered by the master. */
  submitMs: number;
  /** From the start to the last task's TASK_FINISHED. */
  doneMs: number;
}

interface Batch {
  prefix: string;
  count: number;
  command: string;
  launched: number;
  finished: number;
  lastAcceptAt: number;
  started: number;
  resolve: (r: BatchResult) => void;
  reject: (e: Error) => void;
}

export class SdkBatchRunner {
  private readonly client: SchedulerClient;
  private readonly held: v1.Offer[] = [];
  private batch: Batch | undefined;
  private seq = 0;
  /** Called with each TASK_FINISHED task id and the time it arrived (latency probes). */
  private onFinished: ((taskId: string, at: number) => void) | undefined;

  constructor(master: string, private readonly cpusPerTask: number) {
    this.client = new SchedulerClient({ master, framework: { user: 'root', name: 'peer-bench', checkpoint: false }, contentType: 'application/x-protobuf' });
    this.client.on('offers', (offers) => {
      this.held.push(...offers);
      this.launchFromHeld();
    });
    this.client.on('update', (status) => this.onUpdate(status));
  }

  async start(): Promise<void> {
    const subscribed = new Promise<void>((resolve) => this.client.on('subscribed', () => resolve()));
    this.client.start();
    await subscribed;
  }

  stop(): Promise<void> {
    return this.client.stop();
  }

  /** Launches `count` tasks running `command` and resolves when all finished. */
  run(count: number, command: string): Promise<BatchResult> {
    if (this.batch) throw new Error('one batch at a time');
    return new Promise((resolve, reject) => {
      this.batch = { prefix: `b${this.seq++}-`, count, command, launched: 0, finished: 0, lastAcceptAt: 0, started: performance.now(), resolve, reject };
      this.launchFromHeld();
    });
  }

  /** One task's latency: from ACCEPT sent (on an offer already held) to TASK_FINISHED received, in ms. */
  async latency(command: string): Promise<number> {
    while (this.held.length === 0) await new Promise((r) => setTimeout(r, 5));
    const offer = this.held.shift()!;
    const id = `l${this.seq++}`;
    const done = new Promise<number>((resolve) => {
      this.onFinished = (taskId, at) => {
        if (taskId === id) resolve(at);
      };
    });
    const t0 = performance.now();
    await this.client.launch([offer.id.value], [this.task(id, offer, command)], { refuse_seconds: 0 });
    const t1 = await done;
    this.onFinished = undefined;
    return t1 - t0;
  }

  private onUpdate(status: v1.TaskStatus): void {
    const id = status.task_id.value;
    if (status.state === 'TASK_FINISHED') this.onFinished?.(id, performance.now());
    const b = this.batch;
    if (!b || !id.startsWith(b.prefix)) return;
    if (status.state === 'TASK_FINISHED') {
      b.finished++;
      if (b.finished === b.count) {
        this.batch = undefined;
        b.resolve({ submitMs: b.lastAcceptAt - b.started, doneMs: performance.now() - b.started });
      } else this.launchFromHeld();
    } else if (isTerminalState(status.state)) {
      this.batch = undefined;
      b.reject(new Error(`task ${id} ended ${status.state}: ${status.message ?? ''}`));
    }
  }

  private launchFromHeld(): void {
    const b = this.batch;
    while (b && this.held.length > 0 && b.launched < b.count) {
      const offer = this.held.shift()!;
      const room = Math.min(b.count - b.launched, this.fits(offer));
      const tasks: v1.TaskInfo[] = [];
      for (let i = 0; i < room; i++) tasks.push(this.task(`${b.prefix}${b.launched++}`, offer, b.command));
      this.client.launch([offer.id.value], tasks, { refuse_seconds: 0 }).then(
        () => (b.lastAcceptAt = performance.now()),
        (e: unknown) => b.reject(e as Error),
      );
    }
  }

  private fits(offer: v1.Offer): number {
    const scalar = (name: string): number => (offer.resources ?? []).filter((r) => r.name === name).reduce((s, r) => s + (r.scalar?.value ?? 0), 0);
    return Math.floor(Math.min(scalar('cpus') / this.cpusPerTask, scalar('mem') / 1) + 1e-9);
  }

  private task(id: string, offer: v1.Offer, command: string): v1.TaskInfo {
    return {
      name: id,
      task_id: { value: id },
      agent_id: offer.agent_id,
      command: { value: command },
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: this.cpusPerTask } },
        { name: 'mem', type: 'SCALAR', scalar: { value: 1 } },
      ],
    };
  }
}
