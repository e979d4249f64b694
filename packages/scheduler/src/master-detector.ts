// Where the leading master is. The client asks its detector for the next master to try whenever it needs to
// (re)subscribe; a 307 from a non-leader is followed directly and does not consult the detector.
// `StaticMasterDetector` rotates through `--master=h1:5050,h2:5050`; `masterDetectorFor('zk://…/mesos')` gives
// `@mesos-ts/wire`'s ZooKeeperMasterDetector, which implements the same port and also reports leader changes.
import { ZooKeeperMasterDetector, isZooKeeperError, parseZkUrl } from '@mesos-ts/wire';
import { SchedulerError } from './errors.js';

export interface MasterDetector {
  /**
   * The master to try next, as `host:port`. Called again after every failed attempt, so a list-based
   * detector rotates; a leader-election detector answers the current leader (waiting until there is one,
   * or rejecting when `signal` aborts).
   */
  next(signal?: AbortSignal): Promise<string>;
  /** Told which master actually led (after a redirect or a successful subscription) so rotation restarts there. */
  leader?(hostPort: string): void;
  /**
   * Leader-election detectors: calls `listener` whenever the elected leader changes (also to "none"), so the
   * client drops a subscription to a master that no longer leads and re-subscribes at the new one.
   * Returns the unsubscribe function.
   */
  subscribe?(listener: (leader: unknown) => void): () => void;
  close?(): void;
}

/** A detector for `--master`: ZooKeeper's for `zk://…/mesos`, else a rotating list of `host:port`. */
export function masterDetectorFor(master: string): MasterDetector {
  const text = master.trim();
  if (!text.startsWith('zk://')) return new StaticMasterDetector(text);
  return new ZooKeeperMasterDetector({ url: checkZkMaster(text) });
}

/** Validates a `zk://host:2181[,host:2181]/path` master; returns it. */
export function checkZkMaster(text: string): string {
  try {
    parseZkUrl(text);
  } catch (e) {
    if (isZooKeeperError(e)) throw new SchedulerError('INVALID_MASTER', `invalid master '${text}': ${e.message}`, { cause: e });
    throw e;
  }
  return text;
}

/** Parses `h1:5050,h2:5050` (also `http://h1:5050`); a host without a port gets 5050. */
export function parseMasterList(text: string): string[] {
  if (text.startsWith('zk://')) {
    throw new SchedulerError('INVALID_MASTER', `master '${text}' is a ZooKeeper URL, not a list of masters; use masterDetectorFor() (SchedulerClient does) or list the masters as host:port,host:port`);
  }
  const masters = text.split(',').map((raw) => {
    const item = raw.trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(item);
    const port = match?.[2] === undefined ? 5050 : Number(match[2]);
    if (!match || port < 1 || port > 65535) {
      throw new SchedulerError('INVALID_MASTER', `invalid master '${raw.trim()}' in '${text}': expected host:port, e.g. 127.0.0.1:5050,10.0.0.2:5050`);
    }
    return `${match[1]}:${port}`;
  });
  return masters;
}

export class StaticMasterDetector implements MasterDetector {
  private readonly masters: string[];
  private index = -1;

  constructor(masters: string | readonly string[]) {
    this.masters = typeof masters === 'string' ? parseMasterList(masters) : [...masters];
    if (this.masters.length === 0) throw new SchedulerError('INVALID_MASTER', 'the master list is empty; give at least one host:port');
  }

  next(): Promise<string> {
    this.index = (this.index + 1) % this.masters.length;
    return Promise.resolve(this.masters[this.index]!);
  }

  leader(hostPort: string): void {
    const at = this.masters.indexOf(hostPort);
    // The next failure starts over from the leader itself, then the others in order.
    if (at >= 0) this.index = at - 1;
  }
}
