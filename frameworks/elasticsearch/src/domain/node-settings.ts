// The settings a new node starts with (as -E flags): cluster name, its own name and bind address, the
// ports taken from the offer, every running node's transport address as seed hosts (upstream passed one
// address as discovery.zen.ping.unicast.hosts; Elasticsearch 7+ and OpenSearch say discovery.seed_hosts), and
// the initial master nodes when the cluster forms for the first time (no node has run yet), so the first
// nodes bootstrap one cluster instead of one each. That setting is named per product: Elasticsearch's
// cluster.initial_master_nodes, OpenSearch's cluster.initial_cluster_manager_nodes. Small-machine settings
// are harmless on any size.

/** Which product the distribution is: decides the launcher, its environment and a few setting names. */
export type Flavour = 'elasticsearch' | 'opensearch';

export interface RunningNode {
  name: string;
  host: string;
  transportPort: number;
}

export interface NodeSettingsInput {
  clusterName: string;
  nodeName: string;
  host: string;
  httpPort: number;
  transportPort: number;
  dataPath: string;
  logsPath: string;
  running: readonly RunningNode[];
  /** Names of the nodes that bootstrap the cluster; empty once the cluster has formed. */
  initialManagers: readonly string[];
  /** Default elasticsearch. */
  flavour?: Flavour;
}

export function nodeSettings(i: NodeSettingsInput): Record<string, string> {
  const seeds = i.running.map((n) => `${n.host}:${n.transportPort}`);
  const settings: Record<string, string> = {
    'cluster.name': i.clusterName,
    'node.name': i.nodeName,
    'network.host': i.host,
    'http.port': String(i.httpPort),
    'transport.port': String(i.transportPort),
    'path.data': i.dataPath,
    'path.logs': i.logsPath,
    'discovery.seed_hosts': seeds.length > 0 ? seeds.join(',') : `${i.host}:${i.transportPort}`,
    // Upstream's gateway.recover_after_nodes=1: recover as soon as one node is there.
    'gateway.recover_after_data_nodes': '1',
    'cluster.routing.allocation.disk.threshold_enabled': 'false',
    'thread_pool.write.queue_size': '1000',
  };
  const initialKey = i.flavour === 'opensearch' ? 'cluster.initial_cluster_manager_nodes' : 'cluster.initial_master_nodes';
  if (i.initialManagers.length > 0) settings[initialKey] = i.initialManagers.join(',');
  return settings;
}

export function settingsArgs(settings: Record<string, string>): string[] {
  return Object.entries(settings).map(([k, v]) => `-E${k}=${v}`);
}
