// Leader election among launchers sharing one `--zk` state path, as upstream Marathon does: every instance
// serves HTTP, one leads (runs the framework), the others proxy requests to it. Candidacies are ephemeral
// sequential nodes under `<zk path>/leader` holding the instance's address (MasterInfo JSON, so the same
// contender and detector as the masters' do the work, lease-checked). A leader that loses its session stops
// its framework and stands again at the back of the queue; the next one adopts the tasks from the state store.
import { ZooKeeperContender, ZooKeeperMasterDetector, formatLeader, ipv4ToNetworkOrder, parseZkUrl, type LeadershipEvent } from '@mesos-ts/wire';
import type { Logger } from '@mesos-ts/scheduler';

export interface LeadershipOptions {
  /** The launcher's `--zk` (its state path); the election runs under `<path>/leader`. */
  zk: string;
  /** This instance's advertised address. */
  hostname: string;
  port: number;
  /** Runs while elected; the returned function stops it (on loss or shutdown). */
  lead: () => Promise<() => Promise<void>>;
  logger: Logger;
  sessionTimeoutMs?: number;
}

export class Leadership {
  private readonly contender: ZooKeeperContender;
  private readonly detector: ZooKeeperMasterDetector;
  private stopLeading: (() => Promise<void>) | undefined;
  private stopped = false;
  private transition: Promise<void> = Promise.resolve();

  constructor(private readonly o: LeadershipOptions) {
    const url = parseZkUrl(o.zk);
    const election = { ...url, path: `${url.path === '/' ? '' : url.path}/leader` };
    const address = { hostname: o.hostname, ip: o.hostname, port: o.port };
    this.contender = new ZooKeeperContender({
      url: election,
      masterInfo: { id: `marathon-${o.hostname}-${o.port}`, ip: ipv4ToNetworkOrder(o.hostname), port: o.port, hostname: o.hostname, address },
      ...(o.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: o.sessionTimeoutMs }),
    });
    this.detector = new ZooKeeperMasterDetector({ url: election, ...(o.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: o.sessionTimeoutMs }) });
    this.contender.onLeadership((event) => this.onEvent(event));
  }

  /** Joins the election; resolves at once (leading starts in the background once elected). */
  start(): void {
    this.stand();
  }

  /** True while this instance leads (lease-checked). */
  isLeader(): boolean {
    return this.contender.isLeader() && this.stopLeading !== undefined;
  }

  /** `host:port` of the leader as ZooKeeper names it, or undefined while there is none. */
  leader(): string | undefined {
    const seen = this.detector.current();
    return seen === undefined ? undefined : formatLeader(seen);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.contender.withdraw();
    await this.transition;
    await this.stopLeading?.();
    this.stopLeading = undefined;
    this.detector.close();
  }

  private stand(): void {
    if (this.stopped) return;
    this.contender.contend().catch((e: unknown) => {
      // Lost before elected (or ZooKeeper unreachable): the 'lost' event stands again after a pause.
      this.o.logger.warn({ err: e }, 'launcher candidacy ended before it was elected');
    });
  }

  private onEvent(event: LeadershipEvent): void {
    if (event.type === 'elected') {
      this.o.logger.info({ node: event.node }, 'elected leading launcher');
      this.transition = this.transition.then(async () => {
        if (this.stopped || !this.contender.isLeader()) return;
        try {
          this.stopLeading = await this.o.lead();
        } catch (e) {
          // Cannot lead (state store or master unreachable): let the next instance try; stand again later.
          this.o.logger.error({ err: e }, 'elected but could not start the framework; withdrawing');
          await this.contender.withdraw();
          if (!this.stopped) setTimeout(() => this.stand(), 2_000).unref();
        }
      });
    } else if (event.type === 'lost') {
      this.o.logger.warn({ reason: event.reason }, 'launcher leadership lost; stopping the framework and standing again');
      this.transition = this.transition.then(async () => {
        const stop = this.stopLeading;
        this.stopLeading = undefined;
        await stop?.();
        if (!this.stopped) setTimeout(() => this.stand(), 500).unref();
      });
    }
  }
}
