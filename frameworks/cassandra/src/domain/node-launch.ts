// What the executor writes and runs for one node, pure: cassandra.yaml (cluster name, seeds, listen/rpc
// address = the agent's address, ports from the offer, data directories on the persistent volume, snitch with
// DC/rack), cassandra-rackdc.properties, and the environment for the distribution's bin/cassandra (heap from
// the node's memory; fast ring join; replace_address_first_boot for a replacement node).
import type { CassandraConfig } from './config.js';
import type { CassandraNode } from './node.js';

/** Directories Cassandra keeps on the node's persistent volume (relative to the volume's mount point). */
export const VOLUME_DIRS = ['data', 'commitlog', 'saved_caches', 'hints', 'cdc_raw'] as const;

export interface NodeLaunchInput {
  config: CassandraConfig;
  node: Pick<CassandraNode, 'name' | 'replacementForIp' | 'replacementForPort'>;
  /** The agent's address (Cassandra's listen and rpc address). */
  address: string;
  ports: { storage: number; native: number; jmx: number };
  /** `ip:storagePort` of the seeds; the node itself when it is the first seed. */
  seeds: readonly string[];
  /** Absolute path of the persistent volume's mount point in the sandbox. */
  volumeDir: string;
  dc?: string;
  rack?: string;
}

export interface NodeLaunch {
  cassandraYaml: string;
  rackdcProperties: string;
  /** Environment for bin/cassandra of the distribution. */
  env: { MAX_HEAP_SIZE: string; JVM_EXTRA_OPTS: string };
}

/** Few tokens keep bootstrap and repair short on small rings (upstream 5.0 default is 16 too). */
export const NUM_TOKENS = 16;

export function nodeLaunch(p: NodeLaunchInput): NodeLaunch {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const cassandraYaml = [
    `cluster_name: ${quote(p.config.clusterName)}`,
    `num_tokens: ${NUM_TOKENS}`,
    'allocate_tokens_for_local_replication_factor: 2',
    'partitioner: org.apache.cassandra.dht.Murmur3Partitioner',
    'data_file_directories:',
    `  - ${p.volumeDir}/data`,
    `commitlog_directory: ${p.volumeDir}/commitlog`,
    `saved_caches_directory: ${p.volumeDir}/saved_caches`,
    `hints_directory: ${p.volumeDir}/hints`,
    `cdc_raw_directory: ${p.volumeDir}/cdc_raw`,
    'commitlog_sync: periodic',
    'commitlog_sync_period: 10000ms',
    'seed_provider:',
    '  - class_name: org.apache.cassandra.locator.SimpleSeedProvider',
    '    parameters:',
    `      - seeds: "${p.seeds.join(',')}"`,
    `listen_address: ${p.address}`,
    `rpc_address: ${p.address}`,
    // Per-node storage ports (Cassandra 4+) let several nodes share one address when agents do.
    `storage_port: ${p.ports.storage}`,
    `native_transport_port: ${p.ports.native}`,
    'start_native_transport: true',
    'endpoint_snitch: GossipingPropertyFileSnitch',
    'concurrent_compactors: 1',
    'concurrent_reads: 4',
    'concurrent_writes: 4',
    'concurrent_counter_writes: 4',
    'key_cache_size: 8MiB',
    'memtable_heap_space: 32MiB',
    'memtable_offheap_space: 32MiB',
    '',
  ].join('\n');
  const rackdcProperties = `dc=${p.dc ?? p.config.defaultDc}\nrack=${p.rack ?? p.config.defaultRack}\n`;
  const opts = [
    `-Dcassandra.jmx.local.port=${p.ports.jmx}`,
    // Small rings on one machine: do not wait for gossip to settle, short ring delay, load gossiped every 10 s
    // (upstream properties; a replacement at another address waits max(broadcast interval, 2 × ring delay)).
    '-Dcassandra.skip_wait_for_gossip_to_settle=0',
    '-Dcassandra.ring_delay_ms=5000',
    '-Dcassandra.broadcast_interval_ms=10000',
    // ip:port: without a port Cassandra assumes its own storage port, and the dead node may have had another.
    ...(p.node.replacementForIp !== undefined ? [`-Dcassandra.replace_address_first_boot=${p.node.replacementForIp}${p.node.replacementForPort === undefined ? '' : `:${p.node.replacementForPort}`}`] : []),
    ...(p.config.jvmOpts.trim() === '' ? [] : [p.config.jvmOpts.trim()]),
  ];
  return { cassandraYaml, rackdcProperties, env: { MAX_HEAP_SIZE: `${p.config.heapMb}M`, JVM_EXTRA_OPTS: opts.join(' ') } };
}
