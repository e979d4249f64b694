// HTTP client for Mesos v1 endpoints (scheduler, executor, operator): `subscribe()` for streaming calls that
// answer with a RecordIO stream of events, `post()` for ordinary calls. Both use node:http, report a leader
// redirect (307 `Location: //host:port`) as data, and turn every failure into a WireError.
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { MessageName, MessageTypes } from '@mesos-ts/proto';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, decode, encode, type ContentType } from './codec.js';
import { WireError } from './errors.js';
import { RecordIODecoder } from './recordio.js';
import { clientTlsOptions, defaultClientTls, type TlsConfig } from './security/tls.js';

export interface CallRequest<C extends MessageName> {
  /** Endpoint URL, e.g. `http://127.0.0.1:5050/api/v1/scheduler`. */
  url: string | URL;
  /** Message type of the call, e.g. `mesos.v1.scheduler.Call`. */
  callType: C;
  call: MessageTypes[C];
  /** Encoding of the request body; default JSON. */
  contentType?: ContentType;
  /** Encoding asked for in the response (Accept); default: the request's content type. */
  accept?: ContentType;
  /** Extra headers, e.g. `Mesos-Stream-Id` or `Authorization`. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** What the peer is called in error messages ("cannot reach master at …"); default `master`. */
  peer?: string;
  /** Connection pool; default a dedicated connection for streams, node's global agent for plain posts. */
  agent?: http.Agent;
  /**
   * TLS: default the process's (LIBPROCESS_SSL_* environment, or setClientTls()). With TLS an `http://` URL is
   * sent over HTTPS, verifying the server against the CA. `false`: plain HTTP whatever the environment says.
   */
  tls?: TlsConfig | false;
}

/** The peer is not the leader: retry against `url` (the request URL re-targeted at the leader). */
export interface Redirect {
  kind: 'redirect';
  status: number;
  /** The raw Location header, e.g. `//10.0.0.2:5050`. */
  location: string;
  url: URL;
}

export interface EventStream<E extends MessageName> {
  kind: 'stream';
  status: number;
  headers: IncomingHttpHeaders;
  /** `Mesos-Stream-Id` (scheduler API); later calls of this subscription must send it back. */
  streamId: string | undefined;
  contentType: ContentType;
  /** Decoded events. Ends when the peer closes the stream cleanly; throws WireError otherwise. */
  events: AsyncIterableIterator<MessageTypes[E]>;
  /** Closes the connection; a pending or later `next()` reports the end of the stream. */
  close(): void;
}

export interface CallResponse<R extends MessageName> {
  kind: 'response';
  status: number;
  headers: IncomingHttpHeaders;
  /** Decoded body when `responseType` was given and the body is not empty (202 answers have none). */
  body: MessageTypes[R] | undefined;
  raw: Uint8Array;
}

/** Sends a streaming call (SUBSCRIBE) and returns once the response headers arrive. */
export async function subscribe<C extends MessageName, E extends MessageName>(
  request: CallRequest<C> & { eventType: E; maxRecordBytes?: number },
): Promise<EventStream<E> | Redirect> {
  const exchange = await send(request, request.agent ?? false);
  const { res, target, url } = exchange;
  const status = res.statusCode ?? 0;
  if (status === 307) return redirect(exchange);
  if (status !== 200) throw await statusError(exchange);
  const contentType = responseType(res, request.accept ?? request.contentType ?? APPLICATION_JSON, target);
  const decoder = new RecordIODecoder(request.maxRecordBytes === undefined ? {} : { maxRecordBytes: request.maxRecordBytes });
  let closed = false;
  const close = (): void => {
    closed = true;
    exchange.done();
    res.destroy();
  };
  async function* events(): AsyncGenerator<MessageTypes[E]> {
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        for (const record of decoder.push(chunk)) {
          // close() ends the iteration at once, even with more records of the same chunk already decoded.
          if (closed) return;
          yield decode(contentType, request.eventType, record);
        }
      }
      decoder.finish();
    } catch (e) {
      if (closed) return;
      // An abort while nobody was iterating destroys the response silently; report it as the abort it was.
      if (request.signal?.aborted) throw abortedError(exchange.peer, target);
      throw connectionError(e, target, url, exchange.peer);
    } finally {
      close();
    }
  }
  const header = res.headers['mesos-stream-id'];
  return {
    kind: 'stream',
    status,
    headers: res.headers,
    streamId: Array.isArray(header) ? header[0] : header,
    contentType,
    events: events(),
    close,
  };
}

/** Sends a non-streaming call; 2xx answers resolve (202 has no body), 307 is a Redirect, others throw. */
export async function post<C extends MessageName, R extends MessageName>(
  request: CallRequest<C> & { responseType?: R },
): Promise<CallResponse<R> | Redirect> {
  const exchange = await send(request, request.agent);
  const { res, target } = exchange;
  const status = res.statusCode ?? 0;
  if (status === 307) return redirect(exchange);
  if (status < 200 || status > 299) throw await statusError(exchange);
  const raw = await readBody(exchange);
  const body =
    request.responseType !== undefined && raw.length > 0
      ? decode(responseType(res, request.accept ?? request.contentType ?? APPLICATION_JSON, target), request.responseType, raw)
      : undefined;
  return { kind: 'response', status, headers: res.headers, body, raw };
}

interface Exchange {
  res: IncomingMessage;
  url: URL;
  /** `host:port` for messages. */
  target: string;
  peer: string;
  /** Detaches the abort listener; idempotent. */
  done(): void;
}

function send<C extends MessageName>(request: CallRequest<C>, agent: http.Agent | false | undefined): Promise<Exchange> {
  const tls = request.tls === false ? undefined : (request.tls ?? defaultClientTls());
  let url = parseUrl(request.url);
  if (tls && url.protocol === 'http:') url = upgraded(url);
  const secure = url.protocol === 'https:';
  if (secure && agent !== undefined && agent !== false && !(agent instanceof https.Agent)) agent = httpsAgent(tls);
  const target = url.host;
  const peer = request.peer ?? 'master';
  const contentType = request.contentType ?? APPLICATION_JSON;
  const body = encode(contentType, request.callType, request.call);
  const { signal } = request;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(peer, target));
      return;
    }
    let res: IncomingMessage | undefined;
    let req: http.ClientRequest;
    const onAbort = (): void => {
      const error = abortedError(peer, target);
      // Destroying both ends closes the socket whether or not the response has started.
      res?.destroy(error);
      req.destroy(error);
    };
    const done = (): void => signal?.removeEventListener('abort', onAbort);
    signal?.addEventListener('abort', onAbort, { once: true });
    const attempt = (retried: boolean): void => {
      req = (secure ? https : http).request(url, {
        ...(secure && tls ? clientTlsOptions(tls) : {}),
        method: 'POST',
        ...(agent === undefined ? {} : { agent }),
        headers: {
          ...request.headers,
          'Content-Type': contentType,
          Accept: request.accept ?? contentType,
          'Content-Length': String(body.length),
        },
      });
      const sent = req;
      sent.on('response', (response) => {
        res = response;
        resolve({ res: response, url, target, peer, done });
      });
      sent.on('error', (e) => {
        // A kept-alive socket the server closed while idle fails at once: the call never reached the server,
        // so it is sent again, once, on a new connection (node's documented reusedSocket pattern).
        const code = (e as NodeJS.ErrnoException).code;
        if (!retried && sent.reusedSocket && res === undefined && !signal?.aborted && (code === 'ECONNRESET' || code === 'EPIPE')) {
          attempt(true);
          return;
        }
        done();
        reject(connectionError(e, target, url, peer));
      });
      sent.end(body);
    };
    attempt(false);
  });
}

let lastUrl: { text: string; url: URL } | undefined;
const upgrades = new WeakMap<URL, URL>();

/** The same URL over https (cached: agents post to one endpoint over and over). */
function upgraded(url: URL): URL {
  let out = upgrades.get(url);
  if (!out) {
    out = new URL(url.href.replace(/^http:/, 'https:'));
    upgrades.set(url, out);
  }
  return out;
}

const pools = new WeakMap<object, https.Agent>();
const NO_TLS = {};

/** A keep-alive HTTPS pool per TLS configuration, for callers that gave a plain http.Agent. */
function httpsAgent(tls: TlsConfig | undefined): https.Agent {
  const key = tls ?? NO_TLS;
  let pool = pools.get(key);
  if (!pool) {
    pool = new https.Agent({ keepAlive: true, ...(tls ? clientTlsOptions(tls) : {}) });
    pools.set(key, pool);
  }
  return pool;
}

/** Agents post to the same endpoint over and over: reuse the last parse (URLs here are never mutated). */
function parseUrl(url: string | URL): URL {
  if (typeof url !== 'string') return url;
  if (lastUrl?.text !== url) lastUrl = { text: url, url: new URL(url) };
  return lastUrl.url;
}

function redirect(exchange: Exchange): Redirect {
  exchange.res.resume();
  exchange.done();
  const location = exchange.res.headers.location;
  const status = exchange.res.statusCode ?? 307;
  if (location === undefined) {
    throw new WireError('HTTP_STATUS', `${exchange.peer} at ${exchange.target} redirected (${status}) without a Location header`, { status, retriable: true });
  }
  const url = new URL(location, exchange.url);
  // Mesos answers `//leader:port` without a path: keep the endpoint path of the original request.
  if (/^\/\/[^/]*$/.test(location)) {
    url.pathname = exchange.url.pathname;
    url.search = exchange.url.search;
  }
  return { kind: 'redirect', status, location, url };
}

/**
 * Collects a response body. This is the hot path of every plain call (agents post thousands of status updates a
 * second), so it uses 'data'/'end' listeners rather than an async iterator (which costs several promises and
 * stream wrappers per response), and skips body work entirely for an announced empty body (202 Accepted).
 */
function readBody(exchange: Exchange): Promise<Uint8Array> {
  const { res } = exchange;
  if (res.headers['content-length'] === '0') {
    // Nothing to read, but the response must still be consumed so a keep-alive socket returns to its pool.
    res.resume();
    exchange.done();
    return Promise.resolve(EMPTY_BODY);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const fail = (e: unknown): void => {
      exchange.done();
      reject(connectionError(e, exchange.target, exchange.url, exchange.peer));
    };
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.once('end', () => {
      exchange.done();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    res.once('error', fail);
    // Node reports a connection lost mid-body as 'error' ("aborted"); this also covers a bare 'close'.
    res.once('close', () => {
      if (!res.complete) fail(new Error('the response body was cut off'));
    });
  });
}

const EMPTY_BODY: Uint8Array = new Uint8Array(0);

async function statusError(exchange: Exchange): Promise<WireError> {
  const status = exchange.res.statusCode ?? 0;
  const text = Buffer.from(await readBody(exchange)).toString('utf8').trim();
  const detail = text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
  const reason = exchange.res.statusMessage ?? '';
  return new WireError(
    'HTTP_STATUS',
    `${exchange.peer} at ${exchange.target} answered ${status} ${reason}${detail ? `: ${detail}` : ''}`,
    // 503: the master is recovering or has no leader yet; 5xx in general may pass.
    { status, retriable: status >= 500 },
  );
}

function responseType(res: IncomingMessage, fallback: ContentType, target: string): ContentType {
  const header = res.headers['content-type'];
  if (header === undefined) return fallback;
  const mediaType = header.split(';')[0]!.trim().toLowerCase();
  if (mediaType === APPLICATION_JSON || mediaType === APPLICATION_PROTOBUF) return mediaType;
  throw new WireError('UNSUPPORTED_MEDIA_TYPE', `${target} answered with Content-Type '${header}'; expected ${APPLICATION_JSON} or ${APPLICATION_PROTOBUF}`);
}

const UNREACHABLE_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};

function connectionError(e: unknown, target: string, url: URL, peer: string): WireError {
  if (e instanceof WireError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const reason = UNREACHABLE_CODES[code];
  if (reason !== undefined) {
    return new WireError('UNREACHABLE', `cannot reach ${peer} at ${target}: ${reason}`, { cause: e });
  }
  return new WireError('CONNECTION_LOST', `connection to ${peer} at ${target} (${url.pathname}) was lost: ${(e as Error).message}`, { cause: e });
}

function abortedError(peer: string, target: string): WireError {
  return new WireError('ABORTED', `request to ${peer} at ${target} was aborted`);
}
