// What the executor must not forget until the agent confirms it (pure): status updates sent but not yet
// ACKNOWLEDGED (resent, and listed in SUBSCRIBE after an agent restart), and tasks launched for which no
// update has been acknowledged yet (also listed in SUBSCRIBE, so the agent does not think them lost).
import type { executor, v1 } from '@mesos-ts/proto';

interface Pending {
  update: executor.Call.Update;
  /** When it was last handed to the agent (ms), undefined if never successfully. */
  sentAt: number | undefined;
}

export class UpdateBook {
  private readonly updates = new Map<string, Pending>();
  private readonly tasks = new Map<string, v1.TaskInfo>();

  launched(task: v1.TaskInfo): void {
    this.tasks.set(task.task_id.value, task);
  }

  added(status: v1.TaskStatus): void {
    this.updates.set(key(status.uuid!), { update: { status }, sentAt: undefined });
  }

  sent(uuid: Uint8Array, now: number): void {
    const pending = this.updates.get(key(uuid));
    if (pending !== undefined) pending.sentAt = now;
  }

  /** The agent acknowledged `uuid`; returns the update it confirms, if it was pending. */
  acknowledged(uuid: Uint8Array): v1.TaskStatus | undefined {
    const pending = this.updates.get(key(uuid));
    if (pending === undefined) return undefined;
    this.updates.delete(key(uuid));
    this.tasks.delete(pending.update.status.task_id.value);
    return pending.update.status;
  }

  /** Updates never handed over, or handed over at least `resendAfterMs` ago; oldest first. */
  due(now: number, resendAfterMs: number): v1.TaskStatus[] {
    return [...this.updates.values()].filter((p) => p.sentAt === undefined || now - p.sentAt >= resendAfterMs).map((p) => p.update.status);
  }

  unacknowledgedUpdates(): executor.Call.Update[] {
    return [...this.updates.values()].map((p) => p.update);
  }

  unacknowledgedTasks(): v1.TaskInfo[] {
    return [...this.tasks.values()];
  }

  get pendingCount(): number {
    return this.updates.size;
  }
}

function key(uuid: Uint8Array): string {
  return Buffer.from(uuid).toString('hex');
}
