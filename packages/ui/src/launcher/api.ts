// Marathon's REST API as the launcher UI uses it, and the app status Marathon's UI shows.

export interface AppTask { id: string; host?: string; state?: string; startedAt?: string; healthCheckResults?: Array<{ alive: boolean }> }
export interface App {
  id: string; cmd?: string; cpus: number; mem: number; disk?: number; instances: number;
  tasksRunning?: number; tasksStaged?: number; tasksHealthy?: number; tasksUnhealthy?: number;
  deployments?: Array<{ id: string }>; tasks?: AppTask[]; healthChecks?: unknown[];
}
export interface Deployment { id: string; affectedApps: string[]; currentActions?: Array<{ action: string; app: string }>; currentStep?: number; totalSteps?: number; version?: string }

export type AppStatus = 'Deploying' | 'Running' | 'Waiting' | 'Suspended';

/** Marathon UI's status: deploying while a deployment runs, suspended at 0 instances, waiting for offers when short. */
export function appStatus(app: App): AppStatus {
  if ((app.deployments ?? []).length > 0) return 'Deploying';
  if (app.instances === 0 && (app.tasksRunning ?? 0) === 0) return 'Suspended';
  if ((app.tasksRunning ?? 0) < app.instances) return 'Waiting';
  return 'Running';
}

export function health(app: App): string {
  if (!app.healthChecks || app.healthChecks.length === 0) return '—';
  return `${app.tasksHealthy ?? 0} healthy, ${app.tasksUnhealthy ?? 0} unhealthy`;
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text.trim() ? JSON.parse(text) : {};
  if (!res.ok) {
    const details = (json.details ?? []).map((d: { path: string; errors: string[] }) => `${d.path}: ${d.errors.join(', ')}`).join('; ');
    throw new Error(`${json.message ?? res.statusText}${details ? ` (${details})` : ''}`);
  }
  return json as T;
}

const appPath = (id: string): string => `/v2/apps${id.startsWith('/') ? id : `/${id}`}`;

export const api = {
  apps: () => call<{ apps: App[] }>('GET', '/v2/apps?embed=apps.tasks&embed=apps.deployments').then((r) => r.apps),
  app: (id: string) => call<{ app: App }>('GET', appPath(id)).then((r) => r.app),
  deployments: () => call<Deployment[]>('GET', '/v2/deployments'),
  create: (app: Record<string, unknown>) => call<App>('POST', '/v2/apps', app),
  scale: (id: string, instances: number) => call('PUT', appPath(id), { instances }),
  restart: (id: string) => call('POST', `${appPath(id)}/restart`),
  destroy: (id: string) => call('DELETE', appPath(id)),
  cancelDeployment: (id: string) => call('DELETE', `/v2/deployments/${encodeURIComponent(id)}`),
};

/** Calls `onChange` whenever the launcher reports an event (/v2/events, Server-Sent Events). */
export function followEvents(onChange: () => void): () => void {
  const source = new EventSource('/v2/events');
  source.onmessage = onChange;
  for (const t of ['status_update_event', 'deployment_info', 'deployment_success', 'deployment_failed', 'deployment_step_success', 'api_post_event', 'app_terminated_event', 'instance_changed_event', 'health_status_changed_event']) source.addEventListener(t, onChange);
  return () => source.close();
}
