// The embedded cluster: one master and N agents in this process, each with its own directory under the
// work_dir (master/ holds the registry, agent-<k>/ the sandboxes and checkpoints, logs/ every log).
// Embedders (e2e scenarios) may add agent flags and restart one agent as if it crashed.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { Agent, Fetcher, agentResources, machineFacts, parseFlags as parseAgentFlags } from '@mesos-ts/agent';
import { parseFlags as parseMasterFlags, startMaster, type RunningMaster } from '@mesos-ts/master';
import { parseAttributes } from '@mesos-ts/resources';
import { CliError } from '../errors.js';
import { runLauncher, type RunningLauncher } from '@mesos-ts/marathon';
import { agentAddress, agentAttributesText, agentPort, agentResourcesText, type LocalOptions } from './flags.js';

export interface LocalAgent {
  name: string;
  /** The agent's work_dir. */
  workDir: string;
  address: string;
  resources: string;
  /** The running agent; replaced by restart(). */
  agent: Agent;
  /** Stops the agent without killing its executors (as a crash would), then starts a new one on the same work_dir and port. */
  restart(): Promise<void>;
}

/** mesos-local's options, plus flags an embedder adds to every agent (e.g. `--command_executor=process`). */
export type ClusterOptions = LocalOptions & { agentFlags?: readonly string[] };

export interface LocalCluster {
  /** `ip:port` of the master. */
  master: string;
  agents: LocalAgent[];
  logDir: string;
  /** The in-process Marathon-style launcher (`--launcher_port`), when one runs: its base URL. */
  launcher?: { url: string } | undefined;
  /**
   * Starts one more agent (the next address and agent-<k> directory), registered before this resolves.
   * `resources` replaces the cluster's per-agent text, e.g. to offer another agent's port range.
   */
  addAgent(extra?: { resources?: string }): Promise<LocalAgent>;
  /** Kills every task, stops the agents, then the master. Idempotent. */
  stop(): Promise<void>;
}

/** How long start() waits for every agent to register, in ms. */
export const REGISTRATION_TIMEOUT_MS = 15_000;

function logger(logDir: string, name: string, verbose: boolean): Logger {
  const streams: pino.StreamEntry[] = [{ stream: pino.destination({ dest: path.join(logDir, `${name}.log`), mkdir: true, sync: true }) }];
  if (verbose) streams.push({ stream: pino.destination(2) });
  return pino({ level: 'info', base: { component: name } }, pino.multistream(streams));
}

export async function startCluster(options: ClusterOptions): Promise<LocalCluster> {
  const logDir = path.join(options.workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const parsed = parseMasterFlags([
    `--ip=${options.ip}`,
    `--port=${options.port}`,
    `--work_dir=${path.join(options.workDir, 'master')}`,
    `--allocation_interval=${options.allocationInterval}`,
    '--cluster=mesos-local',
    ...(options.masterFlags ?? []),
  ], options.env ?? {});
  if (parsed.help) throw new Error('unreachable: no --help given to the master');
  const running: RunningMaster = await startMaster(parsed.flags, { logger: logger(logDir, 'master', options.verbose) });
  const master = `${options.ip}:${running.port}`;
  const agents: LocalAgent[] = [];
  let launcher: RunningLauncher | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      // The launcher first, so it does not replace the tasks the agents are about to kill.
      await launcher?.stop().catch(() => undefined);
      // Kill tasks first so their terminal updates still reach the master, then stop everything.
      await Promise.allSettled(agents.map((a) => a.agent.stop({ killExecutors: true })));
      await running.stop();
    })();
    return stopped;
  };
  try {
    for (let k = 0; k < options.numAgents; k++) agents.push(await startAgent(options, master, k, logDir));
    await waitForAgents(running, agents.length);
    if (options.launcherPort !== undefined) {
      launcher = await runLauncher(
        { master, httpPort: options.launcherPort, hostname: options.ip, frameworkName: 'marathon', role: options.launcherRole ?? '*', failoverTimeoutSecs: 604800, taskLaunchTimeoutMs: 300_000, workDir: path.join(options.workDir, 'marathon') },
        logger(logDir, 'marathon', options.verbose),
      ).catch((e: unknown) => {
        if ((e as { code?: string }).code !== 'EADDRINUSE') throw e;
        throw new CliError('UNSUPPORTED', `the launcher's port ${options.launcherPort} is already in use (another mesos-local or Marathon?); pick another with --launcher_port=<port>, or --launcher_port=off`);
      });
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const addAgent = async (extra: { resources?: string } = {}): Promise<LocalAgent> => {
    const agent = await startAgent({ ...options, ...extra }, master, agents.length, logDir);
    agents.push(agent);
    await waitForAgents(running, agents.length);
    return agent;
  };
  return { master, agents, logDir, launcher: launcher === undefined ? undefined : { url: launcher.url }, addAgent, stop };
}

async function startAgent(options: ClusterOptions, master: string, k: number, logDir: string): Promise<LocalAgent> {
  const name = `agent-${k}`;
  const workDir = path.join(options.workDir, name);
  const log = logger(logDir, name, options.verbose);
  const address = agentAddress(options.ip, k, options.singleAddress ?? false);
  // A restart reuses the first start's port: executors find their agent by its endpoint.
  const create = async (port: number): Promise<{ agent: Agent; resources: string }> => {
    const flags = parseAgentFlags(
      [
        `--master=${master}`,
        `--ip=${address}`,
        `--port=${port}`,
        `--hostname=${address}`,
        `--work_dir=${workDir}`,
        `--fetcher_cache_dir=${path.join(workDir, 'fetch')}`,
        `--resources=${agentResourcesText(options.resources, k, options.port)}`,
        `--attributes=${agentAttributesText(options.attributes, k)}`,
        ...(options.agentFlags ?? []),
      ],
      options.env ?? {},
      (p) => readFileSync(p, 'utf8'),
    );
    const resources = agentResources(flags.resources, flags.default_role, machineFacts(flags.work_dir));
    const agent = new Agent({
      flags,
      log,
      resources,
      attributes: parseAttributes(flags.attributes ?? ''),
      fetcher: new Fetcher({ cacheDir: flags.fetcher_cache_dir, cacheSizeBytes: flags.fetcher_cache_size_bytes, log }),
      onShutdown: (message) => log.error({ message }, 'agent shut down by the master'),
    });
    await agent.start();
    return { agent, resources: resources.toString() };
  };
  const first = await create(agentPort(options.port, k));
  const handle: LocalAgent = {
    name,
    workDir,
    address: first.agent.address,
    resources: first.resources,
    agent: first.agent,
    async restart() {
      const port = Number(handle.agent.address.split(':')[1]);
      await handle.agent.stop({ killExecutors: false });
      handle.agent = (await create(port)).agent;
    },
  };
  return handle;
}

/** Waits on the in-process master's books (not /master/state: that may need credentials). */
async function waitForAgents(running: RunningMaster, count: number): Promise<void> {
  const deadline = Date.now() + REGISTRATION_TIMEOUT_MS;
  const registered = (): number => [...running.master.books.agents.values()].filter((a) => a.reachable).length;
  for (;;) {
    if (registered() >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${registered()} of ${count} agents registered with the master within ${REGISTRATION_TIMEOUT_MS} ms; see the logs`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
