// The agent's isolators around a container's life: before it starts, GPUs are assigned and (with
// cgroups/cpu, cgroups/mem) its cgroup is created with its limits; its first process is moved into the
// cgroup before it runs anything; when it ends, an OOM kill becomes a memory limitation for its tasks, and its
// cgroup, GPUs and volume mounts are released. posix/cpu,posix/mem need nothing here (usage from /proc).
import type { Logger } from 'pino';
import type { v1 } from '@mesos-ts/proto';
import { CgroupsIsolator } from './cgroups/cgroups-isolator.js';
import type { CgroupResource } from './cgroups/layout.js';
import type { CgroupUsage } from './cgroups/values.js';
import { FlagsError, type AgentFlags } from './flags.js';
import { GpuAllocator, gpuDevices } from './gpu-allocator.js';
import type { ExecutorRec } from './model.js';

const MB = 1024 * 1024;

/**
 * What a command task's own mesos-executor (--command_executor=process) adds to its container's limits, as
 * upstream adds 0.1 cpus and 32 MB for its C++ command executor; ours is a Node process that peaks near 45 MB.
 * Inline tasks have no executor process, so nothing is added.
 */
export const COMMAND_EXECUTOR_ALLOWANCE = { cpus: 0.1, memBytes: 64 * MB } as const;

/** Why a container's tasks failed when the agent enforced a limit (upstream's TaskStatus fields). */
export interface Limitation {
  reason: v1.TaskStatus.Reason;
  message: string;
  limitation: v1.TaskResourceLimitation;
}

/** The resources a container is limited to: a command executor's info repeats its task's, so count them once. */
export function containerResources(ex: ExecutorRec): v1.Resource[] {
  if (ex.kind === 'command') return [...(ex.info.resources ?? [])];
  return [...(ex.info.resources ?? []), ...[...ex.taskInfos.values()].flatMap((t) => t.resources ?? [])];
}

export function sumScalar(resources: readonly v1.Resource[], name: string): number {
  let n = 0;
  for (const r of resources) if (r.name === name && r.type === 'SCALAR') n += r.scalar?.value ?? 0;
  // Mesos scalars are fixed-point with 3 decimals: undo float drift from the sum.
  return Math.round(n * 1000) / 1000;
}

export class Isolation {
  readonly gpus: GpuAllocator;

  private constructor(
    readonly cgroups: CgroupsIsolator | undefined,
    gpus: GpuAllocator,
    private readonly log: Logger,
  ) {
    this.gpus = gpus;
  }

  /** Builds the isolators --isolation names; throws FlagsError when the host cannot provide them. */
  static create(flags: AgentFlags, totalGpus: number, log: Logger): Isolation {
    const wanted = new Set<CgroupResource>();
    if (flags.isolators.includes('cgroups/cpu')) wanted.add('cpu');
    if (flags.isolators.includes('cgroups/mem')) wanted.add('mem');
    let cgroups: CgroupsIsolator | undefined;
    if (wanted.size > 0) {
      const opened = CgroupsIsolator.open({ wanted, root: flags.cgroups_root, enableCfs: flags.cgroups_enable_cfs });
      if ('problem' in opened) {
        const names = [...wanted].map((w) => `cgroups/${w}`).join(',');
        throw new FlagsError(`--isolation=${names} is not available on this host: ${opened.problem}. Run the agent as root on a host with cgroup v1 or v2 controllers, or use --isolation=posix/cpu,posix/mem`);
      }
      cgroups = opened;
      log.info({ cgroups_version: opened.layout.version, root: flags.cgroups_root, isolators: [...wanted].map((w) => `cgroups/${w}`) }, 'cgroups isolation enabled');
    }
    return new Isolation(cgroups, new GpuAllocator(gpuDevices(flags.nvidia_gpu_devices, totalGpus)), log);
  }

  /** Assigns GPUs and creates the cgroup; throws (GpuError, fs errors) when the container cannot be set up. */
  prepare(ex: ExecutorRec): void {
    const resources = containerResources(ex);
    ex.gpus = this.gpus.allocate(ex.containerId, sumScalar(resources, 'gpus'));
    this.cgroups?.create(ex.containerId, limitsOf(ex, resources));
  }

  /** A newly launched task of a running executor widens its container's limits (as upstream's update). */
  update(ex: ExecutorRec): void {
    if (!this.cgroups || ex.kind === 'command' || !this.cgroups.exists(ex.containerId)) return;
    try {
      this.cgroups.update(ex.containerId, limitsOf(ex, containerResources(ex)));
    } catch (e) {
      this.log.warn({ container_id: ex.containerId, err: (e as Error).message }, 'cannot update container cgroup limits');
    }
  }

  /** What moves a container's first process into its cgroup (undefined without cgroups). */
  attacher(ex: ExecutorRec): ((pid: number) => void) | undefined {
    const cgroups = this.cgroups;
    return cgroups ? (pid) => cgroups.attach(ex.containerId, pid) : undefined;
  }

  /** Environment the isolators give the container's processes. */
  env(ex: ExecutorRec): Record<string, string> {
    return ex.gpus.length > 0 ? { CUDA_VISIBLE_DEVICES: ex.gpus.join(',') } : {};
  }

  usage(ex: ExecutorRec): CgroupUsage | undefined {
    return this.cgroups?.usage(ex.containerId);
  }

  /** The limit the container hit, when the kernel OOM-killed one of its processes. */
  limitation(ex: ExecutorRec): Limitation | undefined {
    const mem = this.cgroups?.memoryLimitation(ex.containerId);
    if (!mem) return undefined;
    const requested = sumScalar(containerResources(ex), 'mem');
    return {
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
      message: mem.message,
      limitation: { resources: [{ name: 'mem', type: 'SCALAR', scalar: { value: requested > 0 ? requested : mem.limitBytes / MB } }] },
    };
  }

  /** Releases what the container held: its cgroup (killing stragglers), its GPUs. */
  async release(ex: ExecutorRec): Promise<void> {
    this.gpus.release(ex.containerId);
    if (!this.cgroups) return;
    await this.cgroups.destroy(ex.containerId).catch((e: unknown) => this.log.error({ container_id: ex.containerId, err: (e as Error).message }, 'cannot remove a container cgroup'));
  }

  /** Removes the cgroup of a container the agent does not keep (killed at recovery, or unknown). */
  async destroyCgroup(containerId: string): Promise<void> {
    if (!this.cgroups) return;
    await this.cgroups.destroy(containerId).catch((e: unknown) => this.log.error({ container_id: containerId, err: (e as Error).message }, 'cannot remove a container cgroup'));
  }

  /** Cgroups under the root that belong to none of `known` containers. */
  orphans(known: ReadonlySet<string>): string[] {
    return (this.cgroups?.list() ?? []).filter((id) => !known.has(id));
  }

  close(): void {
    this.cgroups?.close();
  }
}

function limitsOf(ex: ExecutorRec, resources: readonly v1.Resource[]): { cpus: number | undefined; memBytes: number | undefined } {
  const allowance = ex.kind === 'command' && !ex.inline ? COMMAND_EXECUTOR_ALLOWANCE : { cpus: 0, memBytes: 0 };
  const cpus = sumScalar(resources, 'cpus');
  const mem = sumScalar(resources, 'mem');
  return { cpus: cpus > 0 ? cpus + allowance.cpus : undefined, memBytes: mem > 0 ? mem * MB + allowance.memBytes : undefined };
}
