// A task's sandbox through its agent's /files API (proxied by the master at /ui/agents/<id>/…, since the
// agent is another origin): browse directories, and follow a file (stdout, stderr) as it grows.
import { useEffect, useState } from 'preact/hooks';
import { bytes } from '../common/format.js';

interface Entry { path: string; size: number; mode: string }
interface AgentState { frameworks?: Fw[]; completed_frameworks?: Fw[] }
interface Fw { id?: string; executors?: Ex[]; completed_executors?: Ex[] }
interface Ex { directory?: string; tasks?: Array<{ id: string }>; queued_tasks?: Array<{ id: string }>; completed_tasks?: Array<{ id: string }> }

/** The sandbox directory of the executor that ran the task (the newest run wins). */
export function sandboxOf(state: AgentState, frameworkId: string, taskId: string): string | undefined {
  for (const fw of [...(state.frameworks ?? []), ...(state.completed_frameworks ?? [])].filter((f) => f.id === frameworkId)) {
    for (const ex of [...(fw.executors ?? []), ...[...(fw.completed_executors ?? [])].reverse()]) {
      const ids = [...(ex.tasks ?? []), ...(ex.queued_tasks ?? []), ...(ex.completed_tasks ?? [])].map((t) => t.id);
      if (ids.includes(taskId) && ex.directory) return ex.directory;
    }
  }
  return undefined;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export function Sandbox({ agentId, frameworkId, taskId }: { agentId: string; frameworkId: string; taskId: string }) {
  const base = `/ui/agents/${encodeURIComponent(agentId)}`;
  const [root, setRoot] = useState<string>();
  const [dir, setDir] = useState<string>();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [file, setFile] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    getJson<AgentState>(`${base}/state`).then((s) => {
      const d = sandboxOf(s, frameworkId, taskId);
      if (!d) setError(`Agent ${agentId} has no sandbox for task ${taskId}`);
      setRoot(d); setDir(d);
    }).catch((e: Error) => setError(e.message));
  }, [agentId, frameworkId, taskId]);
  useEffect(() => {
    if (!dir) return;
    getJson<Entry[]>(`${base}/files/browse?path=${encodeURIComponent(dir)}`).then(setEntries).catch((e: Error) => setError(e.message));
  }, [dir]);
  return (
    <section>
      <h1>Sandbox of {taskId}</h1>
      {error && <div class="banner error" role="alert">{error}</div>}
      {dir && <p class="muted">{dir} {dir !== root && <button type="button" onClick={() => setDir(dir.replace(/\/[^/]+\/?$/, ''))}>Up</button>}</p>}
      <div class="table-wrap"><table data-testid="sandbox-files">
        <thead><tr><th>Name</th><th>Size</th><th>Mode</th></tr></thead>
        <tbody>
          {entries.map((e) => {
            const name = e.path.split('/').pop() ?? e.path;
            const isDir = e.mode.startsWith('d');
            return (
              <tr><td><button type="button" class="link" onClick={() => (isDir ? setDir(e.path) : setFile(e.path))}>{name}{isDir ? '/' : ''}</button></td><td>{bytes(e.size)}</td><td>{e.mode}</td></tr>
            );
          })}
        </tbody>
      </table></div>
      {file && <FileTail base={base} path={file} />}
    </section>
  );
}

/** Reads a file from offset 0, then keeps reading from where it stopped (once a second) while shown. */
function FileTail({ base, path }: { base: string; path: string }) {
  const [text, setText] = useState('');
  useEffect(() => {
    let offset = 0;
    let stopped = false;
    setText('');
    const read = async (): Promise<void> => {
      while (!stopped) {
        try {
          const chunk = await getJson<{ data: string; offset: number }>(`${base}/files/read?path=${encodeURIComponent(path)}&offset=${offset}&length=65536`);
          if (chunk.data.length > 0) {
            offset = chunk.offset + new TextEncoder().encode(chunk.data).length;
            setText((t) => t + chunk.data);
            continue;
          }
        } catch { /* the file may not exist yet; try again */ }
        await new Promise((r) => setTimeout(r, 1000));
      }
    };
    void read();
    return () => { stopped = true; };
  }, [path]);
  return (<><h2>{path.split('/').pop()}</h2><pre class="log" data-testid="file-content" tabIndex={0}>{text}</pre></>);
}
