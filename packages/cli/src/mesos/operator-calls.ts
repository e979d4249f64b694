// Pure builders of the operator API calls behind `mesos reserve|unreserve|volume|teardown`: resources text
// (`cpus:1;mem:128`) plus a role and principal become dynamically reserved resources, a volume spec becomes a
// reserved disk resource carrying DiskInfo.persistence and a container path.
import type { master, v1 } from '@mesos-ts/proto';
import { Resources, ResourcesError } from '@mesos-ts/resources';
import { usage } from '../errors.js';

export interface ReserveSpec {
  agentId: string;
  resources: string;
  role: string;
  principal?: string | undefined;
}

function unreservedResources(text: string): Resources {
  let res: Resources;
  try {
    res = Resources.parse(text);
  } catch (e) {
    if (e instanceof ResourcesError) throw usage(`--resources: ${e.message}`);
    throw e;
  }
  if (res.isEmpty()) throw usage("--resources is empty; give e.g. --resources='cpus:1;mem:128'");
  if (!res.reserved().isEmpty()) throw usage("--resources must be given without roles (e.g. 'cpus:1;mem:128'); the role comes from --role");
  return res;
}

function reservation(role: string, principal: string | undefined): v1.Resource.ReservationInfo {
  if (role === '' || role === '*') throw usage("--role must name a role other than '*' (the role the resources are reserved for)");
  return { type: 'DYNAMIC', role, ...(principal ? { principal } : {}) };
}

export function reserveCall(spec: ReserveSpec): master.Call {
  const source = unreservedResources(spec.resources);
  const target = source.pushReservation(reservation(spec.role, spec.principal));
  return { type: 'RESERVE_RESOURCES', reserve_resources: { agent_id: { value: spec.agentId }, resources: target.toProto(), source: source.toProto() } };
}

export function unreserveCall(spec: ReserveSpec): master.Call {
  const reserved = unreservedResources(spec.resources).pushReservation(reservation(spec.role, spec.principal));
  return { type: 'UNRESERVE_RESOURCES', unreserve_resources: { agent_id: { value: spec.agentId }, resources: reserved.toProto() } };
}

export interface VolumeSpec {
  agentId: string;
  role: string;
  principal?: string | undefined;
  id: string;
  /** Megabytes. */
  sizeMb: number;
  /** Path inside the sandbox where tasks see the volume. */
  containerPath: string;
}

export function volumeResource(spec: VolumeSpec): v1.Resource {
  if (!/^[A-Za-z0-9_.-]+$/.test(spec.id)) throw usage(`--id '${spec.id}' may contain only letters, digits, '_', '.' and '-'`);
  if (!(spec.sizeMb > 0)) throw usage(`--size must be a positive number of megabytes, got '${spec.sizeMb}'`);
  if (spec.containerPath === '' || spec.containerPath.startsWith('/') || spec.containerPath.split('/').includes('..')) {
    throw usage(`--path '${spec.containerPath}' must be a relative path inside the sandbox, without '..' (e.g. data)`);
  }
  return {
    name: 'disk',
    type: 'SCALAR',
    scalar: { value: spec.sizeMb },
    reservations: [reservation(spec.role, spec.principal)],
    disk: {
      persistence: { id: spec.id, ...(spec.principal ? { principal: spec.principal } : {}) },
      volume: { container_path: spec.containerPath, mode: 'RW' },
    },
  };
}

export function volumeCall(action: 'create' | 'destroy', spec: VolumeSpec): master.Call {
  const volumes = [volumeResource(spec)];
  const agent_id = { value: spec.agentId };
  return action === 'create'
    ? { type: 'CREATE_VOLUMES', create_volumes: { agent_id, volumes } }
    : { type: 'DESTROY_VOLUMES', destroy_volumes: { agent_id, volumes } };
}

/** `--size` in MB; also accepts `512MB`, `2GB`. */
export function parseSizeMb(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(MB|GB|TB|M|G|T)?$/i.exec(text.trim());
  if (!m) throw usage(`--size must be megabytes (e.g. 100, 512MB or 2GB), got '${text}'`);
  const factor = { M: 1, G: 1024, T: 1024 * 1024 }[((m[2] ?? 'M')[0] as string).toUpperCase() as 'M' | 'G' | 'T'];
  return Number(m[1]) * factor;
}
