import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { agentResourcesText, parseLocalArgs } from './flags.js';

describe('mesos-local passes master and agent flags on', () => {
  it.each<[string[], string[], string[]]>([
    [['--weights=a=2', '--roles=a,b'], ['--weights=a=2', '--roles=a,b'], []],
    [['--isolation=posix/cpu', '--num_agents=1'], [], ['--isolation=posix/cpu']],
    // A flag both daemons know goes to both.
    [['--hostname=box'], ['--hostname=box'], ['--hostname=box']],
    [[], [], []],
  ])('%j -> master %j, agents %j', (argv, master, agent) => {
    const r = parseLocalArgs(argv, {}, '/x');
    expect(r.help === false && r.options.masterFlags).toEqual(master);
    expect(r.help === false && r.options.agentFlags).toEqual(agent);
  });

  it.each([
    [['--no_such_flag=1'], "unknown flag '--no_such_flag=1'"],
    [['--master=127.0.0.1:1'], '--master is set by mesos-local'],
    [['--weights=analytics=-2'], "a mesos-master flag: flag '--weights'"],
    [['--gc_delay=soon'], 'a mesos-agent flag:'],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseLocalArgs(argv, {}, '/x')).toThrow(CliError);
    expect(() => parseLocalArgs(argv, {}, '/x')).toThrow(message);
  });

  it.each<[number, number, string]>([
    [5050, 0, 'ports:[31000-31999]'],
    [5050, 1, 'ports:[32000-32999]'],
    [6050, 1, 'ports:[33000-33999]'],
    [0, 1, 'ports:[32000-32999]'],
    [60000, 0, 'ports:[31000-31999]'], // the shifted range would pass 65535
  ])('master port %i: agent %i offers %s', (port, k, ports) => {
    expect(agentResourcesText('cpus:1', k, port)).toBe(`cpus:1;${ports}`);
  });
});
