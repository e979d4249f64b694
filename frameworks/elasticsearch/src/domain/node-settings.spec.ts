import { describe, expect, it } from 'vitest';
import { nodeSettings, settingsArgs } from './node-settings.js';

const base = { clusterName: 'mesos-ha', nodeName: 'es-1', host: '127.0.0.2', httpPort: 31000, transportPort: 31001, dataPath: '/v/data', logsPath: '/s/logs' };

describe('nodeSettings', () => {
  const cases: Array<[string, Parameters<typeof nodeSettings>[0], Record<string, string | undefined>]> = [
    ['first node bootstraps alone, seeding itself', { ...base, running: [], initialManagers: ['es-1'] }, { 'discovery.seed_hosts': '127.0.0.2:31001', 'cluster.initial_master_nodes': 'es-1' }],
    ['OpenSearch names the initial managers its own way', { ...base, running: [], initialManagers: ['es-1'], flavour: 'opensearch' }, { 'cluster.initial_cluster_manager_nodes': 'es-1', 'cluster.initial_master_nodes': undefined }],
    ['later node seeds every running transport address', { ...base, running: [{ name: 'es-0', host: '127.0.0.1', transportPort: 31005 }, { name: 'es-2', host: '127.0.0.3', transportPort: 31009 }], initialManagers: [] }, { 'discovery.seed_hosts': '127.0.0.1:31005,127.0.0.3:31009', 'cluster.initial_master_nodes': undefined }],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    const s = nodeSettings(input);
    expect(s['cluster.name']).toBe('mesos-ha');
    expect(s['http.port']).toBe('31000');
    expect(s['transport.port']).toBe('31001');
    expect(s['network.host']).toBe('127.0.0.2');
    expect(s['path.data']).toBe('/v/data');
    for (const [k, v] of Object.entries(expected)) expect(s[k]).toBe(v);
  });

  it('renders -E flags', () => {
    expect(settingsArgs({ 'cluster.name': 'x', 'http.port': '1' })).toEqual(['-Ecluster.name=x', '-Ehttp.port=1']);
  });
});
