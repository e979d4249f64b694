import { describe, expect, it } from 'vitest';
import { newBroker, type Broker } from './broker.js';
import { applyBrokerParams } from './broker-params.js';
import { brokerToJson } from './broker-json.js';
import { formatBrokers, formatTopics } from './format.js';

const NOW = Date.UTC(2015, 6, 10, 12, 41, 43);

function running(b: Broker): Broker {
  return {
    ...b,
    active: true,
    stickiness: { ...b.stickiness, hostname: 'slave0' },
    task: { id: 'broker-0-d2d94520-2f3e-4779-b276-771b4843043c', agentId: 'a1', executorId: 'e', hostname: '192.168.25.62', port: 31000, controllerPort: undefined, attributes: { rack: 'r1' }, state: 'running' },
  };
}

describe('broker blocks, laid out like kafka-mesos', () => {
  it.each<[string, string, Broker[], string]>([
    [
      'broker add 0',
      'added',
      [newBroker(0)],
      `broker added:
  id: 0
  active: false
  state: stopped
  resources: cpus:1.00, mem:2048, heap:1024, port:auto
  failover: delay:1m, max-delay:10m
  stickiness: period:10m
`,
    ],
    [
      'broker start 0',
      'started',
      [running(newBroker(0))],
      `broker started:
  id: 0
  active: true
  state: running
  resources: cpus:1.00, mem:2048, heap:1024, port:auto
  failover: delay:1m, max-delay:10m
  stickiness: period:10m, hostname:slave0
  task:
    id: broker-0-d2d94520-2f3e-4779-b276-771b4843043c
    running: true
    endpoint: 192.168.25.62:31000
    attributes: rack=r1
`,
    ],
    [
      'broker stop 0',
      'stopped',
      [{ ...newBroker(0), stickiness: { period: 600_000, hostname: 'slave0', stopTime: NOW } }],
      `broker stopped:
  id: 0
  active: false
  state: stopped
  resources: cpus:1.00, mem:2048, heap:1024, port:auto
  failover: delay:1m, max-delay:10m
  stickiness: period:10m, hostname:slave0, expires:2015-07-10 12:51:43Z
`,
    ],
    [
      'broker update 0 --options (running)',
      'updated',
      [{ ...running(applyBrokerParams(newBroker(0), { options: 'log.dirs=/mnt/kafka/broker0' })), needsRestart: true, task: undefined, active: false }],
      `broker updated:
  id: 0
  active: false
  state: stopped (modified, needs restart)
  resources: cpus:1.00, mem:2048, heap:1024, port:auto
  options: log.dirs=/mnt/kafka/broker0
  failover: delay:1m, max-delay:10m
  stickiness: period:10m, hostname:slave0
`,
    ],
    [
      'every optional line',
      'added',
      [applyBrokerParams(newBroker(3), { cpus: '0.5', port: '31090..31100', bindAddress: 'if:eth1', constraints: 'hostname=like:slave0', options: 'a=1\\,2,b=x', log4jOptions: 'log4j.logger.kafka=DEBUG', jvmOptions: '-Xms128m', failoverMaxTries: '3', volume: 'vol-3' })],
      `broker added:
  id: 3
  active: false
  state: stopped
  resources: cpus:0.50, mem:2048, heap:1024, port:31090..31100, volume:vol-3
  bind-address: if:eth1
  constraints: hostname=like:slave0
  options: a=1\\,2,b=x
  log4j-options: log4j.logger.kafka=DEBUG
  jvm-options: -Xms128m
  failover: delay:1m, max-delay:10m, max-tries:3
  stickiness: period:10m
`,
    ],
  ])('%s', (_, verb, brokers, text) => {
    expect(formatBrokers(verb, brokers.map((b) => brokerToJson(b, NOW)))).toBe(text);
  });

  it('adds the metrics block once the executor reported, as kafka-mesos', () => {
    const metrics = { timestamp: NOW, underReplicatedPartitions: 2, offlinePartitionsCount: 0, activeControllerCount: 1 };
    const text = formatBrokers('', [brokerToJson(running(newBroker(0)), NOW, metrics)]);
    expect(text).toContain(
      '    attributes: rack=r1\n  metrics:\n    collected: 2015-07-10 12:41:43Z\n    under-replicated-partitions: 2\n    offline-partitions-count: 0\n    is-active-controller: 1\n',
    );
    expect(text.endsWith('is-active-controller: 1\n')).toBe(true);
  });

  it('pluralises and separates several brokers with a blank line', () => {
    const text = formatBrokers('added', [newBroker(0), newBroker(1)].map((b) => brokerToJson(b, NOW)));
    expect(text.startsWith('brokers added:\n  id: 0\n')).toBe(true);
    expect(text).toContain('  stickiness: period:10m\n\n  id: 1\n');
    expect(formatBrokers('', [])).toBe('no brokers\n');
  });

  it.each<[string, Partial<Broker['failover']>, boolean, string]>([
    ['waiting for its failover delay', { failures: 1, failureTime: NOW - 10_000 }, false, 'failed 1 2015-07-10 12:41:33Z, next start 2015-07-10 12:42:33Z'],
    ['with max tries', { failures: 2, failureTime: NOW - 10_000, maxTries: 5 }, false, 'failed 2/5 2015-07-10 12:41:33Z, next start 2015-07-10 12:43:33Z'],
    ['after the delay', { failures: 1, failureTime: NOW - 120_000 }, false, 'starting 2, failed 2015-07-10 12:39:43Z'],
    ['no failures', {}, false, 'starting'],
  ])('state while active and without a running task: %s', (_, failover, _x, state) => {
    const b = { ...newBroker(0), active: true, failover: { ...newBroker(0).failover, ...failover } };
    expect(brokerToJson(b, NOW).state).toBe(state);
  });
});

describe('topic blocks', () => {
  it('prints name, partitions, options', () => {
    expect(formatTopics('added', [{ name: 't1', partitions: { '1': '1, 2', '0': '0, 1' }, options: { 'flush.ms': '1000' } }])).toBe(
      'topic added:\n  name: t1\n  partitions: 0:[0, 1], 1:[1, 2]\n  options: flush.ms=1000\n',
    );
    expect(formatTopics('', [])).toBe('no topics\n');
  });
});
