// The KRaft controller quorum of a kafka-mesos cluster. Kafka's static quorum (`controller.quorum.voters`)
// must be the same on every node and cannot change without a dynamic-quorum reconfiguration, so the
// scheduler fixes it ONCE: the brokers placed in the first offer round that launches any broker of the
// cluster become the voters (`process.roles=broker,controller`, a listener port and a controller port), and
// the voter string is stored with the cluster state. Brokers launched later join as `process.roles=broker`
// with the stored voters. A voter keeps its host (its volume pins it) and both ports on every relaunch, so
// the string stays true; removing a voter would break the quorum and is refused. Pure.
import type { Broker } from './broker.js';
import { KafkaError } from './errors.js';

/** Broker ids in a voter string `0@h1:31001,1@h2:31003`. */
export function voterIds(voters: string | undefined): number[] {
  if (voters === undefined || voters === '') return [];
  return voters.split(',').map((v) => Number(v.slice(0, v.indexOf('@'))));
}

/** The voter string of brokers placed with a controller port, sorted by id. */
export function formatVoters(placed: ReadonlyArray<{ id: number; hostname: string; controllerPort: number }>): string {
  return [...placed]
    .sort((a, b) => a.id - b.id)
    .map((p) => `${p.id}@${p.hostname}:${p.controllerPort}`)
    .join(',');
}

/** State written before quorums were stored: every broker placed with a controller port was a voter. */
export function legacyVoters(brokers: readonly Broker[]): string | undefined {
  const placed = brokers.flatMap((b) => (b.placement?.controllerPort === undefined ? [] : [{ id: b.id, hostname: b.placement.hostname, controllerPort: b.placement.controllerPort }]));
  return placed.length === 0 ? undefined : formatVoters(placed);
}

/** Throws when `ids` include a voter: the quorum cannot lose a member. */
export function checkNotVoters(ids: readonly number[], voters: string | undefined): void {
  const hit = ids.filter((id) => voterIds(voters).includes(id));
  if (hit.length > 0) {
    throw new KafkaError('BROKER_RUNNING', `broker ${hit.join(',')} is a KRaft controller quorum voter (controller.quorum.voters=${voters}); the quorum is fixed when the cluster forms, so a voter cannot be removed (stop it instead)`);
  }
}
