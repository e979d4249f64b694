// The dispatcher's web UI (--webui-port): queued, launched, retrying and finished drivers, as Spark's
// MesosClusterPage lists them, server-rendered, with links to each driver task's sandbox on its agent (found
// through the master's /master/slaves and the agent's /state) and `/state.json` with the raw state.
import type http from 'node:http';
import { clientTlsFor, createApiServer, listenApi, requestText, type TlsConfig } from '@mesos-ts/framework-kit';
import type { DispatcherState } from '../domain/dispatcher-state.js';
import type { DriverDescription } from '../domain/driver.js';

export interface UiSource {
  state(): DispatcherState;
  readonly frameworkId: string | undefined;
  readonly masterAddress: string | undefined;
  readonly name: string;
}

function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function iso(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString();
}

async function getJson(url: string): Promise<unknown> {
  // framework-kit's client: with LIBPROCESS_SSL_ENABLED the master and agents are asked over verified HTTPS.
  const res = await requestText(url, { timeoutMs: 2000 });
  return res.status === 200 ? (JSON.parse(res.text) as unknown) : undefined;
}

interface AgentState {
  frameworks?: Array<{ id: string; executors?: Array<{ id: string; directory: string }>; completed_executors?: Array<{ id: string; directory: string }> }>;
  completed_frameworks?: Array<{ id: string; executors?: Array<{ id: string; directory: string }>; completed_executors?: Array<{ id: string; directory: string }> }>;
}

/** Sandbox URLs by task id (the command executor's id is the task's), best effort. */
export async function sandboxLinks(master: string | undefined, frameworkId: string | undefined, agentIds: ReadonlySet<string>): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  if (master === undefined || frameworkId === undefined || agentIds.size === 0) return links;
  try {
    const slaves = ((await getJson(`http://${master}/master/slaves`)) as { slaves?: Array<{ id: string; hostname: string; port: number }> } | undefined)?.slaves ?? [];
    await Promise.all(slaves.filter((s) => agentIds.has(s.id)).map(async (s) => {
      // The agent's own scheme: https when this process runs with LIBPROCESS_SSL_ENABLED (the cluster's TLS).
      const base = clientTlsFor(new URL(`http://${s.hostname}:${s.port}`)).url.origin;
      const st = (await getJson(`${base}/state`).catch(() => undefined)) as AgentState | undefined;
      for (const f of [...(st?.frameworks ?? []), ...(st?.completed_frameworks ?? [])]) {
        if (f.id !== frameworkId) continue;
        for (const e of [...(f.executors ?? []), ...(f.completed_executors ?? [])]) links.set(e.id, `${base}/files/browse?path=${encodeURIComponent(e.directory)}`);
      }
    }));
  } catch {
    // The links are a convenience: the page renders without them.
  }
  return links;
}

function sandbox(links: Map<string, string>, taskId: string | undefined): string {
  if (taskId === undefined) return '';
  const link = links.get(taskId);
  return link === undefined ? esc(taskId) : `<a href="${esc(link)}">${esc(taskId)}</a>`;
}

function table(title: string, head: string[], rows: string[][]): string {
  const body = rows.length === 0 ? `<tr><td colspan="${head.length}">none</td></tr>` : rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<h2>${esc(title)} (${rows.length})</h2>\n<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

function resources(d: DriverDescription): string {
  return `cpus: ${d.cores}, mem: ${d.mem}`;
}

export async function renderPage(src: UiSource): Promise<string> {
  const s = src.state();
  const agents = new Set<string>([...s.launched.flatMap((l) => [l.agentId, ...l.workers.map((w) => w.agentId)]), ...s.finished.flatMap((f) => (f.agentId === undefined ? [] : [f.agentId]))]);
  const links = await sandboxLinks(src.masterAddress, src.frameworkId, agents);
  const queued = s.queued.map((q) => [esc(q.desc.submissionId), esc(q.desc.name), esc(iso(q.desc.submitDate)), esc(resources(q.desc))]);
  const launched = s.launched.map((l) => [esc(l.desc.submissionId), esc(l.desc.name), esc(iso(l.startDate)), sandbox(links, l.taskId), esc(l.hostname), `<a href="http://${esc(l.master.hostname)}:${l.master.webuiPort}/">${esc(`spark://${l.master.hostname}:${l.master.port}`)}</a>`, l.workers.map((w) => `${sandbox(links, w.taskId)} (${esc(w.hostname)}, ${w.cpus} cores)`).join('<br>'), esc(l.status?.state ?? 'TASK_STAGING')]);
  const retrying = s.pendingRetry.map((q) => [esc(q.desc.submissionId), esc(q.desc.name), esc(q.retry!.retries), esc(iso(q.retry!.nextRetry)), esc(q.retry!.lastFailureStatus.state)]);
  const finished = [...s.finished].reverse().map((f) => [esc(f.desc.submissionId), esc(f.desc.name), esc(f.outcome), esc(iso(f.finishDate)), sandbox(links, f.taskId), esc(f.hostname ?? ''), esc(f.retries), esc(f.status?.state ?? '')]);
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(src.name)}</title>
<style>body{font-family:sans-serif;margin:1em 2em}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}</style></head>
<body><h1>${esc(src.name)}</h1>
<p>Mesos framework ID: ${esc(src.frameworkId ?? '(not registered yet)')} · master: ${esc(src.masterAddress ?? '(connecting)')}</p>
${table('Queued Drivers', ['Driver ID', 'Name', 'Submit Date', 'Resources'], queued)}
${table('Launched Drivers', ['Driver ID', 'Name', 'Start Date', 'Driver Sandbox', 'Agent', 'Spark Master', 'Workers', 'State'], launched)}
${table('Supervise drivers waiting for retry', ['Driver ID', 'Name', 'Retries', 'Next Retry', 'Last Failure'], retrying)}
${table('Finished Drivers', ['Driver ID', 'Name', 'Outcome', 'Finish Date', 'Driver Sandbox', 'Agent', 'Retries', 'Last State'], finished)}
</body></html>
`;
}

export async function startWebUi(src: UiSource, port: number, host: string, tls?: TlsConfig): Promise<{ server: http.Server; url: string }> {
  const server = createApiServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/state.json') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(`${JSON.stringify({ frameworkId: src.frameworkId, ...src.state() })}\n`);
      return;
    }
    if (path !== '/') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`no page ${path}: the dispatcher UI is at / (and the raw state at /state.json)\n`);
      return;
    }
    void renderPage(src).then((html) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html));
  }, tls);
  return { server, url: await listenApi(server, port, host) };
}
