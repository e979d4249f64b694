// The launcher UI (Marathon's look): apps list, + Create (form or JSON), app page, deployments.
// Follows /v2/events and re-reads the apps after each burst of events (and every 5 s as a fallback).
import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import '../common/style.css';
import { api, appStatus, followEvents, health, type App, type Deployment } from './api.js';
import { CreateDialog } from './create.js';
import { AppPage } from './app-page.js';

function useRoute(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = (): void => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return decodeURIComponent(hash.replace(/^#\/?/, ''));
}

function App() {
  const [apps, setApps] = useState<App[]>([]);
  const [deployments, setDeployments] = useState<Deployment[]>([]);
  const [error, setError] = useState<string>();
  const [creating, setCreating] = useState(false);
  const route = useRoute();
  const refresh = useCallback(() => {
    Promise.all([api.apps(), api.deployments()]).then(([a, d]) => { setApps(a); setDeployments(d); setError(undefined); }, (e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    refresh();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = (): void => { if (!timer) timer = setTimeout(() => { timer = undefined; refresh(); }, 150); };
    const stop = followEvents(soon);
    const poll = setInterval(refresh, 5000);
    return () => { stop(); clearInterval(poll); };
  }, []);
  const page = route.startsWith('apps/') ? 'app' : route === 'deployments' ? 'deployments' : 'apps';
  return (
    <>
      <header class="top">
        <span class="brand">Launcher</span>
        <nav aria-label="Pages">
          <a href="#/apps" aria-current={page !== 'deployments' ? 'page' : undefined}>Applications</a>
          <a href="#/deployments" aria-current={page === 'deployments' ? 'page' : undefined}>Deployments ({deployments.length})</a>
        </nav>
      </header>
      <main>
        {error && <div class="banner error" role="alert">{error}</div>}
        {page === 'apps' && (
          <section>
            <div class="filters"><h1 style="margin:0">Applications</h1><button type="button" class="primary" onClick={() => setCreating(true)}>+ Create</button></div>
            <AppsTable apps={apps} />
          </section>
        )}
        {page === 'app' && <AppPage id={route.slice('apps'.length)} apps={apps} onChange={refresh} />}
        {page === 'deployments' && <Deployments deployments={deployments} onChange={refresh} />}
        {creating && <CreateDialog onClose={() => { setCreating(false); refresh(); }} />}
      </main>
    </>
  );
}

function AppsTable({ apps }: { apps: App[] }) {
  if (apps.length === 0) return <p class="muted">No applications yet: + Create one.</p>;
  return (
    <div class="table-wrap"><table data-testid="apps-table">
      <thead><tr><th>ID</th><th>Status</th><th>Running instances</th><th>CPUs</th><th>Memory</th><th class="hide-narrow">Health</th></tr></thead>
      <tbody>
        {apps.map((a) => {
          const status = appStatus(a);
          return (
            <tr data-testid="app-row" data-app-id={a.id}>
              <td><a href={`#/apps${a.id}`}>{a.id}</a></td>
              <td class={`state ${status}`} data-testid="app-status">{status}</td>
              <td data-testid="app-instances">{a.tasksRunning ?? 0} of {a.instances}</td>
              <td>{a.cpus}</td><td>{a.mem} MB</td><td class="hide-narrow">{health(a)}</td>
            </tr>
          );
        })}
      </tbody>
    </table></div>
  );
}

function Deployments({ deployments, onChange }: { deployments: Deployment[]; onChange: () => void }) {
  return (
    <section>
      <h1>Deployments</h1>
      {deployments.length === 0 ? <p class="muted">No deployments in progress.</p> : (
        <div class="table-wrap"><table>
          <thead><tr><th>ID</th><th>Apps</th><th>Actions</th><th>Step</th><th></th></tr></thead>
          <tbody>{deployments.map((d) => (
            <tr><td>{d.id}</td><td>{d.affectedApps.join(', ')}</td><td>{(d.currentActions ?? []).map((a) => a.action).join(', ')}</td><td>{d.currentStep ?? 1}/{d.totalSteps ?? 1}</td>
              <td><button type="button" onClick={() => { if (confirm(`Roll back deployment ${d.id}?`)) void api.cancelDeployment(d.id).then(onChange); }}>Rollback</button></td></tr>
          ))}</tbody>
        </table></div>
      )}
    </section>
  );
}

render(<App />, document.getElementById('app')!);
