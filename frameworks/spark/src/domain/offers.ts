// One round of offers, pure (MesosClusterScheduler.resourceOffers, reshaped for suppress/revive): retry-due
// drivers first, then queued ones, each placed first-fit on an offer with the driver's cpus and memory
// (spark.driver.cores, spark.driver.memory + overhead) and its Spark master, matching spark.mesos.driver.constraints;
// then every launched application gets workers round-robin over the offers — one per agent, each
// spark.executor.cores (else what the offer has) and spark.executor.memory + overhead, up to spark.cores.max,
// on agents matching spark.mesos.constraints. A driver is launched only together with its first worker. Unused
// offers are declined; with nothing left to place the framework suppresses, and a retry waiting for its backoff
// sets the time to revive.
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { matchResources } from '@mesos-ts/scheduler';
import { parseSparkConstraints, unmetConstraint, type SparkConstraints } from './constraints.js';
import type { DispatcherState } from './dispatcher-state.js';
import { driverTaskId, type AppTask, type LaunchedDriver, type QueuedDriver } from './driver.js';
import { memoryStringToMb, withOverhead } from './memory.js';
import { driverCommand, masterCommand, workerCommand } from './task-commands.js';

/** The standalone master's task: a small daemon (DAEMON_MEMORY heap). */
export const MASTER_CPUS = 0.1;
export const MASTER_MEM_MB = 384;

export interface PlanInput {
  state: DispatcherState;
  offers: readonly v1.Offer[];
  now: number;
  role: string;
  driverConstraints: SparkConstraints;
  /** Seconds an unused offer is refused for while nothing waits (spark.mesos.rejectOfferDuration, 120). */
  rejectOfferSeconds: number;
}

export interface OfferLaunch {
  offerId: string;
  tasks: v1.TaskInfo[];
}

export interface OfferRoundPlan {
  state: DispatcherState;
  launches: OfferLaunch[];
  declines: Array<{ offerId: string; refuseSeconds: number }>;
  suppress: boolean;
  /** ms since the epoch when the earliest waiting retry is due (revive then). */
  wakeAt: number | undefined;
  /** Drivers that fit no offer this round, with why per agent. */
  unplaced: Array<{ submissionId: string; reasons: string[] }>;
}

interface Slot {
  offer: v1.Offer;
  left: Resources;
  tasks: v1.TaskInfo[];
}

function take(slot: Slot, cpus: number, mem: number, ports: number, role: string): { resources: v1.Resource[]; ports: number[] } | string {
  const m = matchResources(slot.left, { cpus, mem, ports, role });
  if (!m.ok) return m.reason;
  slot.left = slot.left.subtract(m.resources);
  return { resources: m.resources.toProto(), ports: m.ports };
}

/** Number of a property, or the fallback when absent or not a number. */
function num(props: Record<string, string>, key: string, fallback: number): number {
  const v = props[key];
  return v === undefined || !Number.isFinite(Number(v)) ? fallback : Number(v);
}

function memOf(props: Record<string, string>, key: string, fallback: number): number {
  const v = props[key];
  return v === undefined ? fallback : (memoryStringToMb(v) ?? fallback);
}

/** Cores an application may hold: spark.cores.max, rounded down to whole executors when spark.executor.cores is set. */
export function maxCores(props: Record<string, string>): number {
  const max = num(props, 'spark.cores.max', Number.POSITIVE_INFINITY);
  const per = props['spark.executor.cores'] === undefined ? undefined : num(props, 'spark.executor.cores', 1);
  return per === undefined || !Number.isFinite(max) ? max : Math.floor(max / per) * per;
}

export function acquiredCores(l: LaunchedDriver): number {
  return l.workers.reduce((sum, w) => sum + w.cpus, 0);
}

export function wantsWorkers(l: LaunchedDriver): boolean {
  return acquiredCores(l) < maxCores(l.desc.sparkProperties);
}

function placeDriver(q: QueuedDriver, slots: Slot[], input: PlanInput): LaunchedDriver | string[] {
  const reasons: string[] = [];
  const { desc } = q;
  for (const slot of slots) {
    const host = slot.offer.hostname;
    const unmet = unmetConstraint(slot.offer.attributes, input.driverConstraints);
    if (unmet !== undefined) {
      reasons.push(`${host}: ${unmet}`);
      continue;
    }
    const before = slot.left;
    const driver = take(slot, desc.cores, withOverhead(desc.mem, optionalMem(desc.sparkProperties, 'spark.mesos.driver.memoryOverhead')), 3, input.role);
    const master = typeof driver === 'string' ? driver : take(slot, MASTER_CPUS, MASTER_MEM_MB, 2, input.role);
    if (typeof driver === 'string' || typeof master === 'string') {
      slot.left = before;
      reasons.push(`${host}: ${typeof driver === 'string' ? driver : `driver fits, its Spark master does not: ${master as string}`}`);
      continue;
    }
    const taskId = driverTaskId(desc.submissionId, q.retry);
    const agentId = slot.offer.agent_id.value;
    const [mPort, mUi] = master.ports as [number, number];
    const [dPort, bmPort, uiPort] = driver.ports as [number, number, number];
    const masterTask: AppTask = { taskId: `${taskId}-master`, agentId, hostname: host, port: mPort, webuiPort: mUi, cpus: MASTER_CPUS, mem: MASTER_MEM_MB, running: false };
    slot.tasks.push(
      { name: `Spark master for ${desc.name}`, task_id: { value: masterTask.taskId }, agent_id: { value: agentId }, resources: master.resources, command: masterCommand(desc.sparkProperties, host, mPort, mUi) },
      { name: `Driver for ${desc.name}`, task_id: { value: taskId }, agent_id: { value: agentId }, resources: driver.resources, command: driverCommand(desc, host, { driver: dPort, blockManager: bmPort, ui: uiPort }, { host, port: mPort }) },
    );
    return { desc, ...(q.retry === undefined ? {} : { retry: q.retry }), taskId, agentId, hostname: host, master: masterTask, workers: [], workerSeq: 0, startDate: input.now };
  }
  return reasons;
}

function optionalMem(props: Record<string, string>, key: string): number | undefined {
  const v = props[key];
  return v === undefined || !Number.isFinite(Number(v)) ? undefined : Number(v);
}

/** Adds workers to `l` (at most `limit`), round-robin over the offers. */
function placeWorkers(l: LaunchedDriver, slots: Slot[], input: PlanInput, limit = Number.POSITIVE_INFINITY): void {
  const props = l.desc.sparkProperties;
  const constraints = parseSparkConstraints(props['spark.mesos.constraints']);
  const perExecutor = props['spark.executor.cores'] === undefined ? undefined : num(props, 'spark.executor.cores', 1);
  const heap = memOf(props, 'spark.executor.memory', 1024);
  const mem = withOverhead(heap, optionalMem(props, 'spark.mesos.executor.memoryOverhead'));
  const max = maxCores(props);
  const masterUrl = `spark://${l.master.hostname}:${l.master.port}`;
  let placed = 0;
  for (const slot of slots) {
    const acquired = acquiredCores(l);
    if (acquired >= max || placed >= limit) return;
    const agentId = slot.offer.agent_id.value;
    if (l.workers.some((w) => w.agentId === agentId)) continue;
    if (unmetConstraint(slot.offer.attributes, constraints) !== undefined) continue;
    const offered = Math.floor(slot.left.allocatableTo(input.role).scalar('cpus') + 1e-9);
    const cores = perExecutor ?? Math.min(offered, max - acquired);
    if (cores < 1 || cores > offered || acquired + cores > max) continue;
    const got = take(slot, cores, mem, 2, input.role);
    if (typeof got === 'string') continue;
    const [port, webuiPort] = got.ports as [number, number];
    l.workerSeq += 1;
    const worker: AppTask = { taskId: `${l.taskId}-worker-${l.workerSeq}`, agentId, hostname: slot.offer.hostname, port, webuiPort, cpus: cores, mem, running: false };
    l.workers.push(worker);
    placed++;
    slot.tasks.push({ name: `Spark worker for ${l.desc.name}`, task_id: { value: worker.taskId }, agent_id: { value: agentId }, resources: got.resources, command: workerCommand(props, slot.offer.hostname, port, webuiPort, cores, heap, masterUrl) });
  }
}

export function planOffers(input: PlanInput): OfferRoundPlan {
  const state = structuredClone(input.state);
  const slots: Slot[] = input.offers.map((offer) => ({ offer, left: Resources.fromProto(offer.resources ?? []), tasks: [] }));
  const unplaced: OfferRoundPlan['unplaced'] = [];
  const due = state.pendingRetry.filter((q) => q.retry!.nextRetry <= input.now);
  for (const [list, candidates] of [[state.pendingRetry, due], [state.queued, [...state.queued]]] as const) {
    for (const q of candidates) {
      const before = slots.map((s) => ({ left: s.left, tasks: s.tasks.length }));
      const placed = placeDriver(q, slots, input);
      if (Array.isArray(placed)) {
        unplaced.push({ submissionId: q.desc.submissionId, reasons: placed });
        continue;
      }
      // A driver without a single worker would hold its resources while waiting for executors that never come
      // (drivers filling the cluster starve every application): it launches only with its first worker.
      placeWorkers(placed, slots, input, 1);
      if (placed.workers.length === 0) {
        slots.forEach((s, i) => {
          s.left = before[i]!.left;
          s.tasks.length = before[i]!.tasks;
        });
        unplaced.push({ submissionId: q.desc.submissionId, reasons: ['the driver fits, but no offer has room for its first worker'] });
        continue;
      }
      list.splice(list.indexOf(q), 1);
      state.launched.push(placed);
    }
  }
  for (const l of state.launched) placeWorkers(l, slots, input);
  const waiting = state.queued.length > 0 || state.pendingRetry.some((q) => q.retry!.nextRetry <= input.now) || state.launched.some(wantsWorkers);
  const later = state.pendingRetry.map((q) => q.retry!.nextRetry).filter((t) => t > input.now);
  return {
    state,
    launches: slots.filter((s) => s.tasks.length > 0).map((s) => ({ offerId: s.offer.id.value, tasks: s.tasks })),
    declines: slots.filter((s) => s.tasks.length === 0).map((s) => ({ offerId: s.offer.id.value, refuseSeconds: waiting ? 5 : input.rejectOfferSeconds })),
    suppress: !waiting,
    wakeAt: later.length === 0 ? undefined : Math.min(...later),
    unplaced,
  };
}
