// The master's books as plain data: frameworks, agents, tasks, offers. Drivers (runtime/*) mutate them; pure
// decision functions (validation, reconciliation, task-state) read them.
import type { internal, quota, scheduler, v1 } from '@mesos-ts/proto';
import type { Resources } from '@mesos-ts/resources';
import type { Timer } from '@mesos-ts/common';
import { newMaintenanceBooks, type MaintenanceBooks } from './maintenance.js';
import type { OfferRecord } from './validation.js';

/** Where a subscriber's events go (an HTTP RecordIO stream in production, an array in unit tests). */
export interface EventSink<E> {
  send(event: E): void;
  close(): void;
  readonly closed: boolean;
}

export interface TaskRecord {
  /** Task as the state endpoints show it; `statuses` holds its history (capped: the first and the latest ones). */
  task: v1.Task;
  /** Task resources, allocated form; recovered to the allocator when the task ends. */
  resources: Resources;
  /**
   * Terminal, resources already recovered, waiting for the scheduler to acknowledge the terminal update (upstream
   * keeps such a task in the framework's tasks until then; it becomes completed on the acknowledgement).
   */
  released?: true;
}

export interface ExecutorRecord {
  info: v1.ExecutorInfo;
  agentId: string;
  /** Allocated form; recovered when the executor exits. */
  resources: Resources;
}

export interface FrameworkRecord {
  id: string;
  info: v1.FrameworkInfo;
  roles: string[];
  partitionAware: boolean;
  /** Has a live scheduler stream. */
  connected: boolean;
  /** Gets offers (connected and not torn down). */
  active: boolean;
  /** Known from the registry or an agent only: no scheduler has re-subscribed since the master restarted. */
  recovered: boolean;
  stream: EventSink<scheduler.Event> | undefined;
  streamId: string | undefined;
  registeredTime: number;
  reregisteredTime: number | undefined;
  unregisteredTime: number | undefined;
  suppressedRoles: Set<string>;
  tasks: Map<string, TaskRecord>;
  /** Tasks that are unreachable with their agent (kept apart, as upstream's unreachable_tasks). */
  unreachableTasks: Map<string, TaskRecord>;
  completedTasks: v1.Task[];
  /** executor id -> record, per agent: `${agentId}/${executorId}`. */
  executors: Map<string, ExecutorRecord>;
  offers: Set<string>;
  failoverTimer: Timer | undefined;
}

export interface AgentRecord {
  id: string;
  info: v1.AgentInfo;
  version: string;
  /** Total resources with dynamic reservations and volumes applied (unallocated form). */
  total: Resources;
  /** Dynamic reservations and persistent volumes the agent must checkpoint. */
  checkpointed: Resources;
  stream: EventSink<internal.AgentEvent> | undefined;
  streamId: string | undefined;
  reachable: boolean;
  /** Operator DEACTIVATE_AGENT / DRAIN_AGENT: no offers. */
  deactivated: boolean;
  draining: boolean;
  registeredTime: number;
  reregisteredTime: number | undefined;
  pingSequence: number;
  /** Pings sent since the last PONG. */
  missedPings: number;
  /** `${frameworkId}/${taskId}` of tasks on the agent (live or unreachable). */
  tasks: Set<string>;
  offers: Set<string>;
}

export interface OfferState extends OfferRecord {
  proto: v1.Offer;
  timer: Timer | undefined;
}

export interface MasterBooks {
  frameworks: Map<string, FrameworkRecord>;
  completedFrameworks: FrameworkRecord[];
  agents: Map<string, AgentRecord>;
  /** Admitted in the registry but not re-registered since the master started (id -> info). */
  recoveredAgents: Map<string, v1.AgentInfo>;
  /** Recovered agents that did not re-register within --agent_reregister_timeout. */
  unreachableAgents: Set<string>;
  /** Agents marked gone by the operator (never admitted again). */
  goneAgents: Set<string>;
  offers: Map<string, OfferState>;
  weights: Map<string, number>;
  quotas: Map<string, quota.QuotaConfig>;
  /** Maintenance schedule, machines down, outstanding inverse offers and their answers. */
  maintenance: MaintenanceBooks;
}

export function newBooks(): MasterBooks {
  return {
    frameworks: new Map(),
    completedFrameworks: [],
    agents: new Map(),
    recoveredAgents: new Map(),
    unreachableAgents: new Set(),
    goneAgents: new Set(),
    offers: new Map(),
    weights: new Map(),
    quotas: new Map(),
    maintenance: newMaintenanceBooks(),
  };
}

export function taskKey(frameworkId: string, taskId: string): string {
  return `${frameworkId}/${taskId}`;
}
