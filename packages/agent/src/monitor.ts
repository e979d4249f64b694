// Resource usage per running executor (/monitor/statistics and GET_CONTAINERS): CPU times and RSS from /proc
// (posix/cpu, posix/mem), limits from the resources the executor and its tasks hold.
import type { v1 } from '@mesos-ts/proto';
import type { AgentContext } from './agent-context.js';
import type { Container } from './containerizer.js';
import type { ExecutorRec } from './model.js';

export interface ExecutorUsage {
  ex: ExecutorRec;
  statistics: v1.ResourceStatistics;
}

const MB = 1024 * 1024;

export function collectUsage(agent: AgentContext): ExecutorUsage[] {
  const live = [...agent.allExecutors()].filter((ex): ex is ExecutorRec & { container: Container } => ex.container !== undefined && ex.state !== 'terminated');
  const usage = agent.containerizer.usage(live.map((ex) => ex.container));
  const timestamp = agent.clock.now() / 1000;
  return live.map((ex) => {
    const u = usage.get(ex.containerId);
    const resources = [...(ex.info.resources ?? []), ...[...ex.taskInfos.values()].flatMap((t) => t.resources ?? [])];
    // Command executors' info repeats their task's resources: count them once.
    const limitSource = ex.kind === 'command' ? (ex.info.resources ?? []) : resources;
    const cpus = sumScalar(limitSource, 'cpus');
    const mem = sumScalar(limitSource, 'mem');
    return {
      ex,
      statistics: {
        timestamp,
        processes: u?.processes ?? 0,
        cpus_user_time_secs: u?.cpusUserTimeSecs ?? 0,
        cpus_system_time_secs: u?.cpusSystemTimeSecs ?? 0,
        cpus_limit: cpus,
        mem_rss_bytes: BigInt(u?.memRssBytes ?? 0),
        mem_total_bytes: BigInt(u?.memRssBytes ?? 0),
        mem_limit_bytes: BigInt(Math.round(mem * MB)),
      },
    };
  });
}

function sumScalar(resources: readonly v1.Resource[], name: string): number {
  let n = 0;
  for (const r of resources) if (r.name === name && r.type === 'SCALAR') n += r.scalar?.value ?? 0;
  return n;
}
