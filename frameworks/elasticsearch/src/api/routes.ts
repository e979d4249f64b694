// The REST API on --webUiPort, as mesos/elasticsearch's: GET /v1/cluster (configuration, secrets masked),
// GET|PUT /v1/cluster/elasticsearchNodes ({value:N}), GET /v1/tasks, the /v1/es/_cluster/stats and
// /v1/es/_search?q= proxies to a running node (X-ElasticSearch-Host picks one), /health, and the web page at /.
// Beyond upstream, every /v1/es/<path> is passed through (any method, body and query), so clients can index
// through the framework's one stable address.
import http from 'node:http';
import { HttpError, JsonRouter } from '@mesos-ts/framework-kit';
import { WEB_PAGE } from './web-page.js';

export interface TaskView {
  id: string;
  name: string;
  agentId: string;
  hostname: string;
  state: string;
  httpAddress: string;
  transportAddress: string;
  health: string;
}

/** What the scheduler offers the API. */
export interface ClusterControl {
  config(): Record<string, unknown>;
  desiredNodes(): number;
  /** Records the new size; scaling down then proceeds one node at a time in the background. */
  setDesiredNodes(n: number): Promise<void>;
  tasks(): TaskView[];
  connected(): boolean;
}

const MAX_NODES = 100;

export function apiRouter(control: ClusterControl): JsonRouter {
  const router = new JsonRouter();
  router.get('/v1/cluster', () => control.config());
  router.get('/v1/cluster/elasticsearchNodes', () => ({ value: control.desiredNodes() }));
  router.put('/v1/cluster/elasticsearchNodes', async (req) => {
    const raw = (req.body as { value?: unknown } | undefined)?.value;
    const n = typeof raw === 'string' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_NODES) throw new HttpError(400, `expected {"value": N} with N an integer from 1 to ${MAX_NODES}, got ${JSON.stringify(req.body)}`);
    await control.setDesiredNodes(n);
    return { value: control.desiredNodes() };
  });
  router.get('/v1/tasks', () => control.tasks());
  router.get('/health', () => ({ healthy: control.connected(), nodes: control.tasks().filter((t) => t.state === 'TASK_RUNNING').length }));
  return router;
}

/** A running node's HTTP address: the one X-ElasticSearch-Host names if it is ours, else the first running. */
export function pickNode(tasks: readonly TaskView[], requested: string | undefined): string | undefined {
  const running = tasks.filter((t) => t.state === 'TASK_RUNNING');
  if (requested !== undefined) return running.find((t) => t.httpAddress === requested || t.hostname === requested)?.httpAddress;
  return running[0]?.httpAddress;
}

/** The whole listener: the page, the proxies, then the JSON routes. */
export function apiListener(control: ClusterControl): http.RequestListener {
  const json = apiRouter(control).listener();
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(WEB_PAGE);
      return;
    }
    if (url.pathname.startsWith('/v1/es/')) {
      void proxy(control, url, req, res);
      return;
    }
    json(req, res);
  };
}

async function proxy(control: ClusterControl, url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const header = req.headers['x-elasticsearch-host'];
  const node = pickNode(control.tasks(), Array.isArray(header) ? header[0] : header);
  if (node === undefined) {
    res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'no running search node to ask; wait for TASK_RUNNING in GET /v1/tasks' }));
    return;
  }
  const target = new URL(url.pathname.slice('/v1/es'.length) + url.search, `http://${node}`);
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length === 0 ? undefined : Buffer.concat(chunks);
    const type = req.headers['content-type'];
    const answer = await fetch(target, {
      method: req.method ?? 'GET',
      signal: AbortSignal.timeout(60_000),
      ...(body === undefined || req.method === 'GET' || req.method === 'HEAD' ? {} : { body, headers: { 'content-type': type ?? 'application/json' } }),
    });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
  } catch (e) {
    res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `node ${node} did not answer: ${(e as Error).message}` }));
  }
}
