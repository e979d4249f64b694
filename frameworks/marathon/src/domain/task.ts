// What the launcher knows about one task of an app (persisted, so a restarted launcher adopts it).
export interface TaskRecord {
  id: string;
  appId: string;
  /** The app version the task was launched with (a newer version replaces it). */
  version: string;
  agentId: string;
  host: string;
  ports: number[];
  /** Mesos TaskState name of the latest update. */
  state: string;
  stagedAt: string;
  startedAt?: string;
  /** From the agent's health check: undefined until the first result. */
  healthy?: boolean;
  consecutiveFailures?: number;
  /** The resident instance (reservation + volume) the task runs on, for apps with a persistent volume. */
  residentId?: string;
  /** Launched in the ACCEPT that creates its reservation and volume (see `reservationFailed`). */
  reserving?: boolean;
  /** Asked to die (scale down, replacement, delete): not counted as an instance. */
  killing?: boolean;
}

export interface TaskFailure {
  appId: string;
  host: string;
  message: string;
  state: string;
  taskId: string;
  timestamp: string;
  version: string;
}

const ACTIVE = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_UNREACHABLE']);

/** Counts toward an app's instances: alive and not being killed. */
export const isLive = (t: TaskRecord): boolean => ACTIVE.has(t.state) && t.killing !== true;
