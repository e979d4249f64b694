// The master's leader ports (LeaderDetector & Contender) on ZooKeeper, for --zk: a ZooKeeperContender holding
// this master's MasterInfo, a ZooKeeperMasterDetector for everyone else's, and the wire's ZooKeeperLeaderView
// combining them (isSelf() is lease-checked per call, so a partitioned leader refuses calls before another
// master can be elected). The contender is built on contend(): MasterInfo carries the bound port only then.
// With a leader probe interval the contender removes a provably dead leader's node (wire leader-probe.ts).
import { ZooKeeperContender, ZooKeeperLeaderView, ZooKeeperMasterDetector, type LeadershipEvent, type ZkUrl } from '@mesos-ts/wire';
import type { v1 } from '@mesos-ts/proto';
import type { Contender, LeaderAddress, LeaderDetector } from './leader.js';

export interface ZooKeeperLeadershipOptions {
  url: string | ZkUrl;
  sessionTimeoutMs: number;
  /** `--zk_leader_probe_interval` in ms; 0 = wait for ZooKeeper to expire a dead leader's session. */
  leaderProbeIntervalMs?: number;
  /** This master's MasterInfo, read when contending (after the server is bound). */
  masterInfo: () => v1.MasterInfo;
  /** This master's advertised address (what current() answers while it leads). */
  self: () => LeaderAddress;
  /** Leadership ended after being elected, or the candidacy failed (exit: upstream masters abort). */
  onLost: (reason: string) => void;
  /** Told about unusable election data and failed lookups (logging). */
  onError?: (error: unknown) => void;
  /** Told about every leadership event (logging). */
  onEvent?: (event: LeadershipEvent) => void;
}

export class ZooKeeperLeadership implements LeaderDetector, Contender {
  private readonly detector: ZooKeeperMasterDetector;
  private contender: ZooKeeperContender | undefined;
  private view: ZooKeeperLeaderView | undefined;
  private withdrawn = false;
  private lostReported = false;

  constructor(private readonly options: ZooKeeperLeadershipOptions) {
    this.detector = new ZooKeeperMasterDetector({ url: options.url, sessionTimeoutMs: options.sessionTimeoutMs, ...(options.onError ? { onError: options.onError } : {}) });
  }

  current(): LeaderAddress | undefined {
    return this.view ? this.view.current() : this.detector.current();
  }

  isSelf(): boolean {
    return this.view?.isSelf() ?? false;
  }

  /** ZooKeeper already names this master the leader, but it does not lead yet (see ZooKeeperLeaderView). */
  takingOver(): boolean {
    return this.view?.takingOver() ?? false;
  }

  /** Our election node (e.g. `json.info_0000000003`) once we contend. */
  get node(): string | undefined {
    return this.contender?.node;
  }

  async contend(): Promise<void> {
    const probeMs = this.options.leaderProbeIntervalMs ?? 0;
    const contender = new ZooKeeperContender({
      url: this.options.url,
      masterInfo: this.options.masterInfo(),
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      leaderProbe: probeMs > 0 ? { intervalMs: probeMs } : undefined,
    });
    this.contender = contender;
    this.view = new ZooKeeperLeaderView(this.detector, contender, this.options.self);
    contender.onLeadership((event: LeadershipEvent) => {
      this.options.onEvent?.(event);
      if (event.type === 'lost') this.lost(event.reason);
    });
    try {
      await contender.contend();
    } catch (e) {
      // A candidacy lost before election already reported 'lost'; one that never joined is reported here.
      this.lost((e as Error).message);
      throw e;
    }
  }

  private lost(reason: string): void {
    if (this.withdrawn || this.lostReported) return;
    this.lostReported = true;
    this.options.onLost(reason);
  }

  /** Gives up the candidacy at once (isSelf() turns false) but keeps following the leader. */
  async resign(): Promise<void> {
    this.withdrawn = true;
    await this.contender?.withdraw();
  }

  async withdraw(): Promise<void> {
    this.withdrawn = true;
    this.detector.close();
    await this.contender?.withdraw();
  }
}
