// The embedded cluster for e2e scenarios: mesos-local's cluster (one master and N real agents in this process,
// from @mesos-ts/cli) with what tests need: a 50 ms allocation interval, ephemeral ports, fast agent
// registration, and agents that restart as if they crashed (executors keep running; the new agent recovers
// them and re-registers with the same agent id).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startCluster, type LocalAgent, type LocalCluster } from '@mesos-ts/cli';

export type EmbeddedAgent = LocalAgent;
export type EmbeddedCluster = LocalCluster;

export interface EmbeddedOptions {
  workDir: string;
  numAgents: number;
  /** Resources of every agent, e.g. `cpus:2;mem:1024;disk:1000` (a distinct port range is added per agent). */
  resources: string;
  /** Extra agent flags, e.g. `--command_executor=inline`. */
  agentFlags?: readonly string[];
}

/** The last `lines` lines of one daemon's log, for failure messages. */
export function logTail(cluster: EmbeddedCluster, name: string, lines = 20): string {
  try {
    return readFileSync(path.join(cluster.logDir, `${name}.log`), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log for ${name})`;
  }
}

export function startEmbeddedCluster(options: EmbeddedOptions): Promise<EmbeddedCluster> {
  return startCluster({
    numAgents: options.numAgents,
    ip: '127.0.0.1',
    port: 0,
    workDir: options.workDir,
    resources: options.resources,
    attributes: undefined,
    allocationInterval: '50ms',
    verbose: false,
    agentFlags: ['--registration_backoff_factor=100ms', ...(options.agentFlags ?? [])],
  });
}
