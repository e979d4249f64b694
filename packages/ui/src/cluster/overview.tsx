// Overview: who leads, version, cluster resources (total/used/offered), tasks by state, allocation over time.
import { useEffect, useRef, useState } from 'preact/hooks';
import { mb, pct, scalar } from '../common/format.js';
import { countByState, usedByTasks, type ClusterModel } from './model.js';

export interface Totals { cpus: [number, number, number]; mem: [number, number, number]; disk: [number, number, number] }

/** total, used, offered per scalar over all agents. */
export function totals(model: ClusterModel): Totals {
  const t: Totals = { cpus: [0, 0, 0], mem: [0, 0, 0], disk: [0, 0, 0] };
  for (const a of model.agents.values()) {
    for (const k of ['cpus', 'mem', 'disk'] as const) {
      t[k][0] += scalar(a.total_resources, k);
      t[k][1] += scalar(a.allocated_resources, k);
      t[k][2] += scalar(a.offered_resources, k);
    }
  }
  return t;
}

/** Fraction of CPUs in use, sampled every 2 s while the page is open (the last 60 samples). */
export function useAllocationHistory(model: ClusterModel): number[] {
  const latest = useRef(model);
  latest.current = model;
  const [samples, setSamples] = useState<number[]>([]);
  useEffect(() => {
    const id = setInterval(() => {
      const used = usedByTasks(latest.current, 'cpus');
      const t = totals(latest.current).cpus[0];
      setSamples((s) => [...s.slice(-59), t > 0 ? used / t : 0]);
    }, 2000);
    return () => clearInterval(id);
  }, []);
  return samples;
}

/** One row of the resources table: used is the larger of the agents' snapshot and what live tasks hold. */
function ResourceRow({ label, total, snapshotUsed, offered, used, show }: { label: string; total: number; snapshotUsed: number; offered: number; used: number; show: (n: number) => string | number }) {
  const u = Math.max(snapshotUsed, used);
  return <tr><td>{label}</td><td>{show(total)}</td><td>{show(u)} ({pct(u, total)})</td><td>{show(offered)}</td><td>{show(Math.max(0, Math.round((total - u) * 1000) / 1000))}</td></tr>;
}

function Chart({ samples }: { samples: number[] }) {
  const w = 300;
  const points = samples.map((v, i) => `${(i / 59) * w},${100 - v * 100}`).join(' ');
  return (
    <svg class="chart" viewBox={`0 0 ${w} 100`} preserveAspectRatio="none" role="img" aria-label="CPU allocation over the last two minutes">
      <polyline points={points} fill="none" stroke="#1f6feb" stroke-width="2" vector-effect="non-scaling-stroke" />
    </svg>
  );
}

export function Overview({ model, master, history }: { model: ClusterModel; master: { version?: string; hostname?: string; port?: number }; history: number[] }) {
  const t = totals(model);
  const live = [...model.tasks.values()];
  return (
    <section>
      <h1>Cluster overview</h1>
      <div class="cards">
        <div class="card"><div class="muted">Leader</div><div data-testid="leader">{master.hostname ? `${master.hostname}:${master.port ?? ''}` : location.host}</div><div class="muted">version {master.version ?? '…'}</div></div>
        <div class="card"><div class="muted">Agents</div><div class="big" data-testid="agent-count">{model.agents.size}</div></div>
        <div class="card"><div class="muted">Frameworks</div><div class="big">{model.frameworks.size}</div></div>
        <div class="card"><div class="muted">Tasks</div><div class="big" data-testid="task-count">{live.length}</div></div>
      </div>
      <h2>Resources</h2>
      <div class="table-wrap"><table data-testid="resources">
        <thead><tr><th>Resource</th><th>Total</th><th>Used</th><th>Offered</th><th>Idle</th></tr></thead>
        <tbody>
          <ResourceRow label="CPUs" total={t.cpus[0]} snapshotUsed={t.cpus[1]} offered={t.cpus[2]} used={usedByTasks(model, 'cpus')} show={(n) => n} />
          <ResourceRow label="Memory" total={t.mem[0]} snapshotUsed={t.mem[1]} offered={t.mem[2]} used={usedByTasks(model, 'mem')} show={mb} />
          <ResourceRow label="Disk" total={t.disk[0]} snapshotUsed={t.disk[1]} offered={t.disk[2]} used={usedByTasks(model, 'disk')} show={mb} />
        </tbody>
      </table></div>
      <h2>Tasks by state</h2>
      <div class="cards" data-testid="tasks-by-state">
        {countByState(live).map(([state, n]) => <a class="card" href={`#/tasks?state=${state}`}><span class={`state ${state}`}>{state}</span> <span class="big">{n}</span></a>)}
      </div>
      <h2>CPU allocation</h2>
      <Chart samples={history} />
    </section>
  );
}
