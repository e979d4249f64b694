// A task's status history as the state endpoints show it (upstream keeps every status; we keep the first, which
// says when the task started, and the latest ones, so memory per task stays bounded).
import type { v1 } from '@mesos-ts/proto';

/** Statuses kept per task: the first (when it started) and the latest ones, so history stays bounded. */
export const MAX_STATUSES_PER_TASK = 16;

/** Appends a status to the task's history; an agent's retry of the same update (same uuid) is not a new entry. */
export function recordStatus(task: v1.Task, status: v1.TaskStatus): void {
  const list = task.statuses ?? (task.statuses = []);
  const last = list[list.length - 1];
  if (last && status.uuid && last.uuid && sameBytes(last.uuid, status.uuid)) {
    list[list.length - 1] = status;
    return;
  }
  if (list.length >= MAX_STATUSES_PER_TASK) list.splice(1, 1);
  list.push(status);
}

export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
