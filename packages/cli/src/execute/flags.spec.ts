import { describe, expect, it } from 'vitest';
import { Resources } from '@mesos-ts/resources';
import type { v1 } from '@mesos-ts/proto';
import { CliError } from '../errors.js';
import { parseExecuteArgs, type ExecuteOptions } from './flags.js';
import { commandInfo, describeUpdate, frameworkInfo, offerFits, taskInfo } from './task.js';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}): ExecuteOptions => {
  const r = parseExecuteArgs(argv, env);
  if (r.help) throw new Error('unexpected help');
  return r.options;
};

describe('mesos-execute flags', () => {
  it('applies upstream defaults', () => {
    expect(parse(['--name=t', '--command=echo hi'])).toEqual({
      master: '127.0.0.1:5050',
      name: 't',
      command: 'echo hi',
      shell: true,
      resources: 'cpus:1;mem:128',
      env: {},
      uris: [],
      frameworkName: 'mesos-execute instance',
      role: '*',
      checkpoint: false,
      killAfterMs: undefined,
      contentType: 'application/x-protobuf',
      principal: undefined,
      secret: undefined,
    });
  });

  it('reads every flag', () => {
    const o = parse(
      ['--master=m:1', '--name=t', '--command=ls -l', '--no-shell', '--resources=cpus:0.5;mem:32', '--env={"K":"V","N":1}', '--uri=http://a/x.tgz', '--uris=http://b/y,http://c/z', '--framework_name=f', '--role=r', '--checkpoint', '--kill_after=10secs', '--content_type=json', '--principal=p', '--secret=s'],
      { MESOS_MASTER: 'ignored:1' },
    );
    expect(o).toMatchObject({ master: 'm:1', shell: false, env: { K: 'V', N: '1' }, uris: ['http://a/x.tgz', 'http://b/y', 'http://c/z'], frameworkName: 'f', role: 'r', checkpoint: true, killAfterMs: 10_000, contentType: 'application/json', principal: 'p', secret: 's' });
  });

  it('takes the master from MESOS_MASTER', () => expect(parse(['--name=t', '--command=x'], { MESOS_MASTER: 'h:7' }).master).toBe('h:7'));
  it('keeps a zk:// master from the flag or MESOS_MASTER', () => {
    expect(parse(['--name=t', '--command=x', '--master=zk://z1:2181,z2:2181/mesos']).master).toBe('zk://z1:2181,z2:2181/mesos');
    expect(parse(['--name=t', '--command=x'], { MESOS_MASTER: 'zk://z:2181/mesos' }).master).toBe('zk://z:2181/mesos');
  });

  it.each([
    [['--command=x'], '--name is required'],
    [['--name=t'], '--command is required'],
    [['--name=t', '--command=x', '--content_type=xml'], "--content_type must be 'json' or 'protobuf'"],
    [['--name=t', '--command=x', '--env=[1]'], '--env must be a JSON object'],
    [['--name=t', '--command=x', '--env={'], '--env must be a JSON object'],
    [['--name=t', '--command=x', '--kill_after=soon'], '--kill_after must be a duration'],
    [['--name=t', '--command=x', '--secret=s'], '--secret needs --principal'],
    [['--name=t', 'echo', 'hi'], 'quote the command'],
    [['--name=t', '--command=x', '--master=zk://z:2181'], 'not a ZooKeeper master URL'],
  ])('%j exits 2', (argv, message) => {
    try {
      parse(argv);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CliError);
      expect((e as CliError).exitCode).toBe(2);
      expect((e as CliError).message).toContain(message);
    }
  });

  it('--help lists the flags', () => {
    const r = parseExecuteArgs(['--help'], {});
    expect(r.help && r.text).toContain('--kill_after=<duration>');
  });
});

describe('mesos-execute task', () => {
  const o = parse(['--name=echo-test', '--command=echo hi', '--env={"K":"V"}', '--uri=http://a/x', '--role=r', '--checkpoint', '--principal=p']);
  const offer = (resources: string, role = 'r'): v1.Offer => ({
    id: { value: 'O1' },
    framework_id: { value: 'F' },
    agent_id: { value: 'S0' },
    hostname: 'h',
    resources: Resources.parse(resources).allocate(role).toProto(),
  });

  it('subscribes as a throwaway multi-role framework', () => {
    expect(frameworkInfo(o, 'u', 'h')).toEqual({ user: 'u', name: 'mesos-execute instance', hostname: 'h', roles: ['r'], capabilities: [{ type: 'MULTI_ROLE' }], checkpoint: true, failover_timeout: 0, principal: 'p' });
  });

  it('launches the command with its env and uris, task id = name', () => {
    const needed = Resources.parse('cpus:1;mem:128');
    const t = taskInfo(o, offer('cpus:2;mem:256'), needed);
    expect(t).toMatchObject({ name: 'echo-test', task_id: { value: 'echo-test' }, agent_id: { value: 'S0' }, command: { shell: true, value: 'echo hi', uris: [{ value: 'http://a/x', extract: true }], environment: { variables: [{ name: 'K', type: 'VALUE', value: 'V' }] } } });
    expect(Resources.fromProto(t.resources ?? []).unallocate().equals(needed)).toBe(true);
  });

  it('splits a non-shell command into program and arguments', () => {
    expect(commandInfo({ ...o, shell: false, command: 'ls  -l /tmp', env: {}, uris: [] })).toEqual({ shell: false, value: 'ls', arguments: ['ls', '-l', '/tmp'] });
  });

  it.each([
    ['cpus:2;mem:256', true],
    ['cpus:1;mem:128', true],
    ['cpus:0.5;mem:256', false],
    ['cpus:2', false],
  ])('offer %s fits: %s', (res, fits) => expect(offerFits(offer(res), Resources.parse('cpus:1;mem:128'))).toBe(fits));

  it('describes updates as upstream does', () => {
    expect(describeUpdate({ task_id: { value: 't' }, state: 'TASK_FAILED', message: 'Command exited with status 3', source: 'SOURCE_EXECUTOR', reason: 'REASON_COMMAND_EXECUTOR_FAILED' })).toBe(
      "Received status update TASK_FAILED for task 't'\n  message: 'Command exited with status 3'\n  source: SOURCE_EXECUTOR\n  reason: REASON_COMMAND_EXECUTOR_FAILED\n",
    );
  });
});
