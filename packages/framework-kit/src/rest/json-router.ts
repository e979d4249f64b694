// A tiny JSON router for a framework's own REST API (kafka-mesos style `GET /api/broker/add?broker=0&cpus=1`,
// Marathon style `POST /v2/apps` with a JSON body). Handlers return a JSON value or throw HttpError; every
// failure becomes a JSON error body `{"error": "…"}` with a message saying what was wrong — a bad request
// never takes the server down. KitError INVALID_* (bad expressions, constraints, durations…) map to 400.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KitError } from '../errors.js';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface JsonRequest {
  method: string;
  path: string;
  /** Query parameters; `query.get('broker')`. */
  query: URLSearchParams;
  /** Named path segments: `/v2/apps/:id` gives `params.id`. */
  params: Record<string, string>;
  /** Parsed JSON body, undefined when empty. */
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

/** A handler's answer with a status other than 200 (e.g. 201, 202, 204). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

/** A JSON value to send with 200, or a Reply. */
export type JsonHandler = (req: JsonRequest) => unknown;

interface Route {
  method: string;
  segments: string[];
  handler: JsonHandler;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class JsonRouter {
  private readonly routes: Route[] = [];

  get(path: string, handler: JsonHandler): this {
    return this.route('GET', path, handler);
  }
  post(path: string, handler: JsonHandler): this {
    return this.route('POST', path, handler);
  }
  put(path: string, handler: JsonHandler): this {
    return this.route('PUT', path, handler);
  }
  delete(path: string, handler: JsonHandler): this {
    return this.route('DELETE', path, handler);
  }

  route(method: string, path: string, handler: JsonHandler): this {
    this.routes.push({ method, segments: split(path), handler });
    return this;
  }

  /** Answers one request (pure with respect to sockets: takes the parsed parts, returns status and body). */
  async dispatch(method: string, url: string, rawBody: string, headers: http.IncomingHttpHeaders = {}): Promise<Reply> {
    const parsed = new URL(url, 'http://localhost');
    const segments = split(parsed.pathname);
    const matching = this.routes.map((r) => ({ r, params: match(r.segments, segments) })).filter((m) => m.params !== undefined);
    if (matching.length === 0) return error(404, `no such endpoint: ${parsed.pathname}`);
    const found = matching.find((m) => m.r.method === method);
    if (found === undefined) return error(405, `${method} is not allowed on ${parsed.pathname}; use ${[...new Set(matching.map((m) => m.r.method))].join(' or ')}`);
    let body: unknown;
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch (e) {
        return error(400, `request body is not valid JSON: ${(e as Error).message}`);
      }
    }
    try {
      const result = await found.r.handler({ method, path: parsed.pathname, query: parsed.searchParams, params: found.params!, body, headers });
      return result instanceof Reply ? result : new Reply(200, result ?? {});
    } catch (e) {
      if (e instanceof HttpError) return error(e.status, e.message);
      if (e instanceof KitError && e.code.startsWith('INVALID_')) return error(400, e.message);
      return error(500, `internal error: ${(e as Error).message ?? String(e)}`);
    }
  }

  /** A node request listener serving this router. */
  listener(): http.RequestListener {
    return (req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY_BYTES) chunks.push(c);
      });
      req.on('end', () => {
        const reply = size > MAX_BODY_BYTES
          ? Promise.resolve(error(413, `request body over ${MAX_BODY_BYTES} bytes`))
          : this.dispatch(req.method ?? 'GET', req.url ?? '/', Buffer.concat(chunks).toString('utf8'), req.headers);
        void reply.then(({ status, body }) => {
          const text = status === 204 ? '' : `${JSON.stringify(body)}\n`;
          res.writeHead(status, status === 204 ? {} : { 'Content-Type': 'application/json' }).end(text);
        });
      });
    };
  }

  /** Serves the router on host:port (port 0 = any); resolves with the server and its base URL. */
  async listen(port: number, host = '127.0.0.1'): Promise<{ server: http.Server; url: string }> {
    const server = http.createServer(this.listener());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    return { server, url: `http://${host}:${address.port}` };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function match(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const a = actual[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(a);
    else if (p !== a) return undefined;
  }
  return params;
}

function error(status: number, message: string): Reply {
  return new Reply(status, { error: message });
}
