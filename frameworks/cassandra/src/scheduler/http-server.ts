// The scheduler's HTTP server (on $PORT0 under the launcher, 18080 standalone): the REST API, the executor bundle
// (`/executor/cassandra-mesos-<hash>.tgz`, framework-kit's executorBundle streamed through tar), and the Cassandra
// distribution agents fetch for a node (upstream's executor downloads apache-cassandra-<v>-bin.tar.gz from the
// scheduler too): `/cassandra/<name>.tgz`, the CASSANDRA_DIST .tgz as is, or a distribution directory streamed
// through `tar`. Only that one file is served. Bound on $HOST, and on 127.0.0.1 too (health checks).
// HTTPS when given `tls` (framework-kit's serverTls(): LIBPROCESS_SSL_*), on both addresses.
import { createReadStream, statSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { bundleTarArgs, createApiServer, listenApi, streamTar, type ExecutorBundle, type JsonRouter, type TlsConfig } from '@mesos-ts/framework-kit';

/** The URL path of a distribution (a directory is served as `<dir>.tgz`). */
export function distributionPath(dist: string): string {
  return `/cassandra/${statSync(dist).isDirectory() ? `${path.basename(dist)}.tgz` : path.basename(dist)}`;
}

export async function startHttpServer(router: JsonRouter, dist: string | undefined, port: number, host: string, executor?: ExecutorBundle, tls?: TlsConfig): Promise<{ servers: http.Server[]; port: number }> {
  const served = dist === undefined ? undefined : distributionPath(dist);
  const api = router.listener();
  const server = createApiServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (executor !== undefined && pathname === `/executor/${executor.name}` && (req.method === 'GET' || req.method === 'HEAD')) {
      res.setHeader('Content-Type', 'application/octet-stream');
      if (req.method === 'HEAD') return void res.writeHead(200).end();
      return streamTar(bundleTarArgs(executor), res);
    }
    if (!pathname.startsWith('/cassandra/')) return api(req, res);
    if (pathname !== served || dist === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return void res.writeHead(404, { 'Content-Type': 'application/json' }).end(`${JSON.stringify({ error: `no such file: ${pathname}; served: ${served ?? 'nothing (set CASSANDRA_DIST)'}` })}\n`);
    }
    res.setHeader('Content-Type', 'application/octet-stream');
    if (req.method === 'HEAD') return void res.writeHead(200).end();
    if (!statSync(dist).isDirectory()) {
      const stream = createReadStream(dist);
      stream.on('error', (e) => (res.headersSent ? res.destroy(e) : res.writeHead(500).end(`cannot read ${dist}: ${e.message}\n`)));
      return void stream.pipe(res);
    }
    streamTar(['-C', path.dirname(dist), '-czf', '-', path.basename(dist)], res);
  }, tls);
  await listenApi(server, port, host);
  const bound = (server.address() as AddressInfo).port;
  // Mesos HTTP health checks (the launcher's /health/process) GET 127.0.0.1:<port>, as upstream's agent does from
  // inside the task's network: on another address, answer there too.
  const servers = [server];
  if (host !== '127.0.0.1' && host !== '0.0.0.0' && host !== '::') {
    const loopback = createApiServer(server.listeners('request')[0] as http.RequestListener, tls);
    await listenApi(loopback, bound, '127.0.0.1').then(
      () => servers.push(loopback),
      () => undefined,
    );
  }
  return { servers, port: bound };
}
