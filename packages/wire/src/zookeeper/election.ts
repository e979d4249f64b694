// Who leads, from the children of the election node. Upstream Mesos masters join a ZooKeeper group under the
// `--zk` path with ephemeral sequential znodes labelled `json.info` — `json.info_0000000042` — whose data is
// the master's MasterInfo in Mesos' JSON mapping. The member with the lowest sequence leads; every other
// contender watches only the member just below it (ZooKeeper's leader-election recipe, no herd effect).
// Other children (old `info_` protobuf nodes, `log_replicas`, our `registry`) are ignored. Pure.

export const MEMBER_PREFIX = 'json.info_';

export interface Member {
  /** Child name, e.g. `json.info_0000000042`. */
  readonly name: string;
  /** The sequence ZooKeeper appended (10 digits, may wrap past 2^31 as a signed int). */
  readonly sequence: number;
}

/** Members among `children`, lowest sequence first. */
export function members(children: readonly string[]): Member[] {
  const out: Member[] = [];
  for (const name of children) {
    const seq = sequenceOf(name);
    if (seq !== undefined) out.push({ name, sequence: seq });
  }
  return out.sort((a, b) => a.sequence - b.sequence);
}

/** The sequence of a `json.info_<10 digits>` name, or undefined for any other child. */
export function sequenceOf(name: string): number | undefined {
  const m = /^json\.info_(-?\d+)$/.exec(name);
  return m === null ? undefined : Number(m[1]);
}

/** The leading member, or undefined when nobody contends. */
export function leaderOf(children: readonly string[]): Member | undefined {
  return members(children)[0];
}

/**
 * Where `self` stands: `leader` when it has the lowest sequence, `follower` with the member to watch (the next
 * lower one), or `absent` when its node is gone (its session expired or someone deleted it).
 */
export type Standing = { kind: 'leader' } | { kind: 'follower'; predecessor: Member } | { kind: 'absent' };

export function standingOf(children: readonly string[], self: string): Standing {
  const sorted = members(children);
  const at = sorted.findIndex((m) => m.name === self);
  if (at < 0) return { kind: 'absent' };
  if (at === 0) return { kind: 'leader' };
  return { kind: 'follower', predecessor: sorted[at - 1]! };
}
