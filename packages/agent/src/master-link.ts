// The agent's connection to the master: a REGISTER/REREGISTER call whose response is the stream of
// AgentEvents (packages/wire/docs/master-agent-protocol.md). Answers PING with PONG, follows 307 redirects,
// reconnects with backoff (factor doubling to 1 min, with jitter) when the stream ends or goes silent for
// five ping intervals, and posts the agent's other calls with the stream's Mesos-Stream-Id. When the detector
// reports a new leader (ZooKeeper), the link drops its stream and re-registers there at once, without backoff.
// The link owns the detector: stop() closes it (and so its ZooKeeper session).
import http from 'node:http';
import type { Logger } from 'pino';
import type { internal, v1 } from '@mesos-ts/proto';
import { post, subscribe, type ContentType } from '@mesos-ts/wire';
import type { Clock, Timer } from '@mesos-ts/common';
import type { MasterDetector } from './master-detector.js';

export interface MasterLinkOptions {
  detector: MasterDetector;
  clock: Clock;
  log: Logger;
  /** First reconnect delay in ms; doubles up to MAX_BACKOFF_MS. */
  backoffFactorMs: number;
  /** REGISTER for a new agent, REREGISTER (with its tasks) for a known one; called for every attempt. */
  registration: () => internal.AgentCall;
  onRegistered: (registered: internal.AgentEvent.Registered) => void;
  onEvent: (event: internal.AgentEvent) => void;
  onDisconnected: () => void;
  contentType?: ContentType;
  /** The session token the master gave this agent (sent back on REREGISTER), and where to keep a new one. */
  sessionToken?: () => string | undefined;
  /** `Authorization` header of this agent's --credential, sent with every call (master --authenticate_agents). */
  authorization?: string;
  onSessionToken?: (token: string) => Promise<void> | void;
}

/** Header of the master's session token (master runtime/agent-session.ts). */
export const AGENT_SESSION_HEADER = 'Mesos-Agent-Session';

const MAX_BACKOFF_MS = 60_000;
const MISSED_PINGS = 5;
/**
 * First retry delay (ms, before jitter) after a leader change, if below the backoff factor: a just-elected
 * master answers 503 while it reads its registry, for well under a second.
 */
const AFTER_LEADER_CHANGE_BACKOFF_MS = 100;
/** While no master leads, say so this often (ms). */
const WAITING_LOG_MS = 5_000;

export class MasterLink {
  private running = false;
  private streamId: string | undefined;
  private agentId: v1.AgentID | undefined;
  private closeStream: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private masterInfo: v1.MasterInfo | undefined;
  private readonly pool = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private loop: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  /** Cancels the registration attempt in flight (connecting or streaming). */
  private abortAttempt: (() => void) | undefined;
  /** Bumped on every leader change; an attempt begun under an older generation is abandoned. */
  private generation = 0;
  /** Set by a leader change; the loop then restarts backoff and the redirect count. */
  private freshStart = false;
  private offChange: (() => void) | undefined;

  constructor(private readonly opts: MasterLinkOptions) {}

  get connected(): boolean {
    return this.streamId !== undefined;
  }

  get master(): v1.MasterInfo | undefined {
    return this.masterInfo;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.offChange = this.opts.detector.onChange(() => this.leaderChanged());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.closeStream?.();
    this.wake?.();
    await this.loop;
    this.offChange?.();
    this.opts.detector.close();
    this.pool.destroy();
  }

  /** Posts a call on the current stream; false when not connected or the master refused it (caller retries). */
  async send(call: internal.AgentCall): Promise<boolean> {
    const streamId = this.streamId;
    const master = this.opts.detector.current();
    if (streamId === undefined || this.agentId === undefined || master === undefined) return false;
    try {
      const res = await post({
        url: `http://${master}/internal/v1/agent`,
        callType: 'mesosts.internal.v1.AgentCall',
        call: { ...call, agent_id: this.agentId },
        contentType: this.opts.contentType ?? 'application/json',
        headers: { 'Mesos-Stream-Id': streamId, ...(this.opts.authorization ? { Authorization: this.opts.authorization } : {}) },
        agent: this.pool,
      });
      return res.kind === 'response';
    } catch (e) {
      this.opts.log.warn({ err: (e as Error).message, call: call.type }, 'master refused or lost a call; it will be retried');
      return false;
    }
  }

  private async run(): Promise<void> {
    let backoff = this.opts.backoffFactorMs;
    let redirects = 0;
    while (this.running) {
      if (this.freshStart) {
        this.freshStart = false;
        backoff = Math.min(this.opts.backoffFactorMs, AFTER_LEADER_CHANGE_BACKOFF_MS);
        redirects = 0;
      }
      const generation = this.generation;
      const attempt = new AbortController();
      const onStop = (): void => attempt.abort();
      this.stopping.signal.addEventListener('abort', onStop);
      this.abortAttempt = onStop;
      let target: string | undefined;
      let registered = false;
      try {
        target = await this.waitForMaster(attempt.signal);
        const result = await subscribe({
          url: `http://${target}/internal/v1/agent`,
          callType: 'mesosts.internal.v1.AgentCall',
          eventType: 'mesosts.internal.v1.AgentEvent',
          call: this.opts.registration(),
          contentType: this.opts.contentType ?? 'application/json',
          signal: attempt.signal,
          ...sessionHeaders(this.opts.sessionToken?.(), this.opts.authorization),
        });
        if (!this.running || generation !== this.generation) {
          if (result.kind === 'stream') result.close();
          if (!this.running) break;
        } else if (result.kind === 'redirect') {
          this.opts.log.info({ from: target, to: result.url.host }, 'master redirected to the leader');
          this.opts.detector.redirected(result.url.host);
          // Follow a few redirects at once; a redirect loop falls back to the backoff below.
          if (++redirects <= 3) continue;
        } else {
          redirects = 0;
          // Closing must end the loop even if the event iterator never settles after the socket is destroyed.
          let abort!: () => void;
          const aborted = new Promise<IteratorResult<internal.AgentEvent>>((resolve) => {
            abort = () => resolve({ done: true, value: undefined });
          });
          const close = (): void => {
            result.close();
            abort();
          };
          this.closeStream = close;
          let watchdog: Timer | undefined;
          let pingIntervalMs = 15_000;
          const arm = (): void => {
            if (watchdog) watchdog.cancel();
            watchdog = this.opts.clock.setTimer(pingIntervalMs * MISSED_PINGS, () => {
              this.opts.log.warn({ master: target }, `no PING from the master for ${MISSED_PINGS} intervals; reconnecting`);
              close();
            });
          };
          try {
            for (;;) {
              const next = await Promise.race([result.events.next(), aborted]);
              if (next.done) break;
              const event = next.value;
              if (event.type === 'REGISTERED' && event.registered) {
                registered = true;
                backoff = this.opts.backoffFactorMs;
                this.streamId = result.streamId;
                this.agentId = event.registered.agent_id;
                const token = result.headers[AGENT_SESSION_HEADER.toLowerCase()];
                if (typeof token === 'string' && token !== this.opts.sessionToken?.()) await this.opts.onSessionToken?.(token);
                this.masterInfo = event.registered.master_info;
                pingIntervalMs = Math.max(1, event.registered.ping_interval_seconds * 1000);
                arm();
                this.opts.log.info({ master: target, agent_id: this.agentId.value }, 'registered with master');
                this.opts.onRegistered(event.registered);
              } else if (event.type === 'PING' && event.ping) {
                arm();
                void this.send({ type: 'PONG', pong: { sequence: event.ping.sequence } });
              } else if (event.type === 'ERROR') {
                this.opts.log.error({ master: target, message: event.error?.message }, 'master refused the agent');
                this.opts.onEvent(event);
              } else {
                arm();
                this.opts.onEvent(event);
              }
            }
          } finally {
            close();
            if (watchdog) watchdog.cancel();
            this.closeStream = undefined;
          }
        }
      } catch (e) {
        // An attempt cut short by stop() or a leader change is no failure to report.
        if (this.running && generation === this.generation) this.opts.log.warn({ master: target, err: (e as Error).message }, 'cannot register with master; retrying');
      } finally {
        this.stopping.signal.removeEventListener('abort', onStop);
        this.abortAttempt = undefined;
      }
      if (this.streamId !== undefined) {
        this.streamId = undefined;
        this.opts.onDisconnected();
      }
      if (!this.running) break;
      // A new leader: go there now (the loop's top restarts backoff and redirects).
      if (generation !== this.generation) continue;
      if (!registered) this.opts.detector.failed();
      const delay = backoff / 2 + Math.random() * (backoff / 2);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      await new Promise<void>((resolve) => {
        const timer = this.opts.clock.setTimer(delay, resolve);
        this.wake = () => {
          timer.cancel();
          resolve();
        };
      });
      this.wake = undefined;
      // Each attempt may follow a few redirects again: during an election a follower first points at the dead
      // leader and only later at the new one, which a never-reset count would never reach.
      redirects = 0;
    }
  }

  private leaderChanged(): void {
    this.generation++;
    this.freshStart = true;
    this.opts.log.info({ leader: this.opts.detector.current() ?? null }, 'the leading master changed; re-registering');
    this.abortAttempt?.();
    this.closeStream?.();
    this.wake?.();
  }

  /** The master to register with; while nobody leads, waits and says so every WAITING_LOG_MS. */
  private async waitForMaster(signal: AbortSignal): Promise<string> {
    const known = this.opts.detector.current();
    if (known !== undefined) return known;
    const since = this.opts.clock.now();
    let timer: Timer | undefined;
    const tell = (): void => {
      this.opts.log.info({ waited_ms: this.opts.clock.now() - since }, 'no leading master yet; waiting for one to be elected');
      timer = this.opts.clock.setTimer(WAITING_LOG_MS, tell);
    };
    tell();
    try {
      return await this.opts.detector.next(signal);
    } finally {
      if (timer) timer.cancel();
    }
  }
}

function sessionHeaders(token: string | undefined, authorization: string | undefined): { headers?: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers[AGENT_SESSION_HEADER] = token;
  if (authorization !== undefined) headers.Authorization = authorization;
  return Object.keys(headers).length === 0 ? {} : { headers };
}
