// A small but working stand-in for an agent's `/api/v1/executor`, for testing executors over real HTTP on
// 127.0.0.1: content negotiation like Mesos (400/415/406), SUBSCRIBE streams RecordIO events (SUBSCRIBED
// first), a newer subscription replaces the old stream, UPDATE requires a uuid and is ACKNOWLEDGED (at once,
// or when the test says so), calls from an unsubscribed executor get 403, and every connection can be dropped
// (an agent restart: reuse the port with `start({ port })`). Not a product: test fake only.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { executor, v1 } from '@mesos-ts/proto';
import { decode, encode, encodeRecord, requestContentType, responseContentType, type ContentType } from '@mesos-ts/wire';

export interface FakeAgentOptions {
  frameworkId?: string;
  executorId?: string;
  /** Acknowledge every update as soon as it arrives. Default true. */
  autoAcknowledge?: boolean;
  port?: number;
}

export interface ReceivedExecutorCall {
  call: executor.Call;
  contentType: ContentType;
  headers: http.IncomingHttpHeaders;
}

export class FakeAgent {
  readonly calls: ReceivedExecutorCall[] = [];
  /** Updates received (UPDATE calls and those listed in SUBSCRIBE), in order, duplicates included. */
  readonly updates: v1.TaskStatus[] = [];
  /** Updates not acknowledged yet, by uuid hex. */
  readonly unacknowledged = new Map<string, v1.TaskStatus>();
  autoAcknowledge: boolean;
  readonly frameworkId: string;
  readonly executorId: string;
  private stream: { res: http.ServerResponse; contentType: ContentType } | undefined;

  private constructor(
    private readonly server: http.Server,
    readonly endpoint: string,
    options: FakeAgentOptions,
  ) {
    this.frameworkId = options.frameworkId ?? 'fake-framework';
    this.executorId = options.executorId ?? 'fake-executor';
    this.autoAcknowledge = options.autoAcknowledge ?? true;
  }

  static async start(options: FakeAgentOptions = {}): Promise<FakeAgent> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const agent = new FakeAgent(server, `127.0.0.1:${(server.address() as AddressInfo).port}`, options);
    server.on('request', (req, res) => agent.handle(req, res));
    return agent;
  }

  /** The environment an agent would give this executor. */
  environment(extra: Record<string, string> = {}): Record<string, string> {
    return { MESOS_AGENT_ENDPOINT: this.endpoint, MESOS_FRAMEWORK_ID: this.frameworkId, MESOS_EXECUTOR_ID: this.executorId, ...extra };
  }

  get subscribed(): boolean {
    return this.stream !== undefined;
  }

  launch(task: v1.TaskInfo): void {
    this.send({ type: 'LAUNCH', launch: { task } });
  }

  kill(taskId: string): void {
    this.send({ type: 'KILL', kill: { task_id: { value: taskId } } });
  }

  sendMessage(data: Uint8Array): void {
    this.send({ type: 'MESSAGE', message: { data } });
  }

  shutdown(): void {
    this.send({ type: 'SHUTDOWN' });
  }

  /** Acknowledges every pending update (as when the scheduler finally acknowledges). */
  acknowledgeAll(): void {
    for (const [hex, status] of [...this.unacknowledged]) {
      this.unacknowledged.delete(hex);
      this.send({ type: 'ACKNOWLEDGED', acknowledged: { task_id: status.task_id, uuid: status.uuid! } });
    }
  }

  send(event: executor.Event): void {
    const s = this.stream;
    if (s === undefined || s.res.destroyed || s.res.writableEnded) return;
    s.res.write(encodeRecord(encode(s.contentType, 'mesos.v1.executor.Event', event)));
  }

  /** Polls `probe` every 10 ms until it returns something; rejects after `timeoutMs`. */
  waitUntil<T>(probe: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const tick = setInterval(() => {
        const found = probe();
        if (found !== undefined) {
          clearInterval(tick);
          resolve(found);
        } else if (Date.now() - started > timeoutMs) {
          clearInterval(tick);
          reject(new Error(`fake agent: timed out after ${timeoutMs} ms waiting for ${what}`));
        }
      }, 10);
    });
  }

  dropStreams(): void {
    this.stream?.res.destroy();
    this.stream = undefined;
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
        reply(res, 400, `Failed to parse body into Call: ${(e as Error).message}`);
      }
    });
  }

  private dispatch(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    if (req.method !== 'POST') return reply(res, 405, 'Expecting POST');
    if (req.url !== '/api/v1/executor') return reply(res, 404, `no route ${req.url}`);
    const type = requestContentType(req.headers['content-type']);
    if (!type.ok) return reply(res, type.status, type.message);
    const call = decode(type.contentType, 'mesos.v1.executor.Call', body);
    this.calls.push({ call, contentType: type.contentType, headers: req.headers });
    if (call.framework_id.value !== this.frameworkId || call.executor_id.value !== this.executorId) {
      return reply(res, 400, `Executor ${call.executor_id.value} of framework ${call.framework_id.value} is not known to this agent`);
    }
    if (call.type === 'SUBSCRIBE') return this.subscribe(req, res, call);
    if (this.stream === undefined) return reply(res, 403, 'Executor is not subscribed');
    switch (call.type) {
      case 'UPDATE': {
        const status = call.update?.status;
        if (status?.uuid === undefined || status.uuid.length === 0) return reply(res, 400, "Expecting 'uuid' to be present in the status update");
        if (status.state === 'TASK_STAGING') return reply(res, 400, "Executors may not send 'TASK_STAGING'");
        reply(res, 202);
        return this.received(status);
      }
      case 'MESSAGE':
      case 'HEARTBEAT':
        return reply(res, 202);
      default:
        return reply(res, 400, `Call type ${call.type} is not supported`);
    }
  }

  private subscribe(req: http.IncomingMessage, res: http.ServerResponse, call: executor.Call): void {
    const accept = responseContentType(req.headers.accept);
    if (!accept.ok) return reply(res, accept.status, accept.message);
    this.stream?.res.end();
    res.writeHead(200, { 'Content-Type': accept.contentType });
    const stream = { res, contentType: accept.contentType };
    this.stream = stream;
    res.on('close', () => {
      if (this.stream === stream) this.stream = undefined;
    });
    this.send({
      type: 'SUBSCRIBED',
      subscribed: {
        executor_info: { executor_id: { value: this.executorId }, framework_id: { value: this.frameworkId }, type: 'CUSTOM', command: { value: 'executor' } },
        framework_info: { user: 'nobody', name: 'fake', id: { value: this.frameworkId }, checkpoint: true },
        agent_info: { hostname: '127.0.0.1', port: Number(this.endpoint.split(':')[1]), id: { value: 'fake-agent' } },
        container_id: { value: 'fake-container' },
      },
    });
    // The agent takes over updates it never confirmed (it restarted): they are delivered again.
    for (const u of call.subscribe?.unacknowledged_updates ?? []) this.received(u.status);
  }

  private received(status: v1.TaskStatus): void {
    this.updates.push(status);
    const hex = Buffer.from(status.uuid!).toString('hex');
    this.unacknowledged.set(hex, status);
    if (this.autoAcknowledge) this.acknowledgeAll();
  }
}

function reply(res: http.ServerResponse, status: number, text = ''): void {
  res.writeHead(status, text === '' ? {} : { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
}
