// The `docker run` command line of a command task with ContainerInfo.type=DOCKER, as upstream's Docker
// containerizer builds it: name mesos-<containerId>, the sandbox bind-mounted at /mnt/mesos/sandbox
// (MESOS_SANDBOX), the task's environment, --cpu-shares (1024 per cpu) and --memory from its resources, HOST
// or BRIDGE network with port mappings that must lie in the task's offered ports, and volumes. Pure: a bad
// TaskInfo throws DockerTaskError with a message saying what to change.
import path from 'node:path';
import type { v1 } from '@mesos-ts/proto';

export const DOCKER_NAME_PREFIX = 'mesos-';
export const CONTAINER_SANDBOX = '/mnt/mesos/sandbox';
/** Label carrying the agent's work_dir: recovery only ever touches containers of its own agent. */
export const WORK_DIR_LABEL = 'org.mesos-ts.agent.work_dir';
const CPU_SHARES_PER_CPU = 1024;
const MIN_CPU_SHARES = 2;
/** Docker refuses less than 6MB of memory. */
const MIN_MEMORY_BYTES = 6 * 1024 * 1024;

export class DockerTaskError extends Error {
  override readonly name = 'DockerTaskError';
}

export interface DockerRunInput {
  containerId: string;
  sandbox: string;
  workDir: string;
  task: v1.TaskInfo;
  env: Readonly<Record<string, string>>;
}

export function dockerName(containerId: string): string {
  return `${DOCKER_NAME_PREFIX}${containerId}`;
}

function scalar(resources: readonly v1.Resource[], name: string): number {
  return resources.filter((r) => r.name === name).reduce((sum, r) => sum + (r.scalar?.value ?? 0), 0);
}

function offeredPorts(resources: readonly v1.Resource[]): Array<{ begin: number; end: number }> {
  return resources.filter((r) => r.name === 'ports').flatMap((r) => (r.ranges?.range ?? []).map((x) => ({ begin: Number(x.begin), end: Number(x.end) })));
}

/** `-v host:container[:ro]` for each volume; relative host paths are inside the sandbox and may not leave it. */
function volumeArgs(volumes: readonly v1.Volume[], sandbox: string): string[] {
  const out: string[] = [];
  for (const v of volumes) {
    const hostPath = v.host_path ?? v.source?.host_path?.path ?? (v.source?.sandbox_path?.path !== undefined ? v.source.sandbox_path.path : undefined);
    if (!v.container_path) throw new DockerTaskError('a volume needs container_path');
    if (hostPath === undefined || hostPath === '') throw new DockerTaskError(`volume for '${v.container_path}' needs host_path (image and docker-driver volumes are not supported by this agent)`);
    let host: string;
    if (path.isAbsolute(hostPath)) {
      host = path.normalize(hostPath);
    } else {
      host = path.resolve(sandbox, hostPath);
      if (host !== sandbox && !host.startsWith(sandbox + path.sep)) {
        throw new DockerTaskError(`volume host_path '${hostPath}' leaves the sandbox; a relative host_path must stay inside it (use an absolute path for a host directory)`);
      }
    }
    // A relative container path is relative to the sandbox in the container, as upstream does.
    const target = path.isAbsolute(v.container_path) ? v.container_path : path.posix.join(CONTAINER_SANDBOX, v.container_path);
    if (host.includes(':') || target.includes(':')) throw new DockerTaskError(`volume paths may not contain ':' ('${host}' -> '${target}')`);
    out.push('-v', `${host}:${target}${v.mode === 'RO' ? ':ro' : ''}`);
  }
  return out;
}

function networkArgs(docker: v1.ContainerInfo.DockerInfo, resources: readonly v1.Resource[]): string[] {
  const network = docker.network ?? 'HOST';
  const mappings = docker.port_mappings ?? [];
  if (network === 'USER') throw new DockerTaskError("docker network USER is not supported by this agent; use HOST or BRIDGE");
  if (network !== 'BRIDGE' && mappings.length > 0) throw new DockerTaskError(`port_mappings need network BRIDGE, the task asks for ${network}`);
  const args = ['--net', network === 'HOST' ? 'host' : network === 'NONE' ? 'none' : 'bridge'];
  const ranges = offeredPorts(resources);
  for (const m of mappings) {
    const inOffer = ranges.some((r) => m.host_port >= r.begin && m.host_port <= r.end);
    if (!inOffer) {
      throw new DockerTaskError(`port mapping ${m.host_port}->${m.container_port}: host port ${m.host_port} is not in the task's ports resources (${ranges.map((r) => `${r.begin}-${r.end}`).join(',') || 'none'}); add it to the task's ports`);
    }
    const proto = (m.protocol ?? 'tcp').toLowerCase();
    if (proto !== 'tcp' && proto !== 'udp') throw new DockerTaskError(`port mapping protocol must be tcp or udp, got '${m.protocol}'`);
    // Loopback only: a mapped port is published on 127.0.0.1, never on every interface.
    args.push('-p', `127.0.0.1:${m.host_port}:${m.container_port}/${proto}`);
  }
  return args;
}

/** argv after `docker`: `run …`. */
export function dockerRunArgs(input: DockerRunInput): string[] {
  const { task } = input;
  const docker = task.container?.docker;
  if (!docker?.image) throw new DockerTaskError('ContainerInfo.type is DOCKER but docker.image is missing');
  if (task.command?.shell === false && !task.command.value) throw new DockerTaskError('a non-shell command needs CommandInfo.value');
  const resources = task.resources ?? [];
  // --pull=never: the agent has made sure the image is present (pulling first when asked), so run never pulls.
  const args = ['run', '--pull=never', '--name', dockerName(input.containerId), '--label', `${WORK_DIR_LABEL}=${input.workDir}`, '-v', `${input.sandbox}:${CONTAINER_SANDBOX}`, '-w', CONTAINER_SANDBOX];
  const env: Record<string, string> = { ...input.env, MESOS_SANDBOX: CONTAINER_SANDBOX, MESOS_CONTAINER_NAME: dockerName(input.containerId) };
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  const cpus = scalar(resources, 'cpus');
  if (cpus > 0) args.push('--cpu-shares', String(Math.max(MIN_CPU_SHARES, Math.round(cpus * CPU_SHARES_PER_CPU))));
  const memMb = scalar(resources, 'mem');
  if (memMb > 0) args.push('--memory', String(Math.max(MIN_MEMORY_BYTES, Math.round(memMb * 1024 * 1024))));
  args.push(...networkArgs(docker, resources));
  args.push(...volumeArgs(task.container?.volumes ?? [], input.sandbox));
  if (docker.privileged) args.push('--privileged');
  for (const p of docker.parameters ?? []) args.push(`--${p.key}=${p.value}`);
  if (task.container?.hostname && (docker.network ?? 'HOST') !== 'HOST') args.push('--hostname', task.container.hostname);
  const command = task.command;
  if (command?.shell === false) {
    // argv form: value is the entrypoint-less program… upstream passes arguments after the image.
    args.push(docker.image, ...(command.arguments ?? []));
  } else if (command?.value) {
    args.push('--entrypoint', '/bin/sh', docker.image, '-c', command.value);
  } else {
    args.push(docker.image); // the image's own entrypoint/cmd
  }
  return args;
}

/** Upstream's wording for a docker CLI exit status that is docker's own, not the task's. */
export function dockerFailureOf(status: number): string | undefined {
  if (status === 125) return 'docker could not run the container (see stderr in the sandbox)';
  return undefined;
}
