// A stand-in for @mesos-ts/wire's ZooKeeperMasterDetector: the test says who leads (`elect`), and the
// source tells subscribers and waiters as the real one does after a ZooKeeper watch fires.
import type { LeaderAddress } from '@mesos-ts/wire';
import type { LeaderSource } from '../master-detector.js';

export class FakeLeaderSource implements LeaderSource {
  closed = false;
  private leader: LeaderAddress | undefined;
  private readonly listeners = new Set<(leader: unknown) => void>();
  private readonly waiters = new Set<() => void>();

  /** `host:port` becomes the leader (undefined: nobody leads). */
  elect(hostPort: string | undefined): void {
    if (hostPort === undefined) this.leader = undefined;
    else {
      const i = hostPort.lastIndexOf(':');
      this.leader = { hostname: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) };
    }
    for (const l of [...this.listeners]) l(this.leader);
    for (const w of [...this.waiters]) w();
  }

  current(): LeaderAddress | undefined {
    return this.leader;
  }

  next(signal?: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const l = this.leader;
        if (l !== undefined) done(() => resolve(`${l.hostname}:${l.port}`));
        else if (this.closed) done(() => reject(new Error('closed')));
        else if (signal?.aborted) done(() => reject(new Error('aborted')));
      };
      const done = (then: () => void): void => {
        this.waiters.delete(check);
        signal?.removeEventListener('abort', check);
        then();
      };
      this.waiters.add(check);
      signal?.addEventListener('abort', check);
      check();
    });
  }

  subscribe(listener: (leader: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  close(): void {
    this.closed = true;
    for (const w of [...this.waiters]) w();
  }
}
