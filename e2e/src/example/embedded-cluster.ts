// The embedded cluster for e2e scenarios: one master and N real agents in this process, built the way
// mesos-local builds them (packages/cli/src/mesos-local/cluster.ts, not exported), plus what a test needs
// and mesos-local does not: stopping one agent as if it crashed (executors keep running) and starting it
// again on the same work_dir, so it recovers its executors and re-registers with the same agent id.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { Agent, Fetcher, agentResources, machineFacts, parseFlags as parseAgentFlags } from '@mesos-ts/agent';
import { parseFlags as parseMasterFlags, startMaster, type RunningMaster } from '@mesos-ts/master';
import { parseAttributes } from '@mesos-ts/resources';

export interface EmbeddedAgent {
  readonly name: string;
  readonly workDir: string;
  /** The running agent; replaced by restart(). */
  agent: Agent;
  /** Stops the agent without killing its executors (as a crash would), then starts a new one on the same work_dir and port. */
  restart(): Promise<void>;
}

export interface EmbeddedCluster {
  /** `127.0.0.1:port` of the master. */
  master: string;
  agents: EmbeddedAgent[];
  logDir: string;
  /** Kills every task, stops the agents, then the master. Idempotent. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  workDir: string;
  numAgents: number;
  /** Resources of every agent, e.g. `cpus:2;mem:1024;disk:1000` (a distinct port range is added per agent). */
  resources: string;
  /** Extra agent flags, e.g. `--command_executor=inline`. */
  agentFlags?: readonly string[];
}

function logger(logDir: string, name: string): Logger {
  return pino({ level: 'info', base: { component: name } }, pino.destination({ dest: path.join(logDir, `${name}.log`), mkdir: true, sync: true }));
}

/** The last `lines` lines of one daemon's log, for failure messages. */
export function logTail(cluster: EmbeddedCluster, name: string, lines = 20): string {
  try {
    return readFileSync(path.join(cluster.logDir, `${name}.log`), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log for ${name})`;
  }
}

export async function startEmbeddedCluster(options: EmbeddedOptions): Promise<EmbeddedCluster> {
  const logDir = path.join(options.workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const parsed = parseMasterFlags(['--ip=127.0.0.1', '--port=0', `--work_dir=${path.join(options.workDir, 'master')}`, '--allocation_interval=50ms']);
  if (parsed.help) throw new Error('unreachable: no --help given to the master');
  const running: RunningMaster = await startMaster(parsed.flags, { logger: logger(logDir, 'master') });
  const master = `127.0.0.1:${running.port}`;
  const agents: EmbeddedAgent[] = [];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await Promise.allSettled(agents.map((a) => a.agent.stop({ killExecutors: true })));
      await running.stop();
    })();
    return stopped;
  };
  try {
    for (let k = 0; k < options.numAgents; k++) agents.push(await embeddedAgent(options, master, k, logDir));
  } catch (e) {
    await stop();
    throw e;
  }
  return { master, agents, logDir, stop };
}

async function embeddedAgent(options: EmbeddedOptions, master: string, k: number, logDir: string): Promise<EmbeddedAgent> {
  const name = `agent-${k}`;
  const workDir = path.join(options.workDir, name);
  const begin = 31000 + 1000 * k;
  // The first start picks a free port; a restart reuses it, as executors find their agent by its endpoint.
  const create = async (port: number): Promise<Agent> => {
    const flags = parseAgentFlags(
      [
        `--master=${master}`,
        '--ip=127.0.0.1',
        `--port=${port}`,
        '--hostname=127.0.0.1',
        `--work_dir=${workDir}`,
        `--fetcher_cache_dir=${path.join(workDir, 'fetch')}`,
        `--resources=${options.resources};ports:[${begin}-${begin + 999}]`,
        `--attributes=hostname:${name}`,
        '--registration_backoff_factor=100ms',
        ...(options.agentFlags ?? []),
      ],
      {},
      (p) => readFileSync(p, 'utf8'),
    );
    const log = logger(logDir, name);
    const agent = new Agent({
      flags,
      log,
      resources: agentResources(flags.resources, flags.default_role, machineFacts(flags.work_dir)),
      attributes: parseAttributes(flags.attributes ?? ''),
      fetcher: new Fetcher({ cacheDir: flags.fetcher_cache_dir, cacheSizeBytes: flags.fetcher_cache_size_bytes, log }),
      onShutdown: (message) => log.error({ message }, 'agent shut down by the master'),
    });
    await agent.start();
    return agent;
  };
  const handle: EmbeddedAgent = {
    name,
    workDir,
    agent: await create(0),
    async restart() {
      const port = Number(handle.agent.address.split(':')[1]);
      await handle.agent.stop({ killExecutors: false });
      handle.agent = await create(port);
    },
  };
  return handle;
}
