// A small but working stand-in for a Mesos master's `/api/v1/scheduler`, for testing scheduler clients over
// real HTTP on 127.0.0.1. It negotiates content types like Mesos (400/415/406), streams RecordIO events with a
// Mesos-Stream-Id (one event per chunk), sends HEARTBEATs, enforces the stream id on calls (400) and
// subscription (403), redirects with 307 `//leader:port` when told it is not the leader, launches tasks from
// ACCEPT (TASK_RUNNING with a uuid that must be ACKNOWLEDGEd), kills them, answers explicit and implicit
// reconciliation, and can drop every connection as a crashing master would. Not a product: test fake only.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { scheduler, v1 } from '@mesos-ts/proto';
import { decode, encode, encodeRecord, requestContentType, responseContentType, type ContentType } from '@mesos-ts/wire';

export interface FakeMasterOptions {
  /** HEARTBEAT period announced in SUBSCRIBED and used for sending, seconds. Default 15. */
  heartbeatIntervalSeconds?: number;
  /** When set, every request is answered 307 `Location: //<redirectTo>`. */
  redirectTo?: string;
  /** Port to listen on (reuse a dead master's port to "restart" it). Default 0 = any free port. */
  port?: number;
}

export interface FakeTask {
  taskId: string;
  agentId: string;
  state: v1.TaskState;
}

export interface FakeFramework {
  id: string;
  info: v1.FrameworkInfo;
  streamId: string | undefined;
  suppressedRoles: string[];
  tasks: Map<string, FakeTask>;
  /** uuids (base64) of updates sent and not yet acknowledged. */
  unacknowledged: Set<string>;
}

export interface ReceivedCall {
  call: scheduler.Call;
  contentType: ContentType;
  streamId: string | undefined;
  /** The call's Authorization header, if any (the SDK's credential). */
  authorization?: string;
}

interface Stream {
  res: http.ServerResponse;
  contentType: ContentType;
  frameworkId: string;
  heartbeat: NodeJS.Timeout | undefined;
}

export class FakeMaster {
  readonly frameworks = new Map<string, FakeFramework>();
  /** Every call received, in order (SUBSCRIBE included), for assertions. */
  readonly calls: ReceivedCall[] = [];
  redirectTo: string | undefined;
  /** Set false to leave RECONCILE calls unanswered (as while agents have not re-registered). */
  answerReconcile = true;
  /** Set false to answer 503 (a master still recovering its registry). */
  available = true;
  /** How many requests were answered with a 307. */
  redirects = 0;
  /** Set false to go silent (no HEARTBEATs) while keeping streams open. */
  heartbeats = true;
  private readonly streams = new Set<Stream>();
  private readonly waiters = new Set<() => void>();
  private nextId = 0;

  private constructor(
    private readonly server: http.Server,
    readonly hostPort: string,
    private readonly heartbeatSeconds: number,
    options: FakeMasterOptions,
  ) {
    this.redirectTo = options.redirectTo;
  }

  static async start(options: FakeMasterOptions = {}): Promise<FakeMaster> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const master = new FakeMaster(server, `127.0.0.1:${port}`, options.heartbeatIntervalSeconds ?? 15, options);
    server.on('request', (req, res) => master.handle(req, res));
    return master;
  }

  get url(): string {
    return `http://${this.hostPort}/api/v1/scheduler`;
  }

  /** Resolves with the first received call (past or future) matching `pred`; rejects after `timeoutMs`. */
  waitForCall(pred: (c: ReceivedCall) => boolean, timeoutMs = 5_000): Promise<ReceivedCall> {
    return this.waitUntil(() => this.calls.find(pred), `a matching call (got ${this.calls.map((c) => c.call.type).join(',')})`, timeoutMs);
  }

  /** Polls `probe` whenever a call arrives and every 10 ms; resolves with its first defined answer. */
  waitUntil<T>(probe: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = probe();
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake master: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const poll = setInterval(check, 10);
      const cleanup = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Sends OFFERS to a subscribed framework. */
  sendOffers(frameworkId: string, offers: v1.Offer[]): void {
    this.send(frameworkId, { type: 'OFFERS', offers: { offers } });
  }

  /** Sends a status UPDATE; with `uuid` the framework must acknowledge it. */
  sendUpdate(frameworkId: string, status: v1.TaskStatus): void {
    const fw = this.frameworks.get(frameworkId);
    if (fw !== undefined && status.uuid !== undefined) fw.unacknowledged.add(Buffer.from(status.uuid).toString('base64'));
    this.send(frameworkId, { type: 'UPDATE', update: { status } });
  }

  send(frameworkId: string, event: scheduler.Event): void {
    for (const s of this.streams) if (s.frameworkId === frameworkId) write(s, event);
  }

  /** Destroys every open stream (a crash or network cut, not a clean close). */
  dropStreams(): void {
    for (const s of [...this.streams]) s.res.destroy();
  }

  async close(): Promise<void> {
    this.dropStreams();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        this.dispatch(req, res, Buffer.concat(chunks));
      } catch (e) {
        reply(res, 400, `Failed to parse body into Call protobuf: ${(e as Error).message}`);
      }
    });
  }

  private dispatch(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    if (this.redirectTo !== undefined) {
      this.redirects++;
      res.writeHead(307, { Location: `//${this.redirectTo}` }).end();
      return;
    }
    if (!this.available) return reply(res, 503, 'Master is recovering');
    if (req.method !== 'POST') return reply(res, 405, 'Expecting POST');
    if (req.url !== '/api/v1/scheduler') return reply(res, 404, `no route ${req.url}`);
    const type = requestContentType(req.headers['content-type']);
    if (!type.ok) return reply(res, type.status, type.message);
    const call = decode(type.contentType, 'mesos.v1.scheduler.Call', body);
    const header = req.headers['mesos-stream-id'];
    const streamId = Array.isArray(header) ? header[0] : header;
    const authorization = req.headers.authorization;
    this.calls.push({ call, contentType: type.contentType, streamId, ...(authorization === undefined ? {} : { authorization }) });
    try {
      if (call.type === 'SUBSCRIBE') return this.subscribe(req, res, call, streamId);
      const fw = call.framework_id === undefined ? undefined : this.frameworks.get(call.framework_id.value);
      if (fw === undefined) return reply(res, 400, 'Framework cannot be found');
      if (fw.streamId === undefined) return reply(res, 403, 'Framework is not subscribed');
      if (streamId !== fw.streamId) return reply(res, 400, `The stream ID '${streamId ?? ''}' included in this request didn't match the stream ID currently associated with framework ID ${fw.id}`);
      this.apply(fw, call, res);
    } finally {
      for (const w of [...this.waiters]) w();
    }
  }

  private subscribe(req: http.IncomingMessage, res: http.ServerResponse, call: scheduler.Call, streamId: string | undefined): void {
    const accept = responseContentType(req.headers.accept);
    if (!accept.ok) return reply(res, accept.status, accept.message);
    if (streamId !== undefined) return reply(res, 400, 'Subscribe calls should not include the \'Mesos-Stream-Id\' header');
    const info = call.subscribe?.framework_info;
    if (info === undefined) return reply(res, 400, 'Expecting \'subscribe\' to be present');
    const claimed = info.id?.value;
    if (claimed !== undefined && call.framework_id?.value !== claimed) return reply(res, 400, "'framework_id' differs from 'subscribe.framework_info.id'");
    const id = claimed ?? `fake-framework-${this.nextId++}`;
    const fw: FakeFramework = this.frameworks.get(id) ?? { id, info, streamId: undefined, suppressedRoles: [], tasks: new Map(), unacknowledged: new Set() };
    fw.info = { ...info, id: { value: id } };
    fw.suppressedRoles = call.subscribe?.suppressed_roles ?? [];
    // A failover replaces the old subscription: its stream is closed, as Mesos does.
    for (const s of [...this.streams]) if (s.frameworkId === id) s.res.end();
    fw.streamId = randomUUID();
    this.frameworks.set(id, fw);
    res.writeHead(200, { 'Content-Type': accept.contentType, 'Mesos-Stream-Id': fw.streamId });
    const stream: Stream = { res, contentType: accept.contentType, frameworkId: id, heartbeat: undefined };
    this.streams.add(stream);
    const streamOf = fw.streamId;
    res.on('close', () => {
      clearInterval(stream.heartbeat);
      this.streams.delete(stream);
      if (fw.streamId === streamOf) fw.streamId = undefined;
    });
    const [host, port] = this.hostPort.split(':') as [string, string];
    write(stream, {
      type: 'SUBSCRIBED',
      subscribed: {
        framework_id: { value: id },
        heartbeat_interval_seconds: this.heartbeatSeconds,
        master_info: { id: 'fake-master', ip: 0x0100007f, port: Number(port), hostname: host },
      },
    });
    stream.heartbeat = setInterval(() => {
      if (this.heartbeats) write(stream, { type: 'HEARTBEAT' });
    }, this.heartbeatSeconds * 1000);
  }

  private apply(fw: FakeFramework, call: scheduler.Call, res: http.ServerResponse): void {
    switch (call.type) {
      case 'ACCEPT':
        reply(res, 202);
        for (const op of call.accept?.operations ?? []) {
          for (const task of op.type === 'LAUNCH' ? (op.launch?.task_infos ?? []) : []) this.launch(fw, task);
        }
        return;
      case 'KILL': {
        reply(res, 202);
        const task = fw.tasks.get(call.kill?.task_id.value ?? '');
        if (task !== undefined) this.transition(fw, task, 'TASK_KILLED');
        return;
      }
      case 'ACKNOWLEDGE': {
        const uuid = Buffer.from(call.acknowledge?.uuid ?? new Uint8Array()).toString('base64');
        if (!fw.unacknowledged.delete(uuid)) return reply(res, 400, `Unknown status update uuid ${uuid}`);
        return reply(res, 202);
      }
      case 'RECONCILE':
        reply(res, 202);
        if (this.answerReconcile) this.reconcile(fw, call.reconcile?.tasks ?? []);
        return;
      case 'SUPPRESS':
      case 'REVIVE': {
        const roles = (call.type === 'SUPPRESS' ? call.suppress?.roles : call.revive?.roles) ?? [];
        const all = roles.length > 0 ? roles : (fw.info.roles ?? [fw.info.role ?? '*']);
        fw.suppressedRoles = call.type === 'SUPPRESS' ? [...new Set([...fw.suppressedRoles, ...all])] : fw.suppressedRoles.filter((r) => !all.includes(r));
        return reply(res, 202);
      }
      case 'UPDATE_FRAMEWORK':
        fw.info = { ...(call.update_framework?.framework_info ?? fw.info), id: { value: fw.id } };
        return reply(res, 200);
      case 'TEARDOWN':
        reply(res, 202);
        this.frameworks.delete(fw.id);
        for (const s of [...this.streams]) if (s.frameworkId === fw.id) s.res.end();
        return;
      case 'DECLINE':
      case 'MESSAGE':
      case 'SHUTDOWN':
      case 'ACKNOWLEDGE_OPERATION_STATUS':
        return reply(res, 202);
      default:
        return reply(res, 400, `Call type ${call.type} is not supported by the fake master`);
    }
  }

  private launch(fw: FakeFramework, info: v1.TaskInfo): void {
    const task: FakeTask = { taskId: info.task_id.value, agentId: info.agent_id.value, state: 'TASK_STAGING' };
    fw.tasks.set(task.taskId, task);
    this.transition(fw, task, 'TASK_RUNNING');
  }

  private transition(fw: FakeFramework, task: FakeTask, state: v1.TaskState): void {
    task.state = state;
    this.sendUpdate(fw.id, {
      task_id: { value: task.taskId },
      agent_id: { value: task.agentId },
      state,
      source: 'SOURCE_EXECUTOR',
      uuid: new Uint8Array(Buffer.from(randomUUID().replaceAll('-', ''), 'hex')),
    });
  }

  private reconcile(fw: FakeFramework, wanted: scheduler.Call.Reconcile.Task[]): void {
    const answer = (taskId: string, agentId: string | undefined, state: v1.TaskState): void =>
      this.send(fw.id, {
        type: 'UPDATE',
        update: {
          status: { task_id: { value: taskId }, ...(agentId === undefined ? {} : { agent_id: { value: agentId } }), state, source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' },
        },
      });
    if (wanted.length === 0) {
      for (const t of fw.tasks.values()) answer(t.taskId, t.agentId, t.state);
      return;
    }
    for (const w of wanted) {
      const t = fw.tasks.get(w.task_id.value);
      // Unknown to this master (e.g. it restarted and the agent has not re-registered): LOST to a
      // non-partition-aware framework.
      answer(w.task_id.value, t?.agentId ?? w.agent_id?.value, t?.state ?? 'TASK_LOST');
    }
  }
}

function write(stream: Stream, event: scheduler.Event): void {
  if (stream.res.destroyed || stream.res.writableEnded) return;
  stream.res.write(encodeRecord(encode(stream.contentType, 'mesos.v1.scheduler.Event', event)));
}

function reply(res: http.ServerResponse, status: number, text = ''): void {
  res.writeHead(status, text === '' ? {} : { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
}
