// Resource usage per running executor (/monitor/statistics and GET_CONTAINERS): CPU times and RSS from /proc
// (posix/cpu, posix/mem), or from the container's cgroup with cgroups/cpu, cgroups/mem (which also give
// throttling, cache and the limit the kernel enforces); limits from the resources the container holds.
import type { v1 } from '@mesos-ts/proto';
import type { AgentContext } from './agent-context.js';
import type { Container } from './containerizer.js';
import { containerResources, sumScalar } from './isolation.js';
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
    const limits = containerResources(ex);
    const cpus = sumScalar(limits, 'cpus');
    const mem = sumScalar(limits, 'mem');
    const statistics: v1.ResourceStatistics = {
      timestamp,
      processes: u?.processes ?? 0,
      cpus_user_time_secs: u?.cpusUserTimeSecs ?? 0,
      cpus_system_time_secs: u?.cpusSystemTimeSecs ?? 0,
      cpus_limit: cpus,
      mem_rss_bytes: BigInt(u?.memRssBytes ?? 0),
      mem_total_bytes: BigInt(u?.memRssBytes ?? 0),
      mem_limit_bytes: BigInt(Math.round(mem * MB)),
    };
    const c = agent.isolation.usage(ex);
    if (c) {
      const big = (n: number | undefined): bigint | undefined => (n === undefined ? undefined : BigInt(Math.round(n)));
      const fields: Partial<v1.ResourceStatistics> = {
        processes: c.processes,
        cpus_user_time_secs: c.cpusUserTimeSecs,
        cpus_system_time_secs: c.cpusSystemTimeSecs,
        cpus_nr_periods: c.cpusNrPeriods,
        cpus_nr_throttled: c.cpusNrThrottled,
        cpus_throttled_time_secs: c.cpusThrottledTimeSecs,
        mem_rss_bytes: big(c.memRssBytes),
        mem_total_bytes: big(c.memTotalBytes),
        mem_limit_bytes: big(c.memLimitBytes),
        mem_cache_bytes: big(c.memCacheBytes),
        mem_file_bytes: big(c.memFileBytes),
        mem_anon_bytes: big(c.memAnonBytes),
        mem_mapped_file_bytes: big(c.memMappedFileBytes),
      };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) (statistics as unknown as Record<string, unknown>)[k] = v;
    }
    return { ex, statistics };
  });
}
