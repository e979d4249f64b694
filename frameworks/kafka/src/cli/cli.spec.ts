import { describe, expect, it } from 'vitest';
import { helpPage } from './help-pages.js';
import { parseProperties, parseSchedulerFlags, schedulerHelp } from './scheduler-flags.js';

describe('scheduler flags', () => {
  it('has kafka-mesos defaults', () => {
    expect(parseSchedulerFlags(['--master=m:5050', '--api=http://m:7000'], () => undefined)).toEqual({
      api: 'http://m:7000',
      bindAddress: undefined,
      debug: false,
      frameworkName: 'kafka',
      frameworkRole: '*',
      frameworkTimeoutMs: 30 * 86_400_000,
      jre: undefined,
      kafkaDist: undefined,
      log: undefined,
      master: 'm:5050',
      principal: undefined,
      secret: undefined,
      storage: 'file:kafka-mesos.json',
      user: undefined,
      zk: undefined,
    });
  });

  it('reads kafka-mesos.properties (or a given file); flags win', () => {
    const files: Record<string, string> = {
      'kafka-mesos.properties': '# cluster\nstorage=file:kafka-mesos.json\nmaster=zk://master:2181/mesos\nzk=master:2181\napi=http://master:7000\n',
      'other.properties': 'master=m2:5050\napi=http://m2:7000\nframework-timeout=1h\nclusterStorage=zk:/kafka-mesos\n',
    };
    const read = (p: string): string | undefined => files[p];
    expect(parseSchedulerFlags(['--zk=z2:2181'], read)).toMatchObject({ master: 'zk://master:2181/mesos', zk: 'z2:2181', api: 'http://master:7000' });
    expect(parseSchedulerFlags(['other.properties', '--debug'], read)).toMatchObject({ master: 'm2:5050', frameworkTimeoutMs: 3_600_000, storage: 'zk:/kafka-mesos', debug: true });
  });

  it.each<[string[], string]>([
    [['--api=http://m:7000'], '--master is required'],
    [['--master=m:5050'], '--api is required'],
    [['--master=m', '--api=a', '--framework-timeout=forever'], 'invalid --framework-timeout'],
    [['--master=m', '--api=a', '--nope=1'], 'unknown option --nope'],
    [['--master=m', '--api=a', 'missing.properties'], 'cannot read properties file missing.properties'],
  ])('rejects %j', (argv, why) => {
    expect(() => parseSchedulerFlags(argv, () => undefined)).toThrow(why);
  });

  it('parses properties files like Java', () => {
    expect([...parseProperties('a=1\n b : 2\n! c\n#d=4\ne f\n')]).toEqual([['a', '1'], ['b', '2'], ['e', 'f']]);
  });
});

describe('help pages', () => {
  it.each([
    [['broker', 'start'], 'Start broker\nUsage: broker start <broker-expr> [options]\n\nOption '],
    [['broker', 'start'], '--timeout <String>  timeout (30s, 1m, 1h). 0s - no timeout. Default - 60s\n'],
    [['broker', 'update'], '\nNote: use "" arg to unset an option\n'],
    [['topic', 'add'], '--partitions <Integer>  partitions count. Default - 1\n'],
    [['broker'], 'Broker management commands\nUsage: broker <command>\n\nCommands:\n  list     - list brokers\n'],
    [['scheduler'], '--framework-timeout <String>  Framework timeout (30s, 1m, 1h). Default - 30d\n'],
  ])('help %j', (args, text) => {
    expect(helpPage(args, schedulerHelp)).toContain(text);
  });

  it('has every page', () => {
    for (const cmd of ['list', 'add', 'update', 'remove', 'clone', 'start', 'stop', 'restart', 'log']) expect(helpPage(['broker', cmd], schedulerHelp)).toMatch(/\nGeneric Options\n/);
    for (const cmd of ['list', 'add', 'update', 'rebalance']) expect(helpPage(['topic', cmd], schedulerHelp)).toMatch(/\nGeneric Options\n/);
    expect(helpPage(['broker', 'fly'], schedulerHelp)).toBeUndefined();
  });
});
