// The master's `LeaderDetector` port (current() / isSelf()) from a detector and this master's contender.
// isSelf() is the contender's lease-checked `isLeader()`, so a partitioned master stops answering as leader
// by itself; current() never names this master unless it really leads (a stale detector view of our own
// node while our lease has lapsed answers "no leader", i.e. 503, rather than a 307 to ourselves).
import type { ZooKeeperContender } from './contender.js';
import type { ZooKeeperMasterDetector } from './master-detector.js';
import type { LeaderAddress } from './master-info.js';

export class ZooKeeperLeaderView {
  constructor(
    private readonly detector: ZooKeeperMasterDetector,
    private readonly contender: ZooKeeperContender,
    private readonly self: () => LeaderAddress,
  ) {}

  current(): LeaderAddress | undefined {
    if (this.contender.isLeader()) return this.self();
    const seen = this.detector.currentLeader();
    if (seen === undefined || (this.contender.node !== undefined && seen.node === this.contender.node)) return undefined;
    return seen.address;
  }

  isSelf(): boolean {
    return this.contender.isLeader();
  }

  /**
   * True while detectors already name this master's node as the leader's but it does not lead yet (its fence
   * after removing a dead leader, or its first lease check): clients sent here may wait a moment instead of
   * getting a 503.
   */
  takingOver(): boolean {
    const seen = this.detector.currentLeader();
    return !this.contender.isLeader() && seen !== undefined && this.contender.node !== undefined && seen.node === this.contender.node;
  }
}
