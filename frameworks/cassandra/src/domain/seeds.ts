// cassandra.yaml's seed list: the seeds' `ip:storagePort`, live or placed (a restarting seed is still a seed).
import type { CassandraNode } from './node.js';

export function seedList(nodes: readonly CassandraNode[]): string[] {
  return nodes
    .filter((n) => n.seed && n.targetRunState !== 'TERMINATE' && n.ip !== undefined && n.ports !== undefined)
    .map((n) => `${n.ip}:${n.ports!.storage}`);
}
