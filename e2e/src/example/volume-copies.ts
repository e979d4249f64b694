// Example framework (issue 7's "done when"): keep N copies of a command running, each with its own persistent
// volume that outlives the task. Built only on @mesos-ts/scheduler and @mesos-ts/framework-kit: the framework
// id and its task/volume books live in a StateStore, so a restarted scheduler fails over with the same id,
// waits for reconciliation, and relaunches a copy on the agent holding that copy's volume. A copy whose task
// keeps failing is relaunched after a doubling delay (framework-kit's failover policy), not in a tight loop.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import {
  NO_FAILURES,
  computePlan,
  loadFrameworkId,
  registerFailure,
  registerStart,
  saveFrameworkId,
  type FailoverPolicy,
  type FailoverState,
  type MemberSpec,
  type StateStore,
} from '@mesos-ts/framework-kit';
import type { v1 } from '@mesos-ts/proto';
import { SchedulerClient, isTerminalState } from '@mesos-ts/scheduler';
import type { ContentType } from '@mesos-ts/wire';

export interface VolumeCopiesOptions {
  master: string;
  name: string;
  copies: number;
  command: string;
  role: string;
  principal: string;
  cpus: number;
  mem: number;
  volumeMb: number;
  store: StateStore;
  contentType?: ContentType;
  /** Who the tasks run as (an agent running as root switches to this user); default: whoever runs the scheduler. */
  user?: string;
  /** Relaunch delay after a copy's task fails (ms), doubling per failure without a RUNNING in between. Default 500 ms to 30 s. */
  failover?: FailoverPolicy;
}

const DEFAULT_FAILOVER: FailoverPolicy = { delayMs: 500, maxDelayMs: 30_000 };

/** What must survive a scheduler restart: which task runs which copy, and where each copy's volume is. */
interface Books {
  tasks: Record<string, { copy: string; agentId: string }>;
  volumes: Record<string, string>;
}

export class VolumeCopies {
  readonly client: SchedulerClient;
  /** Every ACCEPT this instance sent, for tests and logs. */
  readonly accepted: Array<{ operations: v1.Offer.Operation[] }> = [];
  private suppressed = false;
  private queue: Promise<void> = Promise.resolve();
  /** Per copy: failures since its last RUNNING. In memory: a restarted scheduler starts over. */
  private readonly failures = new Map<string, FailoverState>();
  private wake: NodeJS.Timeout | undefined;

  private constructor(
    private readonly o: VolumeCopiesOptions,
    private readonly books: Books,
    frameworkId: string | undefined,
  ) {
    this.client = new SchedulerClient({
      master: o.master,
      framework: { user: o.user ?? os.userInfo().username, name: o.name, roles: [o.role], principal: o.principal, failover_timeout: 7 * 86_400, checkpoint: true, capabilities: [{ type: 'MULTI_ROLE' }] },
      ...(frameworkId === undefined ? {} : { frameworkId }),
      ...(o.contentType === undefined ? {} : { contentType: o.contentType }),
      backoff: { initialMs: 50, maxMs: 500 },
      reconcileIntervalMs: 200,
    });
    for (const [taskId, t] of Object.entries(books.tasks)) this.client.tasks.launched(taskId, t.agentId, Date.now());
    this.client.on('subscribed', ({ frameworkId: id }) => saveFrameworkId(o.store, id));
    this.client.on('offers', (offers) => this.serially(() => this.onOffers(offers)));
    this.client.on('update', (status) => this.serially(() => this.onUpdate(status)));
  }

  static async start(options: VolumeCopiesOptions): Promise<VolumeCopies> {
    const books = (await options.store.get<Books>('books'))?.value ?? { tasks: {}, volumes: {} };
    const framework = new VolumeCopies(options, books, await loadFrameworkId(options.store));
    framework.client.start();
    return framework;
  }

  /** Copy -> state of its live task, e.g. { '0': 'TASK_RUNNING' }. */
  running(): Record<string, v1.TaskState> {
    const out: Record<string, v1.TaskState> = {};
    for (const t of this.client.tasks.active()) {
      const copy = this.books.tasks[t.taskId]?.copy;
      if (copy !== undefined) out[copy] = t.state;
    }
    return out;
  }

  stop(): Promise<void> {
    clearTimeout(this.wake);
    return this.client.stop();
  }

  private serially(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work).catch(() => undefined);
    return this.queue;
  }

  private async onOffers(offers: v1.Offer[]): Promise<void> {
    // Until every remembered task's state is confirmed, launching could start a second copy: wait.
    if (this.client.tasks.unconfirmed().length > 0) {
      await this.client.decline(offers.map((o) => o.id), { refuse_seconds: 1 });
      return;
    }
    const members: MemberSpec[] = Array.from({ length: this.o.copies }, (_, i) => String(i)).map((copy) => ({
      id: copy,
      active: true,
      failover: { policy: this.o.failover ?? DEFAULT_FAILOVER, state: this.failures.get(copy) ?? NO_FAILURES },
      request: { cpus: this.o.cpus, mem: this.o.mem },
      volume: { persistenceId: `${this.o.name}-${copy}`, containerPath: 'data', volumeMb: this.o.volumeMb, ...(this.books.volumes[copy] === undefined ? {} : { agentId: this.books.volumes[copy] }) },
    }));
    const tasks = this.client.tasks.active().flatMap((t) => {
      const copy = this.books.tasks[t.taskId]?.copy;
      return copy === undefined ? [] : [{ memberId: copy, taskId: t.taskId, agentId: t.agentId ?? '', node: { hostname: '' }, state: t.state }];
    });
    const plan = computePlan({ role: this.o.role, principal: this.o.principal, members, tasks, offers, now: Date.now(), suppressed: this.suppressed });
    for (const accept of plan.accepts) {
      const taskInfos: v1.TaskInfo[] = accept.launches.map((l) => {
        const taskId = `copy-${l.memberId}.${randomUUID()}`;
        this.books.tasks[taskId] = { copy: l.memberId, agentId: accept.agentId };
        this.books.volumes[l.memberId] = accept.agentId;
        return { name: `copy-${l.memberId}`, task_id: { value: taskId }, agent_id: { value: accept.agentId }, resources: l.resources.toProto(), command: { value: this.o.command } };
      });
      // Remember before launching: a crash right after the ACCEPT must not lose track of the task.
      await this.o.store.put('books', this.books);
      const operations: v1.Offer.Operation[] = [...accept.operations, { type: 'LAUNCH', launch: { task_infos: taskInfos } }];
      this.accepted.push({ operations });
      await this.client.accept([accept.offerId], operations);
    }
    if (plan.declines.length > 0) await this.client.decline(plan.declines.map((d) => d.offerId), { refuse_seconds: plan.declines[0]!.refuseSeconds });
    for (const k of plan.kills) await this.client.kill(k.taskId, k.agentId);
    if (plan.suppress) await this.client.suppress([this.o.role]);
    if (plan.revive) await this.client.revive([this.o.role]);
    this.suppressed = (this.suppressed || plan.suppress) && !plan.revive;
    // A copy held back by its failover delay had its offers declined: ask for them again once the delay ends.
    if (plan.wakeAt !== undefined && this.wake === undefined) {
      this.wake = setTimeout(() => {
        this.wake = undefined;
        void this.serially(() => this.client.revive([this.o.role]));
      }, Math.max(0, plan.wakeAt - Date.now()));
    }
  }

  private async onUpdate(status: v1.TaskStatus): Promise<void> {
    const id = status.task_id.value;
    const copy = this.books.tasks[id]?.copy;
    if (copy === undefined) return;
    if (status.state === 'TASK_RUNNING') this.failures.set(copy, registerStart());
    if (!isTerminalState(status.state)) return;
    this.failures.set(copy, registerFailure(this.failures.get(copy) ?? NO_FAILURES, Date.now()));
    delete this.books.tasks[id];
    await this.o.store.put('books', this.books);
    // The copy needs offers again (its volume is re-offered once the task is gone). Revive even when this
    // instance never suppressed: a predecessor it failed over from may have.
    await this.client.revive([this.o.role]);
    this.suppressed = false;
  }
}
