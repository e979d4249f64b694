import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { agentAddress, agentAttributesText, agentPort, agentResourcesText, launcherPort, parseLocalArgs } from './flags.js';

describe('mesos-local flags', () => {
  it('defaults: 2 agents, port 5050, ./.mesos-ts under the cwd', () => {
    const r = parseLocalArgs([], {}, '/home/u/repo');
    expect(r).toEqual({
      help: false,
      options: { numAgents: 2, ip: '127.0.0.1', port: 5050, workDir: '/home/u/repo/.mesos-ts', resources: 'cpus:2;mem:2048;disk:8192', attributes: undefined, allocationInterval: '1secs', verbose: false, launcherPort: 8080, launcherRole: '*', singleAddress: false, masterFlags: [], agentFlags: [], env: {} },
    });
  });

  it('reads flags, then MESOS_LOCAL_* env', () => {
    const r = parseLocalArgs(['--num_agents=3', '--work_dir=/w', '--attributes=rack:r1'], { MESOS_LOCAL_PORT: '6000' }, '/x');
    expect(r.help === false && r.options).toMatchObject({ numAgents: 3, port: 6000, workDir: '/w', attributes: 'rack:r1' });
  });

  it.each([
    [['--num_agents=x'], '--num_agents must be an integer'],
    [['--port=65535'], '--port must be an integer'],
    [['extra'], 'takes only flags'],
    [['--resources=cpus:x'], "--resources: invalid resource 'cpus:x'"],
    [['--attributes=rack'], '--attributes: '],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseLocalArgs(argv, {}, '/')).toThrow(CliError);
    expect(() => parseLocalArgs(argv, {}, '/')).toThrow(message);
  });

  it('gives agent k port+1+k, distinct ports ranges and hostname attributes', () => {
    expect([0, 1, 2].map((k) => agentPort(5050, k))).toEqual([5051, 5052, 5053]);
    expect(agentPort(0, 3)).toBe(0);
    expect(agentResourcesText('cpus:1;mem:64', 1)).toBe('cpus:1;mem:64;ports:[32000-32999]');
    expect(agentResourcesText('cpus:1;ports:[1-2]', 1)).toBe('cpus:1;ports:[1-2]');
    expect(agentAttributesText(undefined, 0)).toBe('hostname:agent-0');
    expect(agentAttributesText('rack:r1', 1)).toBe('hostname:agent-1;rack:r1');
    expect(agentAttributesText('hostname:mine', 1)).toBe('hostname:mine');
  });
});

describe('launcher and agent addresses', () => {
  it.each([
    [undefined, 5050, 8080],
    [undefined, 0, 0],
    ['9090', 5050, 9090],
    ['off', 5050, undefined],
    ['0', 5050, 0],
  ] as const)('--launcher_port=%s with master port %s gives %s', (text, masterPort, want) => {
    expect(launcherPort(text, masterPort)).toBe(want);
  });

  it('refuses a bad --launcher_port', () => {
    expect(() => launcherPort('http', 5050)).toThrow(/--launcher_port/);
  });

  it.each([
    ['127.0.0.1', 0, false, '127.0.0.1'],
    ['127.0.0.1', 2, false, '127.0.0.3'],
    ['127.0.0.1', 2, true, '127.0.0.1'],
    ['10.0.0.5', 1, false, '10.0.0.5'],
  ] as const)('agent address of %s, agent %s, single=%s is %s', (ip, k, single, want) => {
    expect(agentAddress(ip, k, single)).toBe(want);
  });
});
