import { describe, expect, it } from 'vitest';
import { schedulerSettings } from './scheduler-env.js';

describe('schedulerSettings', () => {
  it.each([
    [{}, { master: '127.0.0.1:5050', storage: 'file:/home/u/.cassandra-mesos/cassandra.json', port: 18080, host: '0.0.0.0' }],
    [{ MESOS_ZK: 'zk://z:2181/mesos', CASSANDRA_ZK: 'zk://z:2181/cassandra-mesos', PORT0: '31005', HOST: '127.0.0.2' }, { master: 'zk://z:2181/mesos', storage: 'zk://z:2181/cassandra-mesos', port: 31005, host: '127.0.0.2' }],
    [{ MESOS_MASTER: 'm1:5050,m2:5050', CASSANDRA_CLUSTER_NAME: 'dev test', CASSANDRA_STATE_FILE: '/s/x.json' }, { master: 'm1:5050,m2:5050', storage: 'file:/s/x.json' }],
  ])('%j', (env, expected) => {
    expect(schedulerSettings(env, '/home/u')).toMatchObject(expected);
  });

  it.each([
    [{ MESOS_ZK: 'm1:5050' }, /MESOS_ZK='m1:5050' is not a ZooKeeper URL/],
    [{ CASSANDRA_ZK: 'zk://z:2181' }, /CASSANDRA_ZK='zk:\/\/z:2181' is not a ZooKeeper node URL/],
    [{ PORT0: 'http' }, /PORT0='http' is not a port number/],
    [{ CASSANDRA_ZK_TIMEOUT_MS: '10s' }, /CASSANDRA_ZK_TIMEOUT_MS='10s'/],
  ])('%j is refused', (env, message) => {
    expect(() => schedulerSettings(env, '/home/u')).toThrow(message);
  });
});
