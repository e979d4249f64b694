// One app: its tasks with health, and Scale, Restart, Suspend, Destroy (each destructive one confirmed).
import { useState } from 'preact/hooks';
import { api, appStatus, health, type App } from './api.js';

export function AppPage({ id, apps, onChange }: { id: string; apps: App[]; onChange: () => void }) {
  const app = apps.find((a) => a.id === id);
  const [error, setError] = useState<string>();
  if (!app) return <p class="muted">Application {id} does not exist (any more). <a href="#/apps">All applications</a></p>;
  const act = (p: Promise<unknown>): void => { p.then(() => { setError(undefined); onChange(); }, (e: Error) => setError(e.message)); };
  const scale = (): void => {
    const n = prompt(`Scale ${app.id} to how many instances?`, String(app.instances));
    if (n !== null && n.trim() !== '') act(api.scale(app.id, Number(n)));
  };
  return (
    <section>
      <p><a href="#/apps">Applications</a> / {app.id}</p>
      <h1>{app.id} <span class={`state ${appStatus(app)}`} data-testid="app-status">{appStatus(app)}</span></h1>
      <div class="filters">
        <button type="button" onClick={scale}>Scale Application</button>
        <button type="button" onClick={() => { if (confirm(`Restart ${app.id}?`)) act(api.restart(app.id)); }}>Restart</button>
        <button type="button" onClick={() => { if (confirm(`Suspend ${app.id} (scale to 0)?`)) act(api.scale(app.id, 0)); }}>Suspend</button>
        <button type="button" class="danger" onClick={() => { if (confirm(`Destroy ${app.id}? This kills its tasks and deletes the app.`)) { act(api.destroy(app.id)); location.hash = '#/apps'; } }}>Destroy</button>
      </div>
      {error && <div class="banner error" role="alert">{error}</div>}
      <p>{app.tasksRunning ?? 0} of {app.instances} instances running · {app.cpus} CPUs · {app.mem} MB · health: {health(app)}</p>
      {app.cmd && <p><code>{app.cmd}</code></p>}
      <h2>Tasks</h2>
      <div class="table-wrap"><table data-testid="app-tasks">
        <thead><tr><th>ID</th><th>Host</th><th>State</th><th>Health</th><th class="hide-narrow">Started</th></tr></thead>
        <tbody>{(app.tasks ?? []).map((t) => {
          const h = t.healthCheckResults?.[0];
          return <tr><td>{t.id}</td><td>{t.host}</td><td class={`state ${t.state ?? ''}`}>{t.state}</td><td class={`state ${h ? (h.alive ? 'healthy' : 'unhealthy') : ''}`}>{h ? (h.alive ? 'healthy' : 'unhealthy') : '—'}</td><td class="hide-narrow">{t.startedAt ?? ''}</td></tr>;
        })}</tbody>
      </table></div>
    </section>
  );
}
