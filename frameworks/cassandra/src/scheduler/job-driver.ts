// Runs the cluster job the REST API started, one node at a time (upstream's rule): picks the next node
// (domain/jobs.ts), and for repair/cleanup asks that node's executor to run the nodetool step (a framework
// message; the answer comes back as one), for rolling-restart restarts the node (drain + stop, relaunch on its
// volume) and waits until it is running and NORMAL again. A node that is not running and NORMAL when its turn
// comes is recorded as failed and skipped. Called on the scheduler's queue; `commit` stores and applies a state.
import type { Logger } from '@mesos-ts/scheduler';
import type { Snapshot } from '../api/routes.js';
import { setRunState } from '../domain/commands.js';
import { jobNodeDone, nextJobNode } from '../domain/jobs.js';
import { isHealthyRunning, type CassandraNode } from '../domain/node.js';
import { encodeMessage, type JobResult } from '../domain/task-data.js';

export interface JobDriverDeps {
  snapshot(): Snapshot;
  commit(next: Snapshot): Promise<void>;
  send(node: CassandraNode, data: Uint8Array): Promise<void>;
  now(): number;
  log: Logger;
}

/** A step request with no answer is sent again after this long (an executor or scheduler restarted meanwhile). */
const RESEND_MS = 10 * 60_000;
/** A rolling-restart step gives up on a node that is not NORMAL again after this long. */
const RESTART_TIMEOUT_MS = 15 * 60_000;

export class JobDriver {
  private readonly sent = new Map<string, number>();
  private readonly restarting = new Map<string, number>();

  constructor(private readonly d: JobDriverDeps) {}

  async step(): Promise<void> {
    let s = this.d.snapshot();
    if (s.jobs.current === undefined) return;
    if (s.jobs.current.currentNode === undefined) {
      const picked = nextJobNode(s.jobs);
      if (picked.node === undefined) return;
      s = { ...s, jobs: picked.jobs };
      await this.d.commit(s);
      this.d.log.info({ job: s.jobs.current!.type, node: picked.node }, 'cluster job: next node');
    }
    const job = s.jobs.current!;
    const name = job.currentNode!;
    const id = jobId(job.type, job.startedAt, name);
    const node = s.ring.nodes.find((n) => n.name === name);
    const now = this.d.now();
    if (job.type === 'rolling-restart') {
      const began = this.restarting.get(id);
      if (began === undefined) {
        if (node === undefined || !isHealthyRunning(node)) return this.done(name, false, `${name} is not running and NORMAL; skipped`);
        this.restarting.set(id, now);
        await this.d.commit({ ...s, ring: setRunState(s.ring, name, 'restart').state });
        return;
      }
      if (node !== undefined && isHealthyRunning(node) && (node.lastLaunchAt ?? 0) >= began) return this.done(name, true, `${name} restarted and NORMAL again`);
      if (now - began > RESTART_TIMEOUT_MS) return this.done(name, false, `${name} was not NORMAL again within ${RESTART_TIMEOUT_MS / 60_000} min`);
      return;
    }
    if (node === undefined || !isHealthyRunning(node) || node.executorId === undefined) return this.done(name, false, `${name} is not running and NORMAL; skipped`);
    const sentAt = this.sent.get(id);
    if (sentAt !== undefined && now - sentAt < RESEND_MS) return;
    this.sent.set(id, now);
    this.d.log.info({ job: job.type, node: name }, 'cluster job: asking the node\'s executor to run nodetool');
    await this.d.send(node, encodeMessage({ type: 'job', jobId: id, job: job.type })).catch((e: unknown) => {
      this.sent.delete(id);
      this.d.log.warn({ err: e, node: name }, 'cannot reach the node\'s executor; retried');
    });
  }

  async onResult(r: JobResult): Promise<void> {
    const job = this.d.snapshot().jobs.current;
    if (job?.currentNode === undefined || jobId(job.type, job.startedAt, job.currentNode) !== r.jobId) return;
    await this.done(r.node, r.ok, r.output);
  }

  private async done(name: string, ok: boolean, output: string): Promise<void> {
    const s = this.d.snapshot();
    const job = s.jobs.current!;
    const now = this.d.now();
    this.d.log.info({ job: job.type, node: name, ok }, 'cluster job: node done');
    const stamp = (n: CassandraNode): CassandraNode =>
      n.name !== name || !ok ? n : job.type === 'repair' ? { ...n, lastRepairAt: now } : job.type === 'cleanup' ? { ...n, lastCleanupAt: now } : n;
    await this.d.commit({ ring: { ...s.ring, nodes: s.ring.nodes.map(stamp) }, jobs: jobNodeDone(s.jobs, name, ok, output, now) });
  }
}

function jobId(type: string, startedAt: number, node: string): string {
  return `${type}-${startedAt}-${node}`;
}
