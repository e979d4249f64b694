// A working fake of the master's side of the master <-> agent protocol (packages/wire/docs/master-agent-protocol.md)
// over real HTTP: it assigns agent ids, streams AgentEvents, checks stream ids and content types, records every
// call, and lets a test push events (RUN_TASK, KILL_TASK, PING, …), acknowledge updates, redirect or drop streams.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { internal } from '@mesos-ts/proto';
import { decode, encode, encodeRecord, type ContentType } from '@mesos-ts/wire';
import { HttpError, negotiate, readBody, sendError, sendText } from '../http-util.js';

export interface FakeMasterOptions {
  /** Acknowledge every STATUS_UPDATE that carries a uuid as soon as it arrives. */
  autoAck?: boolean;
  /** Seconds between PINGs announced in REGISTERED (the fake only pings when told to). */
  pingIntervalSeconds?: number;
}

interface Stream {
  id: string;
  agentId: string;
  res: http.ServerResponse;
  contentType: ContentType;
}

type Waiter = { pred: (c: internal.AgentCall) => boolean; resolve: (c: internal.AgentCall) => void };

export class FakeMaster {
  readonly calls: internal.AgentCall[] = [];
  /** 307 every call to this `host:port` when set. */
  redirectTo: string | undefined;
  /** Refuse registration with 503 when true. */
  recovering = false;
  autoAck: boolean;
  private server: http.Server | undefined;
  private readonly streams = new Map<string, Stream>();
  private readonly knownAgents = new Set<string>();
  private waiters: Waiter[] = [];
  private readonly listeners: Array<(c: internal.AgentCall) => void> = [];
  private agentSeq = 0;

  constructor(private readonly opts: FakeMasterOptions = {}) {
    this.autoAck = opts.autoAck ?? false;
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => sendError(res, e));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this.address;
  }

  get address(): string {
    const a = this.server?.address() as AddressInfo | null;
    if (!a) throw new Error('fake master is not listening');
    return `127.0.0.1:${a.port}`;
  }

  /** Agent ids with an open stream. */
  connectedAgents(): string[] {
    return [...this.streams.values()].map((s) => s.agentId);
  }

  /** Sends an event on the (only, or named) agent's stream. */
  send(event: internal.AgentEvent, agentId?: string): void {
    const stream = agentId === undefined ? [...this.streams.values()][0] : this.streamOf(agentId);
    if (!stream) throw new Error(`no agent stream open${agentId ? ` for ${agentId}` : ''}`);
    stream.res.write(encodeRecord(encode(stream.contentType, 'mesosts.internal.v1.AgentEvent', event)));
  }

  /** Ends every agent stream (as a master failover would). */
  dropStreams(): void {
    for (const s of this.streams.values()) s.res.end();
    this.streams.clear();
  }

  /** Calls `cb` with every call from now on (cheaper than polling `calls` in benchmarks). */
  onCall(cb: (c: internal.AgentCall) => void): void {
    this.listeners.push(cb);
  }

  /** Resolves with the first recorded (or future) call matching `pred`. */
  waitForCall(pred: (c: internal.AgentCall) => boolean, timeoutMs = 10_000, from = 0): Promise<internal.AgentCall> {
    const seen = this.calls.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { pred, resolve: (c) => (clearTimeout(timer), resolve(c)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`fake master: no matching call within ${timeoutMs} ms; calls so far: ${this.calls.map((c) => c.type).join(',')}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Waits for a STATUS_UPDATE of `taskId` in `state`. */
  waitForUpdate(taskId: string, state: string, timeoutMs = 10_000): Promise<internal.AgentCall> {
    return this.waitForCall((c) => c.type === 'STATUS_UPDATE' && c.status_update?.status.task_id.value === taskId && c.status_update.status.state === state, timeoutMs);
  }

  updates(taskId: string): string[] {
    return this.calls.filter((c) => c.type === 'STATUS_UPDATE' && c.status_update?.status.task_id.value === taskId).map((c) => c.status_update!.status.state);
  }

  acknowledge(call: internal.AgentCall): void {
    const u = call.status_update;
    if (!u?.status.uuid) throw new Error('not an acknowledgeable STATUS_UPDATE');
    this.send({ type: 'ACKNOWLEDGE', acknowledge: { framework_id: u.framework_id, task_id: u.status.task_id, uuid: u.status.uuid } }, call.agent_id?.value);
  }

  async stop(): Promise<void> {
    this.dropStreams();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private streamOf(agentId: string): Stream | undefined {
    return [...this.streams.values()].find((s) => s.agentId === agentId);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.url !== '/internal/v1/agent') throw new HttpError(404, `no such endpoint ${req.url}`);
    if (req.method !== 'POST') throw new HttpError(405, 'POST only');
    if (this.redirectTo !== undefined) {
      res.writeHead(307, { Location: `//${this.redirectTo}` }).end();
      return;
    }
    const types = negotiate(req);
    const call = decode(types.request, 'mesosts.internal.v1.AgentCall', await readBody(req));
    this.calls.push(call);
    for (const l of this.listeners) l(call);
    for (const w of this.waiters.filter((w) => w.pred(call))) {
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(call);
    }
    if (call.type === 'REGISTER' || call.type === 'REREGISTER') {
      if (this.recovering) throw new HttpError(503, 'master is recovering its registry; retry');
      const agentId = call.type === 'REGISTER' ? `fake-agent-${++this.agentSeq}` : call.agent_id?.value ?? call.reregister?.agent_info.id?.value;
      if (agentId === undefined) throw new HttpError(400, 'REREGISTER without agent_id');
      this.knownAgents.add(agentId);
      const old = this.streamOf(agentId);
      if (old) {
        this.streams.delete(old.id);
        old.res.end();
      }
      const id = randomUUID();
      res.writeHead(200, { 'Content-Type': types.response, 'Mesos-Stream-Id': id });
      const stream: Stream = { id, agentId, res, contentType: types.response };
      this.streams.set(id, stream);
      res.on('close', () => {
        if (this.streams.get(id) === stream) this.streams.delete(id);
      });
      this.send(
        {
          type: 'REGISTERED',
          registered: {
            agent_id: { value: agentId },
            master_info: { id: 'fake-master', ip: 0x0100007f, port: Number(this.address.split(':')[1]), hostname: '127.0.0.1' },
            ping_interval_seconds: this.opts.pingIntervalSeconds ?? 15,
          },
        },
        agentId,
      );
      return;
    }
    const streamId = req.headers['mesos-stream-id'];
    if (typeof streamId !== 'string' || !this.streams.has(streamId)) throw new HttpError(400, `missing or stale Mesos-Stream-Id '${String(streamId)}'`);
    if (!call.agent_id || !this.knownAgents.has(call.agent_id.value)) throw new HttpError(400, 'unknown agent_id');
    sendText(res, 202, '');
    if (call.type === 'STATUS_UPDATE' && this.autoAck && call.status_update?.status.uuid) this.acknowledge(call);
  }
}
