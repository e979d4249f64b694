// The /metrics/snapshot figures under upstream's names (docs/monitoring.md): gauges computed from the books,
// counters from MasterMetrics (every standard counter is present, 0 until it moves).
import { Resources } from '@mesos-ts/resources';
import type { MasterContext as Master } from './context.js';
import { agentUsed } from './views.js';

const COUNTERS = [
  'master/tasks_finished', 'master/tasks_failed', 'master/tasks_killed', 'master/tasks_lost', 'master/tasks_error',
  'master/tasks_dropped', 'master/tasks_gone', 'master/tasks_gone_by_operator', 'master/frameworks_removed',
  'master/slave_registrations', 'master/slave_reregistrations', 'master/slave_removals', 'master/slave_unreachable_completed',
  'master/messages_status_update', 'master/messages_status_update_acknowledgement', 'master/valid_status_updates',
  'master/invalid_status_updates', 'master/messages_accept_offers', 'master/messages_decline_offers',
  'master/messages_kill_task', 'master/messages_reconcile_tasks', 'master/messages_revive_offers',
  'master/messages_suppress_offers', 'master/messages_framework_to_executor', 'master/messages_executor_to_framework',
  'master/invalid_framework_to_executor_messages', 'master/invalid_executor_to_framework_messages',
  'master/messages_resource_offers', 'master/valid_operations', 'master/invalid_operations', 'master/offers_rescinded',
];

export function metricsSnapshot(m: Master): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of COUNTERS) out[name] = 0;
  for (const [name, v] of m.metrics.entries()) out[name] = v;
  const agents = [...m.books.agents.values()];
  const reachable = agents.filter((a) => a.reachable);
  const frameworks = [...m.books.frameworks.values()];
  out['master/elected'] = m.leader.isSelf() && !m.recovering ? 1 : 0;
  out['master/uptime_secs'] = (m.clock.now() - m.startTime) / 1000;
  out['master/slaves_active'] = reachable.filter((a) => !a.deactivated).length;
  out['master/slaves_inactive'] = reachable.filter((a) => a.deactivated).length;
  out['master/slaves_connected'] = reachable.filter((a) => a.stream !== undefined).length;
  out['master/slaves_disconnected'] = reachable.filter((a) => a.stream === undefined).length;
  out['master/slaves_unreachable'] = agents.length - reachable.length;
  out['master/frameworks_active'] = frameworks.filter((f) => f.active).length;
  out['master/frameworks_inactive'] = frameworks.filter((f) => !f.active).length;
  out['master/frameworks_connected'] = frameworks.filter((f) => f.connected).length;
  out['master/frameworks_disconnected'] = frameworks.filter((f) => !f.connected).length;
  out['master/outstanding_offers'] = m.books.offers.size;
  out['master/operator_event_stream_subscribers'] = m.operatorSubscribers.size;
  const states: Record<string, number> = { TASK_STAGING: 0, TASK_STARTING: 0, TASK_RUNNING: 0, TASK_KILLING: 0, TASK_UNREACHABLE: 0 };
  for (const fw of frameworks) {
    for (const r of fw.tasks.values()) states[r.task.state] = (states[r.task.state] ?? 0) + 1;
    states['TASK_UNREACHABLE'] = (states['TASK_UNREACHABLE'] ?? 0) + fw.unreachableTasks.size;
  }
  for (const s of ['STAGING', 'STARTING', 'RUNNING', 'KILLING', 'UNREACHABLE']) out[`master/tasks_${s.toLowerCase()}`] = states[`TASK_${s}`] ?? 0;
  let total = Resources.empty();
  let used = Resources.empty();
  for (const a of reachable) {
    total = total.add(a.total);
    used = used.add(agentUsed(m, a).unallocate());
  }
  for (const name of ['cpus', 'mem', 'disk', 'gpus']) {
    const t = total.scalar(name);
    const u = used.scalar(name);
    out[`master/${name}_total`] = t;
    out[`master/${name}_used`] = u;
    out[`master/${name}_percent`] = t > 0 ? u / t : 0;
  }
  out['registrar/registry_saves'] = m.registry.saves;
  return out;
}

/** Prometheus text exposition of the snapshot: `master/cpus_total` becomes `mesos_master_cpus_total`. */
export function prometheusText(snapshot: Record<string, number>): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(snapshot).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const metric = `mesos_${name.replace(/[^a-zA-Z0-9_]/g, '_')}`;
    lines.push(`# TYPE ${metric} gauge`, `${metric} ${Number.isFinite(value) ? value : 0}`);
  }
  return lines.join('\n') + '\n';
}
