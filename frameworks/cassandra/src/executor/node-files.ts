// The executor's file step: a node's conf directory (cassandra.yaml, cassandra-rackdc.properties, the
// distribution's logback.xml) and the directories on its persistent volume, then the command and environment
// that start the distribution's bin/cassandra in the foreground. Kept apart from the Mesos executor loop so it is
// usable (and tested) on its own.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VOLUME_DIRS, type NodeLaunch } from '../domain/node-launch.js';

export interface NodeProcessSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** Writes `<confDir>/…`, creates the volume's directories, returns how to start bin/cassandra. */
export function prepareNode(launch: NodeLaunch, p: { distDir: string; confDir: string; volumeDir: string; logDir: string }): NodeProcessSpec {
  const cassandra = path.join(p.distDir, 'bin', 'cassandra');
  if (!existsSync(cassandra)) {
    throw new Error(`${p.distDir} is not a Cassandra distribution (no bin/cassandra): point the node at an unpacked apache-cassandra-<v> directory`);
  }
  mkdirSync(p.confDir, { recursive: true });
  mkdirSync(p.logDir, { recursive: true });
  for (const d of VOLUME_DIRS) mkdirSync(path.join(p.volumeDir, d), { recursive: true });
  writeFileSync(path.join(p.confDir, 'cassandra.yaml'), launch.cassandraYaml);
  writeFileSync(path.join(p.confDir, 'cassandra-rackdc.properties'), launch.rackdcProperties);
  copyFileSync(path.join(p.distDir, 'conf', 'logback.xml'), path.join(p.confDir, 'logback.xml'));
  return { command: cassandra, args: ['-f'], env: { ...launch.env, CASSANDRA_CONF: p.confDir, CASSANDRA_LOG_DIR: p.logDir } };
}
