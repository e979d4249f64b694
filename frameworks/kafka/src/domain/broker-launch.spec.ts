import { describe, expect, it } from 'vitest';
import { newBroker } from './broker.js';
import { applyBrokerParams } from './broker-params.js';
import { brokerLaunch, formatProperties, serverProperties } from './broker-launch.js';
import { assignReplicas } from './topic.js';

const ZK = { zk: 'zk:2181/kafka', voters: '', clusterId: 'c', volumes: true };

describe('server.properties', () => {
  it('substitutes $id in user options, which win over defaults', () => {
    const b = applyBrokerParams(newBroker(3), { options: 'log.dirs=/mnt/array1/broker$id,num.io.threads=16', bindAddress: '0.0.0.0' });
    const props = serverProperties(b, 'h1', 31000, undefined, ZK);
    expect(props).toMatchObject({ 'broker.id': '3', 'log.dirs': 'data/mnt/array1/broker3', 'num.io.threads': '16', listeners: 'PLAINTEXT://0.0.0.0:31000', 'advertised.listeners': 'PLAINTEXT://h1:31000' });
    expect(formatProperties({ a: '1', b: 'x=y' })).toBe('a=1\nb=x=y\n');
  });

  it.each<[string, string | undefined, boolean, string]>([
    ['the default, on a volume', undefined, true, 'data/kafka-logs'],
    ['the default, in the sandbox (role *)', undefined, false, 'kafka-logs'],
    ['an absolute path: a directory on the volume', 'log.dirs=/mnt/kafka/broker$id', true, 'data/mnt/kafka/broker3'],
    ['several dirs on the volume', 'log.dirs=/d1/\\,d2', true, 'data/d1,data/d2'],
    ['an absolute path without a volume: a directory in the sandbox, never the host path', 'log.dirs=/mnt/kafka/broker$id', false, 'mnt/kafka/broker3'],
  ])('log.dirs: %s', (_, options, volumes, expected) => {
    const b = applyBrokerParams(newBroker(3), options === undefined ? {} : { options });
    expect(serverProperties(b, 'h1', 31000, undefined, { ...ZK, volumes })['log.dirs']).toBe(expected);
  });

  it('refuses a log.dirs that climbs out with ..', () => {
    expect(() => applyBrokerParams(newBroker(0), { options: 'log.dirs=/mnt/../../etc' })).toThrow("log.dirs=/mnt/../../etc: '..' is not allowed");
  });

  it('carries heap, jvm and log4j options to the executor', () => {
    const b = applyBrokerParams(newBroker(0), { heap: '512', jvmOptions: '-Xss1m', log4jOptions: 'log4j.logger.kafka=DEBUG\\, kafkaAppender' });
    expect(brokerLaunch(b, 'h1', 1, undefined, ZK, 'kafka.tgz')).toMatchObject({ heap: 512, jvmOptions: '-Xss1m', log4jOptions: { 'log4j.logger.kafka': 'DEBUG, kafkaAppender' } });
    expect(brokerLaunch(b, 'h1', 1, undefined, ZK, 'kafka.tgz').clusterId).toBeUndefined();
  });
});

describe('assignReplicas', () => {
  it.each<[number[], number, number, number[][]]>([
    [[0, 1, 2], 3, 2, [[0, 1], [1, 2], [2, 0]]],
    [[2, 0], 3, 1, [[0], [2], [0]]],
    [[5], 1, 1, [[5]]],
  ])('%j x %d partitions x %d replicas', (brokers, partitions, replicas, expected) => {
    expect(assignReplicas(brokers, partitions, replicas)).toEqual(expected);
  });

  it.each<[number[], number, number, string]>([
    [[0], 1, 2, 'replicas 2 is more than the 1 selected broker(s)'],
    [[], 1, 1, 'no brokers selected'],
    [[0], 0, 1, 'invalid partitions 0'],
  ])('rejects %j / %d / %d', (brokers, partitions, replicas, why) => {
    expect(() => assignReplicas(brokers, partitions, replicas)).toThrow(why);
  });
});
