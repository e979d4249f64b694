import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { DockerTaskError, dockerRunArgs } from './docker-run-args.js';

const SANDBOX = '/var/lib/mesos/slaves/a/frameworks/f/executors/t/runs/c';

function task(container: Partial<v1.ContainerInfo> = {}, docker: Partial<v1.ContainerInfo.DockerInfo> = {}, extra: Partial<v1.TaskInfo> = {}): v1.TaskInfo {
  return {
    name: 't',
    task_id: { value: 't' },
    agent_id: { value: 'a' },
    command: { value: 'echo hi' },
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 128 } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31001 }] } },
    ],
    container: { type: 'DOCKER', docker: { image: 'img:1', ...docker }, ...container },
    ...extra,
  } as v1.TaskInfo;
}

const args = (t: v1.TaskInfo): string[] => dockerRunArgs({ containerId: 'c', sandbox: SANDBOX, workDir: '/var/lib/mesos', task: t, env: { MESOS_TASK_ID: 't', MESOS_SANDBOX: SANDBOX } });

/** The value following `flag` each time it appears. */
const values = (argv: string[], flag: string): string[] => argv.flatMap((a, i) => (a === flag ? [argv[i + 1]!] : []));

describe('dockerRunArgs', () => {
  it('names the container, mounts the sandbox, sets env, cpu-shares, memory and host network', () => {
    const a = args(task());
    expect(values(a, '--name')).toEqual(['mesos-c']);
    expect(values(a, '-v')).toEqual([`${SANDBOX}:/mnt/mesos/sandbox`]);
    expect(values(a, '-e')).toEqual(['MESOS_TASK_ID=t', 'MESOS_SANDBOX=/mnt/mesos/sandbox', 'MESOS_CONTAINER_NAME=mesos-c']);
    expect(values(a, '--cpu-shares')).toEqual(['512']);
    expect(values(a, '--memory')).toEqual([String(128 * 1024 * 1024)]);
    expect(values(a, '--net')).toEqual(['host']);
    expect(a.slice(-5)).toEqual(['--entrypoint', '/bin/sh', 'img:1', '-c', 'echo hi']);
    expect(a).toContain('--pull=never');
  });

  it.each([
    { name: 'bridge with an offered port', docker: { network: 'BRIDGE' as const, port_mappings: [{ host_port: 31001, container_port: 80 }] }, flag: '-p', want: ['127.0.0.1:31001:80/tcp'] },
    { name: 'none network', docker: { network: 'NONE' as const }, flag: '--net', want: ['none'] },
    { name: 'parameters', docker: { parameters: [{ key: 'ulimit', value: 'nofile=1024' }] }, flag: '--ulimit=nofile=1024', want: [] },
  ])('$name', ({ docker, flag, want }) => {
    const a = args(task({}, docker));
    if (want.length === 0) expect(a).toContain(flag);
    else expect(values(a, flag)).toEqual(want);
  });

  it.each([
    { name: 'absolute host path, read-only', volumes: [{ container_path: '/data', host_path: '/srv/data', mode: 'RO' as const }], want: '/srv/data:/data:ro' },
    { name: 'relative host path inside the sandbox', volumes: [{ container_path: 'cache', host_path: 'sub/cache', mode: 'RW' as const }], want: `${SANDBOX}/sub/cache:/mnt/mesos/sandbox/cache` },
  ])('volume: $name', ({ volumes, want }) => {
    expect(values(args(task({ volumes })), '-v')).toContain(want);
  });

  it.each([
    { name: 'no image', t: task({}, { image: '' }), want: /docker\.image is missing/ },
    { name: 'port not offered', t: task({}, { network: 'BRIDGE', port_mappings: [{ host_port: 8080, container_port: 80 }] }), want: /host port 8080 is not in the task's ports resources \(31000-31001\)/ },
    { name: 'mapping on host network', t: task({}, { network: 'HOST', port_mappings: [{ host_port: 31000, container_port: 80 }] }), want: /port_mappings need network BRIDGE/ },
    { name: 'relative path escaping the sandbox', t: task({ volumes: [{ container_path: '/x', host_path: '../../etc', mode: 'RW' }] }), want: /leaves the sandbox/ },
    { name: 'volume without host path', t: task({ volumes: [{ container_path: '/x', mode: 'RW' }] }), want: /needs host_path/ },
    { name: 'USER network', t: task({}, { network: 'USER' }), want: /USER is not supported/ },
  ])('rejects $name with a clear message', ({ t, want }) => {
    expect(() => args(t)).toThrow(DockerTaskError);
    expect(() => args(t)).toThrow(want);
  });
});
