// A loopback TCP proxy in front of one server, to cut a single client off the way networks fail:
// `kill()` resets every connection and refuses new ones (the host died: the server sees the socket close, the
// client cannot reconnect); `block()` silently drops all bytes both ways while sockets stay open (a partition:
// nobody notices until timeouts); `heal()` forwards again. Used to expire one ZooKeeper session on purpose.
import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  block(): void;
  kill(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let mode: 'open' | 'blocked' | 'dead' = 'open';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (mode === 'dead') {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (d: Buffer) => void (mode === 'open' && upstream.write(d)));
    upstream.on('data', (d: Buffer) => void (mode === 'open' && client.write(d)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    address: `127.0.0.1:${port}`,
    block: () => void (mode = 'blocked'),
    kill: () => {
      mode = 'dead';
      for (const s of sockets) s.resetAndDestroy();
    },
    heal: () => void (mode = 'open'),
    close: async () => {
      mode = 'dead';
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
