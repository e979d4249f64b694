// Roles (weights, quota, what each holds) and maintenance (schedule, draining and down machines).
import { useEffect, useState } from 'preact/hooks';
import { mb, scalar, type ResourceJson } from '../common/format.js';
import type { ClusterModel } from './model.js';
import { operatorCall } from './stream.js';

interface Role { name: string; weight?: number; frameworks?: Array<{ value: string }>; resources?: ResourceJson[]; allocated?: ResourceJson[]; quota?: { guarantees?: ResourceJson[]; limits?: Record<string, { value: number }> } }

function useCall<T>(type: string, revision: number): [T | undefined, string | undefined] {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  useEffect(() => { operatorCall<T>(type).then(setData, (e: Error) => setError(e.message)); }, [type, revision]);
  return [data, error];
}

export function Roles({ model }: { model: ClusterModel }) {
  const [roles, error] = useCall<{ get_roles: { roles?: Role[] } }>('GET_ROLES', model.revision >> 4);
  return (
    <section>
      <h1>Roles</h1>
      {error && <div class="banner error">{error}</div>}
      <div class="table-wrap"><table>
        <thead><tr><th>Role</th><th>Weight</th><th>Frameworks</th><th>CPUs</th><th>Memory</th><th>Quota (guarantee)</th><th>Quota (limit)</th></tr></thead>
        <tbody>
          {(roles?.get_roles.roles ?? []).map((r) => {
            const held = r.allocated ?? r.resources;
            const limits = r.quota?.limits ? Object.entries(r.quota.limits).map(([k, v]) => `${k}:${v.value}`).join(', ') : '';
            return (
              <tr><td>{r.name}</td><td>{r.weight ?? 1}</td><td>{r.frameworks?.length ?? 0}</td><td>{scalar(held, 'cpus')}</td><td>{mb(scalar(held, 'mem'))}</td>
                <td>{(r.quota?.guarantees ?? []).map((g) => `${g.name}:${g.scalar?.value ?? ''}`).join(', ')}</td><td>{limits}</td></tr>
            );
          })}
        </tbody>
      </table></div>
    </section>
  );
}

interface MachineId { hostname?: string; ip?: string }
interface Status { draining_machines?: Array<{ id: MachineId }>; down_machines?: MachineId[] }
interface Schedule { windows?: Array<{ machine_ids?: MachineId[]; unavailability?: { start?: { nanoseconds: number | string } } }> }

/** GET of one of the master's JSON endpoints, once per mount. */
function useGet<T>(url: string): [T | undefined, string | undefined] {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    fetch(url).then(async (r) => (r.ok ? setData((await r.json()) as T) : setError(`${url} answered ${r.status}: ${await r.text()}`)), (e: Error) => setError(e.message));
  }, [url]);
  return [data, error];
}

// Read from the master's GET /maintenance/schedule and /maintenance/status: this master answers the operator
// API's GET_MAINTENANCE_* calls with 501.
export function Maintenance() {
  const [s, e1] = useGet<Status>('/maintenance/status');
  const [schedule, e2] = useGet<Schedule>('/maintenance/schedule');
  const name = (m: MachineId): string => m.hostname ?? m.ip ?? '?';
  const windows = schedule?.windows ?? [];
  return (
    <section>
      <h1>Maintenance</h1>
      {(e1 ?? e2) && <div class="banner error">{e1 ?? e2}</div>}
      <h2>Schedule</h2>
      {windows.length === 0 ? <p class="muted">No maintenance scheduled.</p> : (
        <ul data-testid="maintenance-windows">{windows.map((w) => <li>{(w.machine_ids ?? []).map(name).join(', ')} from {w.unavailability?.start ? new Date(Number(w.unavailability.start.nanoseconds) / 1e6).toISOString() : '?'}</li>)}</ul>
      )}
      <h2>Draining</h2><p data-testid="draining">{(s?.draining_machines ?? []).map((d) => name(d.id)).join(', ') || 'none'}</p>
      <h2>Down</h2><p data-testid="down">{(s?.down_machines ?? []).map(name).join(', ') || 'none'}</p>
    </section>
  );
}
