// The cluster UI: one SUBSCRIBE stream feeds the model; hash routes pick the page.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../common/style.css';
import { apply, emptyModel, type ClusterModel } from './model.js';
import { subscribe, operatorCall, type StreamStatus } from './stream.js';
import { Overview, useAllocationHistory } from './overview.js';
import { Agents, Frameworks } from './tables.js';
import { Tasks } from './tasks.js';
import { Sandbox } from './sandbox.js';
import { Maintenance, Roles } from './admin.js';

const PAGES: Array<[string, string]> = [['overview', 'Overview'], ['frameworks', 'Frameworks'], ['agents', 'Agents'], ['tasks', 'Tasks'], ['roles', 'Roles'], ['maintenance', 'Maintenance']];

function useHash(): string[] {
  const read = (): string[] => location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const on = (): void => setParts(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return parts;
}

interface MasterInfo { version?: string; hostname?: string; port?: number }

function App() {
  const [model, setModel] = useState<ClusterModel>(emptyModel);
  const [status, setStatus] = useState<StreamStatus>({ kind: 'connecting' });
  const [master, setMaster] = useState<MasterInfo>({});
  const history = useAllocationHistory(model);
  const route = useHash();
  useEffect(() => {
    // Events arrive in bursts: fold them into one render per animation frame.
    let pending: Array<{ type: string }> = [];
    let scheduled = false;
    const stop = subscribe((e) => {
      pending.push(e);
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        const batch = pending;
        pending = [];
        setModel((m) => batch.reduce(apply, m));
      });
    }, setStatus);
    return stop;
  }, []);
  useEffect(() => {
    if (status.kind !== 'live') return;
    operatorCall<{ get_master: { master_info: MasterInfo & { version?: string } } }>('GET_MASTER')
      .then((r) => setMaster(r.get_master.master_info))
      .catch(() => undefined);
  }, [status.kind]);
  const page = (route[0] ?? '').split('?')[0] || 'overview';
  return (
    <>
      <header class="top">
        <span class="brand">Mesos</span>
        <nav aria-label="Pages">
          {PAGES.map(([id, label]) => <a href={`#/${id}`} aria-current={page === id ? 'page' : undefined}>{label}</a>)}
        </nav>
        <span class="muted" data-testid="stream-status">{status.kind === 'live' ? '● live' : status.kind}</span>
      </header>
      <main>
        {status.kind === 'not-leader' && (
          <div class="banner" role="status">This master is not the leader. <a href="/master/redirect">Go to the leading master</a>.</div>
        )}
        {status.kind === 'error' && <div class="banner error" role="alert">Lost the event stream ({status.message}); reconnecting…</div>}
        {page === 'overview' && <Overview model={model} master={master} history={history} />}
        {page === 'frameworks' && <Frameworks model={model} />}
        {page === 'agents' && <Agents model={model} />}
        {page === 'tasks' && <Tasks model={model} />}
        {page === 'sandbox' && <Sandbox agentId={route[1] ?? ''} frameworkId={route[2] ?? ''} taskId={route[3] ?? ''} />}
        {page === 'roles' && <Roles model={model} />}
        {page === 'maintenance' && <Maintenance />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
