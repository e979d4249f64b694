// Performs the safe scale-down of domain/scale-down.ts against the live cluster, one node at a time: when
// more nodes run than desired (and all of them run), the newest is excluded from shard allocation and from
// the voting configuration, its shards drain to the others, its task is killed, the exclusions are cleared,
// and the loop looks again. The REST calls go to another running node. A failed step is logged and retried
// on the next pass (every few seconds), never leaving the node half-removed without its exclusion cleared.
import type { Logger } from '@mesos-ts/scheduler';
import { exclusionSetting, nextScaleDown, pickNodeToRemove, type ScaleDownState } from '../domain/scale-down.js';
import type { EsScheduler } from './es-scheduler.js';

export interface ScaleDownOptions {
  pollMs?: number;
  /** How long shards may take to move off the node, ms. Default 600000. */
  drainTimeoutMs?: number;
  logger: Logger;
}

export class ScaleDownLoop {
  private state: ScaleDownState = 'idle';
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private busy = false;

  constructor(
    private readonly scheduler: EsScheduler,
    private readonly o: ScaleDownOptions,
  ) {}

  start(): void {
    this.scheduler.onChange(() => this.kick());
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The current step, for logs and tests. */
  get step(): ScaleDownState {
    return this.state;
  }

  private kick(): void {
    if (this.stopped || this.busy) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pass(), 0);
  }

  private async pass(): Promise<void> {
    if (this.stopped || this.busy) return;
    this.busy = true;
    try {
      await this.removeOne();
    } catch (e) {
      this.o.logger.warn({ err: e, step: this.state }, 'scale-down step failed; retrying');
      this.state = 'idle';
    } finally {
      this.busy = false;
      if (!this.stopped) this.timer = setTimeout(() => void this.pass(), this.o.pollMs ?? 3_000);
    }
  }

  private async removeOne(): Promise<void> {
    const s = this.scheduler.state();
    const members = s.nodes.filter((n) => !n.removing);
    if (members.length <= s.desired || !members.every((n) => n.task?.state === 'running')) return;
    const victim = pickNodeToRemove(members, s.desired);
    const peer = members.find((n) => n !== victim)?.task;
    if (victim === undefined || peer === undefined) return;
    const es = `http://${peer.hostname}:${peer.httpPort}`;
    const log = withNode(this.o.logger, victim.name);
    this.state = nextScaleDown(this.state, 'too-many-nodes');
    log.info({ desired: s.desired, nodes: members.length }, 'scale-down: excluding the node from shard allocation and voting');
    try {
      await call(es, 'PUT', '/_cluster/settings', exclusionSetting([victim.name]));
      await call(es, 'POST', `/_cluster/voting_config_exclusions?node_names=${encodeURIComponent(victim.name)}&timeout=60s`);
    } catch (e) {
      this.state = nextScaleDown(this.state, 'failed');
      throw e;
    }
    this.state = nextScaleDown(this.state, 'excluded');
    const drained = await this.waitDrained(es, victim.name);
    this.state = nextScaleDown(this.state, drained ? 'drained' : 'failed');
    if (drained) {
      log.info({}, 'scale-down: no shard left on the node; killing it');
      await this.scheduler.removeNode(victim.name);
      const gone = await this.waitFor(() => !this.scheduler.state().nodes.some((n) => n.name === victim.name), 120_000);
      this.state = nextScaleDown(this.state, gone ? 'killed' : 'failed');
    } else {
      log.warn({}, 'scale-down: shards did not leave the node in time; clearing the exclusion and retrying later');
    }
    await call(es, 'PUT', '/_cluster/settings', exclusionSetting([])).catch((e: unknown) => log.warn({ err: e }, 'clearing the allocation exclusion failed'));
    await call(es, 'DELETE', '/_cluster/voting_config_exclusions?wait_for_removal=false').catch((e: unknown) => log.warn({ err: e }, 'clearing the voting exclusion failed'));
    this.state = nextScaleDown(this.state, 'cleared');
    log.info({ nodes: this.scheduler.state().nodes.length }, 'scale-down step done');
  }

  /** True once no shard is on the node and none is moving. */
  private async waitDrained(es: string, name: string): Promise<boolean> {
    const deadline = Date.now() + (this.o.drainTimeoutMs ?? 600_000);
    while (!this.stopped && Date.now() < deadline) {
      const shards = (await call(es, 'GET', '/_cat/shards?format=json&h=index,shard,prirep,state,node').catch(() => undefined)) as Array<{ state?: string; node?: string | null }> | undefined;
      if (shards !== undefined) {
        const onNode = shards.filter((x) => typeof x.node === 'string' && (x.node === name || x.node.startsWith(`${name} `) || x.node.endsWith(` ${name}`)));
        const moving = shards.filter((x) => x.state !== 'STARTED' && x.state !== 'UNASSIGNED');
        if (onNode.length === 0 && moving.length === 0) return true;
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
    return false;
  }

  private async waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stopped && Date.now() < deadline) {
      if (done()) return true;
      await new Promise((r) => setTimeout(r, 500));
    }
    return done();
  }
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    signal: AbortSignal.timeout(90_000),
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} on ${base}: ${res.status} ${text.slice(0, 300)}`);
  return text === '' ? undefined : JSON.parse(text);
}

function withNode(l: Logger, node: string): Logger {
  return {
    debug: (f, m) => l.debug({ node, ...f }, m),
    info: (f, m) => l.info({ node, ...f }, m),
    warn: (f, m) => l.warn({ node, ...f }, m),
    error: (f, m) => l.error({ node, ...f }, m),
  };
}
