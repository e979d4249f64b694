import { describe, expect, it } from 'vitest';
import { newBroker, type Broker, type BrokerTask } from './broker.js';
import { addBrokers, applyStatus, cloneBrokers, removeBrokers, selectIds, startBrokers, updateBrokers } from './commands.js';

const NOW = 1_700_000_000_000;
const task = (state: BrokerTask['state'], hostname = 'h1', attributes: Record<string, string> = { rack: 'r1' }): BrokerTask => ({ id: 't', agentId: 'a', executorId: 't', hostname, port: 31000, controllerPort: undefined, attributes, state });
const vid = (b: Broker): string => `kafka-broker-${b.id}`;

describe('broker commands', () => {
  it('selects by ids, ranges, * and attribute filters on where brokers run', () => {
    const brokers = [{ ...newBroker(0), task: task('running', 'slave0', { rack: 'r1' }) }, { ...newBroker(1), task: task('running', 'other', { rack: 'r2' }) }, newBroker(2)];
    expect(selectIds(brokers, '*')).toEqual([0, 1, 2]);
    expect(selectIds(brokers, '0,1..2')).toEqual([0, 1, 2]);
    expect(selectIds(brokers, '*[rack=r1]')).toEqual([0]);
    expect(selectIds(brokers, '*[hostname=slave*]')).toEqual([0]);
    expect(() => selectIds(brokers, '0..3')).toThrow("broker 3 not found; see 'broker list'");
  });

  it('adds with params, refuses existing ids, clones settings only', () => {
    const { brokers } = addBrokers([], '0..1', { cpus: '2', failoverMaxTries: '4' });
    expect(brokers.map((b) => [b.id, b.cpus, b.failover.maxTries])).toEqual([[0, 2, 4], [1, 2, 4]]);
    expect(() => addBrokers(brokers, '1..2', {})).toThrow('broker 1 already exists');
    const running = brokers.map((b) => ({ ...b, active: true, task: task('running') }));
    const cloned = cloneBrokers(running, '5', 0).touched[0]!;
    expect(cloned).toMatchObject({ id: 5, cpus: 2, active: false, task: undefined, failover: { maxTries: 4, failures: 0 } });
    expect(() => cloneBrokers(running, '6', 9)).toThrow('source broker 9 not found');
  });

  it('marks running brokers modified on update', () => {
    const brokers = [{ ...newBroker(0), active: true, task: task('running') }, newBroker(1)];
    const { touched } = updateBrokers(brokers, '0..1', { mem: '4096' });
    expect(touched.map((b) => b.needsRestart)).toEqual([true, false]);
  });

  it.each<[string, Broker, boolean, string | undefined, string[]]>([
    ['never started', newBroker(0), false, undefined, []],
    ['active', { ...newBroker(0), active: true }, true, 'is active or running', []],
    ['with data, no force', { ...newBroker(0), volumeAgentId: 'a1' }, false, 'keeps data on volume kafka-broker-0; pass --force', []],
    ['with data, forced', { ...newBroker(0), volumeAgentId: 'a1' }, true, undefined, ['kafka-broker-0']],
    ['pre-reserved volume is kept', { ...newBroker(0), volume: 'mine', volumeAgentId: 'a1' }, false, undefined, []],
  ])('remove: %s', (_, broker, force, error, released) => {
    if (error !== undefined) expect(() => removeBrokers([broker], '0', force, vid)).toThrow(error);
    else expect(removeBrokers([broker], '0', force, vid)).toMatchObject({ brokers: [], released });
  });

  it('refuses to start an active broker', () => {
    expect(() => startBrokers([{ ...newBroker(0), active: true }], [0])).toThrow('broker 0 is already active');
  });

  it('counts failures of active brokers, not requested stops, and resets them once running', () => {
    const running: Broker = { ...newBroker(0), active: true, task: task('running') };
    const failed = applyStatus(running, { state: 'TASK_FAILED' }, NOW);
    expect(failed).toMatchObject({ task: undefined, failover: { failures: 1, failureTime: NOW }, stickiness: { hostname: 'h1', stopTime: NOW } });
    const twice = applyStatus({ ...failed, task: task('starting') }, { state: 'TASK_LOST' }, NOW + 5);
    expect(twice.failover.failures).toBe(2);
    const back = applyStatus({ ...twice, task: task('starting') }, { state: 'TASK_RUNNING' }, NOW + 10);
    expect(back).toMatchObject({ failover: { failures: 0, failureTime: undefined }, stickiness: { hostname: 'h1', stopTime: undefined }, task: { state: 'running' } });
    const stopped = applyStatus({ ...back, active: false, task: task('stopping') }, { state: 'TASK_KILLED' }, NOW + 20);
    expect(stopped).toMatchObject({ task: undefined, failover: { failures: 0 }, stickiness: { stopTime: NOW + 20 } });
  });
});
