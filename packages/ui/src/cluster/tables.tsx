// Frameworks and agents: one row each with their resources and task counts.
import { mb, scalar } from '../common/format.js';
import { TERMINAL, type ClusterModel } from './model.js';

function activeTasks(model: ClusterModel, match: (fw: string, agent: string | undefined) => boolean): number {
  let n = 0;
  for (const t of model.tasks.values()) if (!TERMINAL.has(t.state) && match(t.framework_id.value, t.agent_id?.value)) n++;
  return n;
}

export function Frameworks({ model }: { model: ClusterModel }) {
  return (
    <section>
      <h1>Frameworks</h1>
      <div class="table-wrap"><table>
        <thead><tr><th>ID</th><th>Name</th><th>Roles</th><th>Active</th><th>Tasks</th><th>CPUs</th><th>Memory</th><th class="hide-narrow">Offered CPUs</th></tr></thead>
        <tbody>
          {[...model.frameworks.values()].map((f) => {
            const id = f.framework_info.id?.value ?? '';
            return (
              <tr>
                <td><a href={`#/tasks?framework=${encodeURIComponent(id)}`}>{id}</a></td>
                <td>{f.framework_info.name}</td>
                <td>{(f.framework_info.roles ?? [f.framework_info.role ?? '*']).join(', ')}</td>
                <td>{f.active ? 'yes' : 'no'}</td>
                <td>{activeTasks(model, (fw) => fw === id)}</td>
                <td>{scalar(f.allocated_resources, 'cpus')}</td>
                <td>{mb(scalar(f.allocated_resources, 'mem'))}</td>
                <td class="hide-narrow">{scalar(f.offered_resources, 'cpus')}</td>
              </tr>
            );
          })}
        </tbody>
      </table></div>
    </section>
  );
}

export function Agents({ model }: { model: ClusterModel }) {
  return (
    <section>
      <h1>Agents</h1>
      <div class="table-wrap"><table data-testid="agents-table">
        <thead><tr><th>ID</th><th>Host</th><th>CPUs</th><th>Memory</th><th>Disk</th><th>Tasks</th><th class="hide-narrow">Attributes</th></tr></thead>
        <tbody>
          {[...model.agents.values()].map((a) => {
            const id = a.agent_info.id?.value ?? '';
            const attrs = (a.agent_info.attributes ?? []).map((x) => `${x.name}:${x.text?.value ?? x.scalar?.value ?? ''}`).join('; ');
            return (
              <tr data-testid="agent-row">
                <td>{id}</td>
                <td>{a.agent_info.hostname}:{a.agent_info.port}</td>
                <td>{scalar(a.total_resources, 'cpus')}</td>
                <td>{mb(scalar(a.total_resources, 'mem'))}</td>
                <td>{mb(scalar(a.total_resources, 'disk'))}</td>
                <td>{activeTasks(model, (_fw, agent) => agent === id)}</td>
                <td class="hide-narrow">{attrs}</td>
              </tr>
            );
          })}
        </tbody>
      </table></div>
    </section>
  );
}
