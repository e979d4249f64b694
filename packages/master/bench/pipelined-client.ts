// A minimal HTTP/1.1 client that pipelines POSTs on one keep-alive connection, for the benchmark's load
// generators only: node's http client sends one request per socket at a time and costs more CPU per call than
// the master spends handling it, so with it the load generator, not the master, is what gets measured.
// Requests are written as soon as they are made (one write per event-loop turn, corked); responses come back
// in order (HTTP/1.1 pipelining) and must carry Content-Length, which every non-streaming master answer does.
// The master closes idle keep-alive connections (node's 5 s keepAliveTimeout): an idle closed connection is
// reopened by the next post; a connection lost with requests in flight fails them.
import net from 'node:net';

interface Pending {
  resolve(status: number): void;
  reject(e: Error): void;
}

export class PipelinedConnection {
  private socket: net.Socket;
  private readonly pending: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private corked = false;
  private readonly head: string;
  private readonly url: URL;

  /** `url` is the endpoint, e.g. http://127.0.0.1:5050/internal/v1/agent. */
  constructor(url: string, contentType: string, headers: Record<string, string>) {
    this.url = new URL(url);
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    this.head = `POST ${this.url.pathname} HTTP/1.1\r\nHost: ${this.url.host}\r\nContent-Type: ${contentType}\r\nAccept: ${contentType}\r\n${extra}Content-Length: `;
    this.socket = this.connect();
  }

  private connect(): net.Socket {
    const socket = net.connect({ host: this.url.hostname, port: Number(this.url.port), noDelay: true });
    this.buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.fail(socket, e));
    socket.on('close', () => this.fail(socket, new Error('connection closed')));
    return socket;
  }

  /** Sends one POST; resolves with the status (2xx) or rejects with the status line and body text. */
  post(body: Uint8Array): Promise<number> {
    if (this.socket.destroyed) this.socket = this.connect();
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(`${this.head}${body.length}\r\n\r\n`, 'latin1');
    this.socket.write(body);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buffer.toString('latin1', 0, end);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? NaN);
      if (!Number.isFinite(length)) return this.fail(this.socket, new Error(`response without Content-Length: ${head.split('\r\n')[0] ?? ''}`));
      if (this.buffer.length < end + 4 + length) return;
      const body = this.buffer.toString('utf8', end + 4, end + 4 + length);
      this.buffer = this.buffer.subarray(end + 4 + length);
      const status = Number(head.slice(9, 12));
      const p = this.pending.shift();
      if (status >= 200 && status < 300) p?.resolve(status);
      else p?.reject(new Error(`${head.split('\r\n')[0] ?? ''}: ${body}`));
    }
  }

  private fail(socket: net.Socket, e: Error): void {
    socket.destroy();
    if (socket !== this.socket) return;
    for (const p of this.pending.splice(0)) p.reject(e);
  }
}
