// GPU assignment: the agent owns a set of device indices (--nvidia_gpu_devices, or 0..gpus-1) and gives each
// container holding `gpus:N` N specific ones for its whole life (lowest free first); the container sees them
// as CUDA_VISIBLE_DEVICES. Assignments are checkpointed with the container's run and re-taken at recovery.
// Pure bookkeeping: no device access (isolating /dev/nvidia* is left to the host).
import { FlagsError } from './flags.js';

export class GpuError extends Error {
  override readonly name = 'GpuError';
  readonly code = 'GPUS_UNAVAILABLE' as const;
}

/** The agent's device indices: --nvidia_gpu_devices must name exactly as many devices as the gpus resource. */
export function gpuDevices(flag: readonly number[] | undefined, gpusResource: number): number[] {
  if (!Number.isInteger(gpusResource)) throw new FlagsError(`the agent's gpus resource must be a whole number of devices, got ${gpusResource}`);
  if (flag === undefined) return Array.from({ length: gpusResource }, (_, i) => i);
  if (flag.length !== gpusResource) {
    throw new FlagsError(`--nvidia_gpu_devices lists ${flag.length} device(s) (${flag.join(',')}) but the agent's resources have gpus:${gpusResource}; make them match (e.g. --resources=gpus:${flag.length})`);
  }
  return [...flag];
}

export class GpuAllocator {
  /** container id -> its devices */
  private readonly assigned = new Map<string, number[]>();

  constructor(readonly devices: readonly number[]) {}

  free(): number[] {
    const used = new Set([...this.assigned.values()].flat());
    return this.devices.filter((d) => !used.has(d));
  }

  /** Gives `containerId` `count` devices (a second call returns the same ones); throws GpuError when short. */
  allocate(containerId: string, count: number): number[] {
    const had = this.assigned.get(containerId);
    if (had) return had;
    if (count === 0) return [];
    if (!Number.isInteger(count) || count < 0) throw new GpuError(`gpus must be a whole number of devices, got ${count}`);
    const free = this.free();
    if (free.length < count) throw new GpuError(`the task asks for ${count} gpu(s) but only ${free.length} of this agent's ${this.devices.length} are free (${free.join(',') || 'none'})`);
    const got = free.slice(0, count);
    this.assigned.set(containerId, got);
    return got;
  }

  /** Re-takes the devices a recovered container had (devices this agent no longer has are dropped). */
  restore(containerId: string, devices: readonly number[]): number[] {
    const free = new Set(this.free());
    const known = devices.filter((d) => free.has(d));
    if (known.length > 0) this.assigned.set(containerId, known);
    return known;
  }

  release(containerId: string): void {
    this.assigned.delete(containerId);
  }

  of(containerId: string): readonly number[] {
    return this.assigned.get(containerId) ?? [];
  }
}
