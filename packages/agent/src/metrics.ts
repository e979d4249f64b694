// Agent counters and gauges, rendered as /metrics/snapshot (`slave/…` names, as upstream) and as
// Prometheus text on /metrics.
import type { v1 } from '@mesos-ts/proto';

export type Counter = 'tasks_launched' | 'status_updates_forwarded' | 'status_updates_acknowledged' | 'executors_terminated' | 'registrations';

export class AgentMetrics {
  private readonly counters = new Map<string, number>();

  inc(name: Counter): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + 1);
  }

  countTerminal(state: v1.TaskState): void {
    const key = `terminal:${state}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
  }

  get(name: string): number {
    return this.counters.get(name) ?? 0;
  }
}

export interface MetricsInput {
  metrics: AgentMetrics;
  registered: boolean;
  uptimeSecs: number;
  executors: { registering: number; running: number; terminating: number };
  tasks: { staging: number; starting: number; running: number; killing: number };
  resources: { total: ReadonlyMap<string, number>; used: ReadonlyMap<string, number> };
}

/** The `/metrics/snapshot` object. */
export function snapshot(m: MetricsInput): Record<string, number> {
  const out: Record<string, number> = {
    'slave/registered': m.registered ? 1 : 0,
    'slave/uptime_secs': m.uptimeSecs,
    'slave/executors_registering': m.executors.registering,
    'slave/executors_running': m.executors.running,
    'slave/executors_terminating': m.executors.terminating,
    'slave/executors_terminated': m.metrics.get('executors_terminated'),
    'slave/tasks_staging': m.tasks.staging,
    'slave/tasks_starting': m.tasks.starting,
    'slave/tasks_running': m.tasks.running,
    'slave/tasks_killing': m.tasks.killing,
    'slave/tasks_finished': m.metrics.get('terminal:TASK_FINISHED'),
    'slave/tasks_failed': m.metrics.get('terminal:TASK_FAILED'),
    'slave/tasks_killed': m.metrics.get('terminal:TASK_KILLED'),
    'slave/tasks_lost': m.metrics.get('terminal:TASK_LOST'),
    'slave/tasks_launched': m.metrics.get('tasks_launched'),
    'slave/valid_status_updates': m.metrics.get('status_updates_forwarded'),
    'slave/status_updates_acknowledged': m.metrics.get('status_updates_acknowledged'),
    'slave/registrations': m.metrics.get('registrations'),
  };
  for (const name of ['cpus', 'mem', 'disk', 'gpus']) {
    const total = m.resources.total.get(name) ?? 0;
    const used = m.resources.used.get(name) ?? 0;
    out[`slave/${name}_total`] = total;
    out[`slave/${name}_used`] = used;
    out[`slave/${name}_percent`] = total > 0 ? used / total : 0;
  }
  return out;
}

/** Prometheus text exposition of a snapshot: `slave/tasks_running` becomes `mesos_slave_tasks_running`. */
export function prometheus(values: Record<string, number>): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(values).sort(([a], [b]) => a.localeCompare(b))) {
    const metric = `mesos_${name.replace(/[^a-zA-Z0-9_]/g, '_')}`;
    lines.push(`# TYPE ${metric} gauge`, `${metric} ${Number.isFinite(value) ? value : 0}`);
  }
  return `${lines.join('\n')}\n`;
}
