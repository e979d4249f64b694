// The registry document as JSON text: what the file registry stores and the ZooKeeper registry stores (gzipped
// and chunked by the document store). Protobuf messages inside are in Mesos' JSON mapping (the wire's codec), so
// bytes and 64-bit values survive a round trip.
import { decodeJson, encodeJson } from '@mesos-ts/wire';
import type { RegistryDocument } from './registry-store.js';

/** Serializes `doc` now (callers keep mutating it afterwards). */
export function encodeRegistry(doc: RegistryDocument): string {
  return JSON.stringify(toJson(doc));
}

/** Parses what encodeRegistry wrote; throws on anything else (the caller says where it came from). */
export function decodeRegistry(text: string): RegistryDocument {
  return fromJson(JSON.parse(text) as StoredDocument);
}

interface StoredDocument {
  version: 1;
  agents: { info: unknown; checkpointed: unknown[]; sessionDigest?: string }[];
  goneAgents: string[];
  /** Absent in documents written before it existed. */
  unreachableAgents?: string[];
  weights: unknown[];
  quotas: unknown[];
  frameworks: unknown[];
  /** Absent in documents written before it existed, and while there is no schedule. */
  maintenance?: { schedule: unknown; down: string[] };
}

const enc = (name: Parameters<typeof encodeJson>[0], msg: unknown): unknown => JSON.parse(encodeJson(name, msg as never));

function toJson(doc: RegistryDocument): StoredDocument {
  return {
    version: 1,
    agents: doc.agents.map((a) => ({ info: enc('mesos.v1.AgentInfo', a.info), checkpointed: a.checkpointed.map((r) => enc('mesos.v1.Resource', r)), ...(a.sessionDigest ? { sessionDigest: a.sessionDigest } : {}) })),
    goneAgents: doc.goneAgents,
    ...(doc.unreachableAgents?.length ? { unreachableAgents: doc.unreachableAgents } : {}),
    weights: doc.weights.map((w) => enc('mesos.v1.WeightInfo', w)),
    quotas: doc.quotas.map((q) => enc('mesos.v1.quota.QuotaConfig', q)),
    frameworks: doc.frameworks.map((f) => enc('mesos.v1.FrameworkInfo', f)),
    ...(doc.maintenance ? { maintenance: { schedule: enc('mesos.v1.maintenance.Schedule', doc.maintenance.schedule), down: doc.maintenance.down } } : {}),
  };
}

function fromJson(s: StoredDocument): RegistryDocument {
  if (s.version !== 1) throw new Error(`unknown registry version ${String(s.version)}`);
  const dec = <N extends Parameters<typeof decodeJson>[0]>(name: N, v: unknown) => decodeJson(name, JSON.stringify(v));
  return {
    agents: s.agents.map((a) => ({ info: dec('mesos.v1.AgentInfo', a.info), checkpointed: a.checkpointed.map((r) => dec('mesos.v1.Resource', r)), ...(a.sessionDigest ? { sessionDigest: a.sessionDigest } : {}) })),
    goneAgents: s.goneAgents,
    ...(s.unreachableAgents ? { unreachableAgents: s.unreachableAgents } : {}),
    weights: s.weights.map((w) => dec('mesos.v1.WeightInfo', w)),
    quotas: s.quotas.map((q) => dec('mesos.v1.quota.QuotaConfig', q)),
    frameworks: s.frameworks.map((f) => dec('mesos.v1.FrameworkInfo', f)),
    ...(s.maintenance ? { maintenance: { schedule: dec('mesos.v1.maintenance.Schedule', s.maintenance.schedule), down: s.maintenance.down } } : {}),
  };
}
