// Does an offer satisfy a task's request, and which exact resources should the TaskInfo carry? Pure.
// Resources reserved to the role are used before unreserved ones (so a stateful task lands on its
// reservation); persistent volumes are used only when asked for by id; MOUNT/BLOCK/RAW disks (indivisible),
// shared and revocable resources are never picked for plain disk/cpus/mem.
import type { v1 } from '@mesos-ts/proto';
import { Resources, isPersistentVolume, reservationRole } from '@mesos-ts/resources';
import { allocatePorts, toRanges } from './ports.js';

export interface ResourceRequest {
  cpus?: number;
  /** MB. */
  mem?: number;
  /** MB of plain disk; with `volume`, the volume's minimum size instead. */
  disk?: number;
  gpus?: number;
  /** How many ports (lowest first), or exactly these ports. */
  ports?: number | readonly number[];
  /** Only resources usable by this role: reserved to it (or an ancestor) and unreserved. Default: all offered. */
  role?: string;
  /** An existing persistent volume (DiskInfo.persistence.id) the task must mount. */
  volume?: { persistenceId: string };
}

export type MatchResult =
  | { ok: true; resources: Resources; ports: number[]; volume: v1.Resource | undefined }
  | { ok: false; reason: string };

/** Matches against an offer's resources. */
export function matchOffer(offer: Pick<v1.Offer, 'resources'>, request: ResourceRequest): MatchResult {
  return matchResources(offer.resources ?? [], request);
}

/**
 * Matches against any resources, e.g. what is left of an offer after earlier tasks took their share:
 * `available.subtract(result.resources)` before matching the next task.
 */
export function matchResources(available: Resources | readonly v1.Resource[], request: ResourceRequest): MatchResult {
  let pool = available instanceof Resources ? available : Resources.fromProto(available);
  if (request.role !== undefined) pool = pool.allocatableTo(request.role);
  // Reserved before unreserved; otherwise keep Resources' stable order.
  const entries = pool.toProto().filter((r) => r.revocable === undefined);
  entries.sort((a, b) => Number(reservationRole(a) === '*') - Number(reservationRole(b) === '*'));

  const picked: v1.Resource[] = [];
  let volume: v1.Resource | undefined;
  if (request.volume !== undefined) {
    const id = request.volume.persistenceId;
    volume = entries.find((r) => r.disk?.persistence?.id === id);
    if (volume === undefined) return { ok: false, reason: `persistent volume ${id} is not in the offer` };
    const size = volume.scalar?.value ?? 0;
    if (request.disk !== undefined && size + 0.0005 < request.disk) {
      return { ok: false, reason: `persistent volume ${id} has ${size} MB, task needs ${request.disk} MB` };
    }
    picked.push(volume);
  }
  const scalars: Array<[string, number | undefined]> = [
    ['cpus', request.cpus],
    ['mem', request.mem],
    ['gpus', request.gpus],
    ['disk', request.volume === undefined ? request.disk : undefined],
  ];
  for (const [name, amount] of scalars) {
    if (amount === undefined || amount <= 0) continue;
    const reason = takeScalar(entries, name, amount, picked);
    if (reason !== undefined) return { ok: false, reason };
  }
  let ports: number[] = [];
  if (request.ports !== undefined) {
    const taken = takePorts(entries, request.ports, picked);
    if (typeof taken === 'string') return { ok: false, reason: taken };
    ports = taken;
  }
  const resources = Resources.fromProto(picked);
  if (!pool.contains(resources)) throw new Error(`offer matching picked ${resources.toString()} which the offer ${pool.toString()} does not contain`);
  return { ok: true, resources, ports, volume };
}

function divisibleScalar(r: v1.Resource, name: string): boolean {
  if (r.name !== name || r.type !== 'SCALAR' || r.shared !== undefined || isPersistentVolume(r)) return false;
  const source = r.disk?.source?.type;
  return source === undefined || source === 'PATH';
}

function takeScalar(entries: readonly v1.Resource[], name: string, amount: number, picked: v1.Resource[]): string | undefined {
  const usable = entries.filter((r) => divisibleScalar(r, name));
  const offered = milli(usable.reduce((sum, r) => sum + (r.scalar?.value ?? 0), 0));
  let need = milli(amount);
  if (offered < need) return `not enough ${name}: need ${amount}, offered ${offered / 1000}`;
  for (const r of usable) {
    if (need <= 0) break;
    const take = Math.min(need, milli(r.scalar?.value ?? 0));
    picked.push({ ...r, scalar: { value: take / 1000 } });
    need -= take;
  }
  return undefined;
}

function takePorts(entries: readonly v1.Resource[], request: number | readonly number[], picked: v1.Resource[]): number[] | string {
  const sources = entries
    .filter((r) => r.name === 'ports' && r.type === 'RANGES')
    .map((r) => ({ r, ranges: (r.ranges?.range ?? []).map((x) => [Number(x.begin), Number(x.end)] as [number, number]) }));
  const chosen = new Map<v1.Resource, number[]>();
  const all = sources.flatMap((s) => s.ranges);
  const ports = allocatePorts(all, request);
  if (ports !== undefined && typeof request === 'number') {
    // By count: drain reserved sources before unreserved ones, lowest ports first within each.
    let left = request;
    for (const s of sources) {
      const size = s.ranges.reduce((n, [b, e]) => n + e - b + 1, 0);
      const own = allocatePorts(s.ranges, Math.min(left, size)) ?? [];
      if (own.length > 0) chosen.set(s.r, own);
      left -= own.length;
    }
  } else if (ports !== undefined) {
    // Exactly these ports: each from the first source (reserved before unreserved) that has it.
    for (const p of ports) {
      const s = sources.find((x) => x.ranges.some(([b, e]) => p >= b && p <= e))!;
      chosen.set(s.r, [...(chosen.get(s.r) ?? []), p]);
    }
  } else {
    const wanted = typeof request === 'number' ? `${request} ports` : `ports ${request.join(',')}`;
    const offered = [...all].sort((a, b) => a[0] - b[0]).map(([b, e]) => `[${b}-${e}]`);
    return `not enough ports: need ${wanted}, offered ${offered.join(',') || 'none'}`;
  }
  for (const [source, own] of chosen) {
    picked.push({ ...source, ranges: { range: toRanges(own).map(([b, e]) => ({ begin: BigInt(b), end: BigInt(e) })) } });
  }
  return [...chosen.values()].flat();
}

/** Mesos' fixed point: scalars are compared in thousandths. */
function milli(x: number): number {
  return Math.round(x * 1000);
}
