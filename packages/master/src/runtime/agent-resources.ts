// An agent's resources as the master keeps them: the static total from AgentInfo with the dynamic
// reservations and persistent volumes (the "checkpointed resources") laid over it. The master decides those
// and pushes the complete set to the agent with CHECKPOINT_RESOURCES after each change.
import type { v1 } from '@mesos-ts/proto';
import { Resources, isDynamicallyReserved, isPersistentVolume } from '@mesos-ts/resources';
import { MasterError } from '../core/errors.js';
import type { AgentRecord } from '../core/state.js';
import type { MasterContext as Master } from './context.js';

/** Dynamic reservations and volumes of a total (what the agent must checkpoint). */
export function checkpointedOf(total: Resources): Resources {
  return total.filter((r) => isDynamicallyReserved(r) || isPersistentVolume(r));
}

/**
 * Lays checkpointed resources over the static total: each replaces the same amount of its plain form
 * (dynamic reservations popped, volume info dropped). Throws CONFLICT when the total cannot hold them.
 */
export function withCheckpointed(staticTotal: Resources, checkpointed: Resources): Resources {
  let total = staticTotal;
  for (const r of checkpointed.toProto()) {
    const plain: v1.Resource = { ...r, reservations: (r.reservations ?? []).filter((x) => x.type !== 'DYNAMIC') };
    if (plain.reservations?.length === 0) delete plain.reservations;
    if (r.disk) {
      if (r.disk.source) plain.disk = { source: r.disk.source };
      else delete plain.disk;
    }
    const base = Resources.fromProto([plain]);
    if (!total.contains(base)) {
      throw new MasterError('CONFLICT', `checkpointed ${Resources.fromProto([r]).toString()} does not fit the agent's resources ${staticTotal.toString()}`);
    }
    total = total.subtract(base).add(Resources.fromProto([r]));
  }
  return total;
}

/** Applies a RESERVE/UNRESERVE/CREATE/DESTROY (unallocated form) to the agent's books, agent and registry. */
export function applyToAgent(m: Master, agent: AgentRecord, op: v1.Offer.Operation): void {
  agent.total = agent.total.apply(op);
  agent.checkpointed = checkpointedOf(agent.total);
  const resources = agent.checkpointed.toProto();
  agent.stream?.send({ type: 'CHECKPOINT_RESOURCES', checkpoint_resources: { resources } });
  void m.registry
    .mutate((d) => {
      const entry = d.agents.find((a) => a.info.id?.value === agent.id);
      if (entry) entry.checkpointed = resources;
    })
    .catch((e: unknown) => m.log.error({ err: e, agent: agent.id }, 'registry write failed'));
}
