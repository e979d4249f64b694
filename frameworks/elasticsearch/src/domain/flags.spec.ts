import { describe, expect, it } from 'vitest';
import { parseFlags, publicConfig } from './flags.js';

describe('parseFlags', () => {
  it('upstream defaults', () => {
    const c = parseFlags(['--zookeeperMesosUrl=zk://127.0.0.1:2181/mesos']);
    expect(c).toMatchObject({ master: 'zk://127.0.0.1:2181/mesos', frameworkName: 'elasticsearch', frameworkRole: '*', frameworkFailoverTimeoutSecs: 2592000, elasticsearchNodes: 3, elasticsearchCpu: 1, elasticsearchRam: 256, elasticsearchDisk: 1024, elasticsearchClusterName: 'mesos-ha', webUiPort: 31100, useIpAddress: false });
  });
  const good: Array<[string[], Record<string, unknown>]> = [
    [['--master', '127.0.0.1:5050', '--elasticsearchNodes=2'], { master: '127.0.0.1:5050', elasticsearchNodes: 2 }],
    [['--master=m:5050', '--elasticsearchPorts=9200,9300'], { elasticsearchPorts: [9200, 9300] }],
    [['--master=m:5050', '--useIpAddress'], { useIpAddress: true }],
    [['--master=m:5050', '--storage=zk:127.0.0.1:2181/es'], { storage: 'zk:127.0.0.1:2181/es' }],
  ];
  it.each(good)('%j', (argv, expected) => expect(parseFlags(argv)).toMatchObject(expected));
  const bad: Array<[string[], RegExp]> = [
    [[], /missing --zookeeperMesosUrl/],
    [['--master=m', '--nope=1'], /unknown flag --nope/],
    [['--master=m', '--elasticsearchNodes=0'], /positive integer/],
    [['--master=m', '--elasticsearchPorts=9200'], /two distinct ports/],
    [['--master=m', '--useIpAddress=maybe'], /true or false/],
    [['--master=m', '--storage=s3:x'], /file:<path>/],
    [['stray'], /unexpected argument/],
  ];
  it.each(bad)('%j fails', (argv, message) => expect(() => parseFlags(argv)).toThrow(message));
  it('MESOS_MASTER from the environment', () => expect(parseFlags([], { MESOS_MASTER: 'h:5050' }).master).toBe('h:5050'));
  it('masks the secret path', () => expect(publicConfig(parseFlags(['--master=m', '--frameworkSecretPath=/s'])).frameworkSecretPath).toBe('************'));
});
