// What must survive a master restart, behind a port: admitted agents (with the reservations and volumes the
// master decided for them), agents marked gone, role weights, quota, and frameworks that may still fail over.
// Implementations: in memory (tests, --registry=in_memory) and a file (atomic replace); ZooKeeper comes later.
import type { maintenance, quota, v1 } from '@mesos-ts/proto';

export interface RegistryAgent {
  info: v1.AgentInfo;
  /** Dynamic reservations and persistent volumes, as the agent must checkpoint them. */
  checkpointed: v1.Resource[];
  /** SHA-256 (hex) of the session token the master gave the agent; REREGISTER must present the token. */
  sessionDigest?: string;
}

export interface RegistryDocument {
  agents: RegistryAgent[];
  goneAgents: string[];
  /**
   * Admitted agents the master marked unreachable because they did not re-register within
   * --agent_reregister_timeout after a failover (upstream's registry `unreachable` list). They stay in `agents`
   * (a returning agent keeps its checkpointed resources); the next leader does not wait for them again.
   */
  unreachableAgents?: string[];
  weights: v1.WeightInfo[];
  quotas: quota.QuotaConfig[];
  /** Frameworks with a failover_timeout that are not torn down; re-subscribing restores them. */
  frameworks: v1.FrameworkInfo[];
  /** The maintenance schedule and the machines taken down (keys `hostname/ip`), as upstream's registry keeps them. */
  maintenance?: { schedule: maintenance.Schedule; down: string[] };
}

export function emptyRegistry(): RegistryDocument {
  return { agents: [], goneAgents: [], weights: [], quotas: [], frameworks: [] };
}

export interface RegistryStore {
  /** Reads the stored document (empty when nothing was stored yet). */
  load(): Promise<RegistryDocument>;
  /**
   * Replaces the stored document durably; resolves once it would survive a crash. Implementations must capture
   * `doc` synchronously (before their first await): the caller keeps changing it afterwards.
   */
  save(doc: RegistryDocument): Promise<void>;
}

export class InMemoryRegistryStore implements RegistryStore {
  private doc: RegistryDocument = emptyRegistry();
  async load(): Promise<RegistryDocument> {
    return structuredClone(this.doc);
  }
  save(doc: RegistryDocument): Promise<void> {
    this.doc = structuredClone(doc);
    return Promise.resolve();
  }
}
