// The scheduler's own settings from its environment (the ring's settings are config.ts): where the master is
// (MESOS_ZK, else MESOS_MASTER, else 127.0.0.1:5050), where state lives (CASSANDRA_ZK → zk:, else the file
// CASSANDRA_STATE_FILE, default ~/.cassandra-mesos/<cluster>.json, so a relaunched scheduler finds it), the REST
// port ($PORT0 under the launcher, else 18080) and address, and the Cassandra distribution (CASSANDRA_DIST).
// Pure: the environment and the home directory come in; a bad value throws INVALID_PARAMETER naming it.
import path from 'node:path';
import { DEFAULTS } from '../domain/config.js';
import { CassandraError } from '../domain/errors.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface SchedulerSettings {
  master: string;
  /** framework-kit storage text: `zk://h:2181/cassandra-mesos` or `file:/abs/path.json`. */
  storage: string;
  zkTimeoutMs: number;
  port: number;
  /** Address the REST server binds and agents fetch from. */
  host: string;
  /** CASSANDRA_DIST as given (resolved by run-scheduler.ts), if any. */
  dist: string | undefined;
}

export const DEFAULT_API_PORT = 18080;

export function schedulerSettings(env: Env, home: string): SchedulerSettings {
  const master = nonEmpty(env.MESOS_ZK) ?? nonEmpty(env.MESOS_MASTER) ?? '127.0.0.1:5050';
  if (env.MESOS_ZK !== undefined && env.MESOS_ZK !== '' && !env.MESOS_ZK.startsWith('zk://')) {
    throw new CassandraError('INVALID_PARAMETER', `MESOS_ZK='${env.MESOS_ZK}' is not a ZooKeeper URL; use zk://host:2181/mesos, or MESOS_MASTER=host:5050 for a master list`);
  }
  const zk = nonEmpty(env.CASSANDRA_ZK);
  if (zk !== undefined && !/^zk:\/\/[^/]+\/.+/.test(zk)) {
    throw new CassandraError('INVALID_PARAMETER', `CASSANDRA_ZK='${zk}' is not a ZooKeeper node URL; use zk://host:2181/cassandra-mesos`);
  }
  const cluster = (nonEmpty(env.CASSANDRA_CLUSTER_NAME) ?? DEFAULTS.clusterName).replace(/[^A-Za-z0-9_.-]/g, '_');
  const file = nonEmpty(env.CASSANDRA_STATE_FILE) ?? path.join(home, '.cassandra-mesos', `${cluster}.json`);
  const portText = nonEmpty(env.PORT0) ?? nonEmpty(env.CASSANDRA_HTTP_PORT);
  const port = portText === undefined ? DEFAULT_API_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CassandraError('INVALID_PARAMETER', `${nonEmpty(env.PORT0) !== undefined ? 'PORT0' : 'CASSANDRA_HTTP_PORT'}='${portText}' is not a port number (0..65535)`);
  }
  const timeoutText = nonEmpty(env.CASSANDRA_ZK_TIMEOUT_MS) ?? '10000';
  const zkTimeoutMs = Number(timeoutText);
  if (!Number.isInteger(zkTimeoutMs) || zkTimeoutMs < 100) throw new CassandraError('INVALID_PARAMETER', `CASSANDRA_ZK_TIMEOUT_MS='${timeoutText}' is not a whole number of ms >= 100 (e.g. 10000)`);
  return {
    master,
    storage: zk ?? `file:${path.resolve(file)}`,
    zkTimeoutMs,
    port,
    host: nonEmpty(env.LIBPROCESS_IP) ?? nonEmpty(env.HOST) ?? '0.0.0.0',
    dist: nonEmpty(env.CASSANDRA_DIST),
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}
