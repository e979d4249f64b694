// The scheduler's HTTP server (`--api`): the REST API under /api, `/health`, and the files agents fetch for
// an executor: `/kafka/<name>` (the --kafka-dist .tgz, or a directory streamed as a .tgz made with tar),
// `/jre/<name>` (the --jre archive) and `/executor/kafka-mesos-<hash>.tgz` (the executor bundle, streamed with tar).
// Only the configured files are served, by their base name.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { createApiServer, listenApi, streamTar, type JsonRouter, type TlsConfig } from '@mesos-ts/framework-kit';
import { bundleTarArgs, type ExecutorBundle } from './executor-bundle.js';

export interface ServedFiles {
  /** A Kafka .tgz or distribution directory. */
  kafkaDist?: string;
  jre?: string;
  executor?: ExecutorBundle;
}

/** A file sent as is, or a .tgz `tar` writes to stdout with these arguments. */
type Served = { file: string } | { tar: string[] };

/** The URL path agents fetch a served file from: a directory is served as `<dir>.tgz`. */
export async function servedName(file: string): Promise<string> {
  const s = await stat(file);
  return s.isDirectory() ? `${path.basename(file)}.tgz` : path.basename(file);
}

/** Serves over HTTPS when `tls` is given (framework-kit's serverTls(): LIBPROCESS_SSL_*). */
export async function startHttpServer(router: JsonRouter, files: ServedFiles, port: number, host: string, tls?: TlsConfig): Promise<{ server: http.Server; url: string }> {
  const served = new Map<string, Served>();
  for (const [prefix, file] of [['kafka', files.kafkaDist], ['jre', files.jre]] as const) {
    if (file === undefined) continue;
    const dir = (await stat(file)).isDirectory();
    served.set(`/${prefix}/${await servedName(file)}`, dir ? { tar: ['-C', path.dirname(file), '-czf', '-', path.basename(file)] } : { file });
  }
  if (files.executor !== undefined) served.set(`/executor/${files.executor.name}`, { tar: bundleTarArgs(files.executor) });
  const api = router.listener();
  const server = createApiServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/health') return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
    const file = served.get(pathname);
    if (file !== undefined && (req.method === 'GET' || req.method === 'HEAD')) return serveFile(file, req, res);
    if (['/kafka/', '/jre/', '/executor/'].some((prefix) => pathname.startsWith(prefix))) {
      return void res.writeHead(404, { 'Content-Type': 'application/json' }).end(`${JSON.stringify({ error: `no such file: ${pathname}; served: ${[...served.keys()].join(', ') || 'nothing (pass --kafka-dist)'}` })}\n`);
    }
    api(req, res);
  }, tls);
  return { server, url: await listenApi(server, port, host) };
}

function serveFile(served: Served, req: http.IncomingMessage, res: http.ServerResponse): void {
  res.setHeader('Content-Type', 'application/octet-stream');
  if (req.method === 'HEAD') return void res.writeHead(200).end();
  if ('file' in served) {
    const stream = createReadStream(served.file);
    stream.on('error', (e) => (res.headersSent ? res.destroy(e) : res.writeHead(500).end(`cannot read ${served.file}: ${e.message}\n`)));
    stream.pipe(res);
    return;
  }
  streamTar(served.tar, res);
}
