// Fast failover without waiting for ZooKeeper to expire a dead master's session (see README.md, "Leader probe").
// A kill -9'd master leaves its ephemeral `json.info_` node behind until its session expires (10 s by default).
// The contender just behind it connects to the member's advertised address every `intervalMs`; a port that
// *actively refuses* (ECONNREFUSED: the host is up and nothing listens, i.e. the process is gone) on every
// attempt for at least REFUSED_SPAN_MS is declared dead. Anything else — a connection, a timeout, an
// unreachable network, a DNS failure — may be a partition and resets the streak: only refusals count.
// The streak is pure; `probeTcp` is the one socket.
import net from 'node:net';
import type { LeaderAddress } from './master-info.js';

export interface LeaderProbeOptions {
  /** Time between two connection attempts to the predecessor, ms (`--zk_leader_probe_interval`). */
  intervalMs: number;
}

/**
 * Refusals must span at least this long, first to last, ms. A refusal is already decisive (nothing listens on
 * the port: a live master binds before it contends); the span only rules out a one-off oddity. A false
 * positive costs one needless failover, never two leaders: safety comes from the fence, not from this span.
 */
export const REFUSED_SPAN_MS = 100;
/** …and number at least this many consecutive attempts. */
export const MIN_REFUSALS = 3;
/** After a refusal the next attempts come this often (at most), ms, so confirming a death takes ~REFUSED_SPAN_MS. */
export const CONFIRM_INTERVAL_MS = 50;
/**
 * In probe mode every contender's lease is capped at this, ms: a master that ZooKeeper has not answered for
 * this long stops leading (and exits). Short enough for a fast failover, long enough for a loaded ZooKeeper.
 */
export const PROBE_LEASE_MS = 1_400;
/**
 * After deleting a member's node, the deleter waits this long before it may act as the leader, ms. It covers
 * the deleted member's lease (PROBE_LEASE_MS, counted from a request sent before the deletion), so a member that
 * was alive but cut off from ZooKeeper (it cannot see the deletion) has stopped leading by then. The 200 ms
 * margin covers the lapsed-lease check period (PROBE_LEASE_MS / 10) and any difference in clock rates.
 */
export const FENCE_MS = 1_600;

export type ProbeOutcome = 'refused' | 'answered' | 'unknown';

/** Consecutive refusals of one target; `record()` says when they prove the process gone. */
export class RefusalStreak {
  private count = 0;
  private first = 0;

  /** Adds one outcome observed at `now` (ms); true once the target counts as dead. */
  record(outcome: ProbeOutcome, now: number): boolean {
    if (outcome !== 'refused') {
      this.count = 0;
      return false;
    }
    if (this.count === 0) this.first = now;
    this.count++;
    return this.count >= MIN_REFUSALS && now - this.first >= REFUSED_SPAN_MS;
  }

  reset(): void {
    this.count = 0;
  }
}

/** One TCP connection attempt to `address`, given up (as `unknown`) after `timeoutMs`. */
export function probeTcp(address: LeaderAddress, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address.hostname.replace(/^\[(.*)\]$/, '$1'), port: address.port });
    const done = (outcome: ProbeOutcome): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('unknown'), timeoutMs);
    socket.once('connect', () => done('answered'));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'refused' : 'unknown'));
  });
}
