// Maintenance driver: stores the schedule, sends inverse offers (v1 INVERSE_OFFERS) to the frameworks running
// on agents of machines in a window, records their ACCEPT/DECLINE answers, and takes machines down and up
// (a DOWN machine's agents are deactivated: no offers until the machine is up again).
import type { maintenance, scheduler, v1 } from '@mesos-ts/proto';
import { MasterError } from '../core/errors.js';
import { agentMachine, machineChangeProblem, machineKey, scheduledMachines, scheduleProblem } from '../core/maintenance.js';
import type { AgentRecord, FrameworkRecord } from '../core/state.js';
import { setAgentActive } from './agents.js';
import type { MasterContext as Master } from './context.js';
import { timeInfo } from './views.js';

export function getSchedule(m: Master): maintenance.Schedule {
  return m.books.maintenance.schedule;
}

export function getStatus(m: Master): maintenance.ClusterStatus {
  const mb = m.books.maintenance;
  const draining: maintenance.ClusterStatus.DrainingMachine[] = [];
  const down: v1.MachineID[] = [];
  for (const [key, { id }] of scheduledMachines(mb.schedule)) {
    if (mb.down.has(key)) {
      down.push(id);
      continue;
    }
    const statuses = [...(mb.answers.get(key) ?? new Map()).entries()].map(([fwId, a]) => ({ status: a.status, framework_id: { value: fwId }, timestamp: timeInfo(a.timestamp) }));
    draining.push({ id, statuses });
  }
  return { draining_machines: draining, down_machines: down };
}

/** Stores the schedule and the DOWN machines in the registry (they survive a restart and a failover). */
function persist(m: Master): Promise<void> {
  const mb = m.books.maintenance;
  const snapshot = { schedule: structuredClone(mb.schedule), down: [...mb.down] };
  return m.registry.mutate((d) => void (d.maintenance = snapshot));
}

/** Restores what persist() stored (at recovery). */
export function restoreMaintenance(m: Master, stored: { schedule: maintenance.Schedule; down: readonly string[] } | undefined): void {
  if (stored === undefined) return;
  m.books.maintenance.schedule = stored.schedule;
  for (const key of stored.down) m.books.maintenance.down.add(key);
}

/**
 * POST /maintenance/schedule: replaces the schedule; inverse offers of machines no longer in it are rescinded.
 * Resolves once the schedule is in the registry.
 */
export function updateSchedule(m: Master, schedule: maintenance.Schedule): Promise<void> {
  const mb = m.books.maintenance;
  const bad = scheduleProblem(schedule, mb.down);
  if (bad !== null) throw new MasterError('INVALID_CALL', bad);
  mb.schedule = schedule;
  const keys = new Set(scheduledMachines(schedule).keys());
  for (const [id, io] of [...mb.inverseOffers]) {
    if (keys.has(io.machine)) continue;
    mb.inverseOffers.delete(id);
    const fw = m.books.frameworks.get(io.frameworkId);
    if (fw) m.sendToFramework(fw, { type: 'RESCIND_INVERSE_OFFER', rescind_inverse_offer: { inverse_offer_id: { value: id } } });
  }
  for (const key of [...mb.answers.keys()]) if (!keys.has(key)) mb.answers.delete(key);
  sendInverseOffers(m);
  return persist(m);
}

/** Frameworks using an agent (tasks or executors there). */
function frameworksOn(m: Master, agent: AgentRecord): FrameworkRecord[] {
  const out: FrameworkRecord[] = [];
  for (const fw of m.books.frameworks.values()) {
    const uses = [...fw.tasks.values()].some((r) => !r.released && r.task.agent_id.value === agent.id) || [...fw.executors.values()].some((e) => e.agentId === agent.id);
    if (uses) out.push(fw);
  }
  return out;
}

/** One inverse offer per (draining agent, framework using it) not asked yet. */
export function sendInverseOffers(m: Master): void {
  const mb = m.books.maintenance;
  const windows = scheduledMachines(mb.schedule);
  if (windows.size === 0) return;
  for (const agent of m.books.agents.values()) {
    if (!agent.reachable) continue;
    const key = agentMachine(mb.schedule, agent.info.hostname, undefined);
    if (key === undefined || mb.down.has(key)) continue;
    const unavailability = windows.get(key)?.unavailability;
    if (!unavailability) continue;
    const answers = mb.answers.get(key) ?? new Map();
    mb.answers.set(key, answers);
    for (const fw of frameworksOn(m, agent)) {
      const pending = [...mb.inverseOffers.values()].some((io) => io.frameworkId === fw.id && io.agentId === agent.id);
      if (pending || answers.has(fw.id)) continue;
      const id = m.nextOfferId();
      mb.inverseOffers.set(id, { frameworkId: fw.id, agentId: agent.id, machine: key });
      answers.set(fw.id, { status: 'UNKNOWN', timestamp: m.clock.now() });
      const offer: v1.InverseOffer = { id: { value: id }, framework_id: { value: fw.id }, agent_id: { value: agent.id }, unavailability };
      m.sendToFramework(fw, { type: 'INVERSE_OFFERS', inverse_offers: { inverse_offers: [offer] } });
    }
  }
}

/** ACCEPT_INVERSE_OFFERS / DECLINE_INVERSE_OFFERS: the framework's answer, shown by /maintenance/status. */
export function answerInverseOffers(m: Master, fw: FrameworkRecord, call: scheduler.Call.AcceptInverseOffers | scheduler.Call.DeclineInverseOffers, status: 'ACCEPT' | 'DECLINE'): void {
  const mb = m.books.maintenance;
  for (const { value } of call.inverse_offer_ids ?? []) {
    const io = mb.inverseOffers.get(value);
    if (!io || io.frameworkId !== fw.id) continue; // Upstream ignores unknown (e.g. rescinded) inverse offers.
    mb.inverseOffers.delete(value);
    const answers = mb.answers.get(io.machine) ?? new Map();
    answers.set(fw.id, { status, timestamp: m.clock.now() });
    mb.answers.set(io.machine, answers);
  }
}

/** POST /machine/down and /machine/up. */
export function changeMachines(m: Master, change: 'down' | 'up', ids: readonly v1.MachineID[]): Promise<void> {
  const mb = m.books.maintenance;
  const bad = machineChangeProblem(change, ids, mb);
  if (bad !== null) throw new MasterError('INVALID_CALL', bad);
  const keys = new Set(ids.map(machineKey));
  if (change === 'down') for (const k of keys) mb.down.add(k);
  else {
    for (const k of keys) {
      mb.down.delete(k);
      mb.answers.delete(k);
    }
    // Upstream: a machine brought up leaves the schedule.
    const windows = (mb.schedule.windows ?? [])
      .map((w) => ({ ...w, machine_ids: (w.machine_ids ?? []).filter((id) => !keys.has(machineKey(id))) }))
      .filter((w) => w.machine_ids.length > 0);
    mb.schedule = { windows };
  }
  for (const agent of m.books.agents.values()) {
    const hit = [...keys].some((k) => k.startsWith(`${agent.info.hostname}/`) || k.endsWith(`/${agent.info.hostname}`));
    if (!hit) continue;
    for (const [id, io] of [...mb.inverseOffers]) if (io.agentId === agent.id) mb.inverseOffers.delete(id);
    setAgentActive(m, agent.id, change === 'down' ? 'deactivate' : 'reactivate');
  }
  return persist(m);
}
