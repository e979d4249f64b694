// Tasks: filter by state and framework (kept in the hash, so a filtered view is a link), sortable columns.
import { useState } from 'preact/hooks';
import { mb, scalar } from '../common/format.js';
import type { ClusterModel, TaskJson } from './model.js';

type Column = 'id' | 'name' | 'state' | 'framework' | 'agent' | 'cpus' | 'mem';
const COLUMNS: Array<[Column, string]> = [['id', 'ID'], ['name', 'Name'], ['state', 'State'], ['framework', 'Framework'], ['agent', 'Agent'], ['cpus', 'CPUs'], ['mem', 'Memory']];

function value(t: TaskJson, c: Column): string | number {
  switch (c) {
    case 'id': return t.task_id.value;
    case 'name': return t.name;
    case 'state': return t.state;
    case 'framework': return t.framework_id.value;
    case 'agent': return t.agent_id?.value ?? '';
    case 'cpus': return scalar(t.resources, 'cpus');
    case 'mem': return scalar(t.resources, 'mem');
  }
}

function query(): URLSearchParams {
  const q = location.hash.indexOf('?');
  return new URLSearchParams(q === -1 ? '' : location.hash.slice(q + 1));
}

function setQuery(key: string, v: string): void {
  const q = query();
  if (v) q.set(key, v); else q.delete(key);
  location.hash = `#/tasks${q.toString() ? `?${q}` : ''}`;
}

export function Tasks({ model }: { model: ClusterModel }) {
  const [sort, setSort] = useState<{ by: Column; desc: boolean }>({ by: 'id', desc: false });
  const q = query();
  const state = q.get('state') ?? '';
  const framework = q.get('framework') ?? '';
  const all = [...model.tasks.values()];
  const states = [...new Set(all.map((t) => t.state))].sort();
  const shown = all
    .filter((t) => (!state || t.state === state) && (!framework || t.framework_id.value === framework))
    .sort((a, b) => {
      const x = value(a, sort.by), y = value(b, sort.by);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
      return sort.desc ? -c : c;
    });
  return (
    <section>
      <h1>Tasks</h1>
      <div class="filters">
        <label>State <select value={state} onChange={(e) => setQuery('state', (e.target as HTMLSelectElement).value)}>
          <option value="">all</option>{states.map((s) => <option value={s}>{s}</option>)}
        </select></label>
        <label>Framework <select value={framework} onChange={(e) => setQuery('framework', (e.target as HTMLSelectElement).value)}>
          <option value="">all</option>{[...model.frameworks.keys()].map((f) => <option value={f}>{model.frameworks.get(f)?.framework_info.name} ({f})</option>)}
        </select></label>
        <span class="muted">{shown.length} of {all.length}</span>
      </div>
      <div class="table-wrap"><table data-testid="tasks-table">
        <thead><tr>
          {COLUMNS.map(([c, label]) => (
            <th aria-sort={sort.by === c ? (sort.desc ? 'descending' : 'ascending') : undefined}>
              <button type="button" onClick={() => setSort({ by: c, desc: sort.by === c ? !sort.desc : false })}>{label}{sort.by === c ? (sort.desc ? ' ▼' : ' ▲') : ''}</button>
            </th>
          ))}
          <th>Sandbox</th>
        </tr></thead>
        <tbody>
          {shown.map((t) => (
            <tr data-testid="task-row" data-task-id={t.task_id.value}>
              <td>{t.task_id.value}</td><td>{t.name}</td><td class={`state ${t.state}`} data-testid="task-state">{t.state}</td>
              <td>{t.framework_id.value}</td><td>{t.agent_id?.value ?? ''}</td><td>{scalar(t.resources, 'cpus')}</td><td>{mb(scalar(t.resources, 'mem'))}</td>
              <td>{t.agent_id && <a href={`#/sandbox/${encodeURIComponent(t.agent_id.value)}/${encodeURIComponent(t.framework_id.value)}/${encodeURIComponent(t.task_id.value)}`}>Sandbox</a>}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
    </section>
  );
}
