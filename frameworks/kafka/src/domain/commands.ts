// The broker commands as pure functions over the broker list: add, update, remove, clone, start, stop, and
// what a task status or a plan's deactivation does to a broker. Time comes in as `now` (ms). Each returns
// the new list and the brokers it touched, or throws a KafkaError that says what to do.
import { expandIds, registerFailure, registerStart, stickyStarted, stickyStopped } from '@mesos-ts/framework-kit';
import type { v1 } from '@mesos-ts/proto';
import { cloneBroker, newBroker, type Broker } from './broker.js';
import { applyBrokerParams, settingsChanged, type BrokerParams } from './broker-params.js';
import { isFailure, taskEvent, transition } from './broker-state.js';
import { KafkaError } from './errors.js';

export interface CommandResult {
  brokers: Broker[];
  touched: Broker[];
}

/** Ids an expression names; with `mustExist`, unknown explicit ids are an error. */
export function selectIds(brokers: readonly Broker[], expr: string, mustExist = true): number[] {
  const byId = new Map(brokers.map((b) => [b.id, b]));
  const ids = expandIds(expr, {
    existing: brokers.map((b) => b.id),
    attributes: (id) => {
      const t = byId.get(id)?.task;
      return t === undefined ? undefined : { ...t.attributes, hostname: t.hostname };
    },
  });
  if (mustExist) {
    const unknown = ids.filter((id) => !byId.has(id));
    if (unknown.length > 0) throw new KafkaError('UNKNOWN_BROKER', `broker ${unknown.join(',')} not found; see 'broker list' for the brokers there are`);
  }
  return ids;
}

export function addBrokers(brokers: readonly Broker[], expr: string, params: BrokerParams): CommandResult {
  const ids = selectIds(brokers, expr, false);
  const existing = ids.filter((id) => brokers.some((b) => b.id === id));
  if (existing.length > 0) throw new KafkaError('BROKER_EXISTS', `broker ${existing.join(',')} already exists; use 'broker update' to change it`);
  const added = ids.map((id) => applyBrokerParams(newBroker(id), params));
  return { brokers: sortById([...brokers, ...added]), touched: added };
}

export function updateBrokers(brokers: readonly Broker[], expr: string, params: BrokerParams): CommandResult {
  const ids = new Set(selectIds(brokers, expr));
  const touched: Broker[] = [];
  const next = brokers.map((b) => {
    if (!ids.has(b.id)) return b;
    const updated = applyBrokerParams(b, params);
    if (b.task !== undefined && settingsChanged(b, updated)) updated.needsRestart = true;
    touched.push(updated);
    return updated;
  });
  return { brokers: next, touched };
}

/**
 * Removes stopped brokers. A broker whose automatic volume was created keeps data there: removing it needs
 * `force`, which destroys the volume and unreserves its resources (`released` lists the persistence ids).
 * A pre-reserved `--volume` belongs to the operator and is never destroyed.
 */
export function removeBrokers(brokers: readonly Broker[], expr: string, force: boolean, volumeIdOf: (b: Broker) => string): CommandResult & { released: string[] } {
  const ids = new Set(selectIds(brokers, expr));
  const chosen = brokers.filter((b) => ids.has(b.id));
  const busy = chosen.filter((b) => b.active || b.task !== undefined);
  if (busy.length > 0) throw new KafkaError('BROKER_RUNNING', `broker ${busy.map((b) => b.id).join(',')} is active or running; stop it first ('broker stop ${busy.map((b) => b.id).join(',')}')`);
  const withData = chosen.filter((b) => b.volumeAgentId !== undefined && b.volume === undefined);
  if (withData.length > 0 && !force) {
    throw new KafkaError(
      'BROKER_HAS_DATA',
      `broker ${withData.map((b) => b.id).join(',')} keeps data on volume ${withData.map(volumeIdOf).join(',')}; pass --force to destroy the data and unreserve its resources`,
    );
  }
  return { brokers: brokers.filter((b) => !ids.has(b.id)), touched: chosen, released: withData.map(volumeIdOf) };
}

export function cloneBrokers(brokers: readonly Broker[], expr: string, sourceId: number): CommandResult {
  const source = brokers.find((b) => b.id === sourceId);
  if (source === undefined) throw new KafkaError('UNKNOWN_BROKER', `source broker ${sourceId} not found; see 'broker list'`);
  const ids = selectIds(brokers, expr, false);
  const existing = ids.filter((id) => brokers.some((b) => b.id === id));
  if (existing.length > 0) throw new KafkaError('BROKER_EXISTS', `broker ${existing.join(',')} already exists; clone into new ids`);
  const added = ids.map((id) => cloneBroker(source, id));
  return { brokers: sortById([...brokers, ...added]), touched: added };
}

export function startBrokers(brokers: readonly Broker[], ids: readonly number[]): CommandResult {
  const running = brokers.filter((b) => ids.includes(b.id) && b.active);
  if (running.length > 0) throw new KafkaError('BROKER_RUNNING', `broker ${running.map((b) => b.id).join(',')} is already active; stop it first or pick other brokers`);
  return setActive(brokers, ids, true);
}

export function stopBrokers(brokers: readonly Broker[], ids: readonly number[]): CommandResult {
  return setActive(brokers, ids, false);
}

function setActive(brokers: readonly Broker[], ids: readonly number[], active: boolean): CommandResult {
  const touched: Broker[] = [];
  const next = brokers.map((b) => {
    if (!ids.includes(b.id)) return b;
    const updated: Broker = { ...b, active, failover: active ? { ...b.failover, failures: 0, failureTime: undefined } : b.failover };
    touched.push(updated);
    return updated;
  });
  return { brokers: next, touched };
}

/** A kill was sent for the broker's task. */
export function markStopping(b: Broker): Broker {
  if (b.task === undefined) return b;
  const state = transition(b.task.state, 'kill');
  return state === 'stopped' ? { ...b, task: undefined } : { ...b, task: { ...b.task, state } };
}

/** Applies a task status: running resets failover and pins stickiness; terminal frees the broker, counting failures. */
export function applyStatus(b: Broker, status: Pick<v1.TaskStatus, 'state'>, now: number): Broker {
  if (b.task === undefined) return b;
  const next = transition(b.task.state, taskEvent(status.state));
  if (next !== 'stopped') {
    if (next === 'running' && b.task.state !== 'running') {
      const failures = registerStart();
      return { ...b, task: { ...b.task, state: next }, failover: { ...b.failover, ...failures }, stickiness: { ...b.stickiness, ...stickyStarted(b.task.hostname) } };
    }
    return { ...b, task: { ...b.task, state: next } };
  }
  const stopped: Broker = { ...b, task: undefined, needsRestart: false, stickiness: { ...b.stickiness, ...stickyStopped({ hostname: b.task.hostname, stopTime: undefined }, now) } };
  if (b.active && isFailure(status.state)) stopped.failover = { ...b.failover, ...registerFailure(b.failover, now) };
  return stopped;
}

function sortById(brokers: Broker[]): Broker[] {
  return brokers.sort((a, b) => a.id - b.id);
}
