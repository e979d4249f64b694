// mesos-local flags: how many agents, where the master listens, where state lives, what each agent offers.
import path from 'node:path';
import { parseAttributes, Resources } from '@mesos-ts/resources';
import { formatHelp, parseArgs, type FlagSpecs } from '../args.js';
import { FLAG_SPECS as AGENT_FLAG_SPECS } from '@mesos-ts/agent';
import { FLAG_SPECS as MASTER_FLAG_SPECS } from '@mesos-ts/master';
import { usage } from '../errors.js';
import { checkPassedFlags, splitFlags } from './pass-through.js';

export const LOCAL_FLAGS: FlagSpecs = {
  num_agents: { kind: 'string', value: 'N', help: 'Number of agents.', default: '2' },
  ip: { kind: 'string', value: 'ip', help: 'Address the master and agents listen on.', default: '127.0.0.1' },
  port: { kind: 'string', value: 'port', help: 'Master port; agent k listens on port+1+k (0: every port ephemeral).', default: '5050' },
  work_dir: { kind: 'string', value: 'dir', help: 'Where the registry, sandboxes, checkpoints and logs live; a restart recovers from it.', default: './.mesos-ts' },
  resources: { kind: 'string', value: 'resources', help: 'Resources of each agent (ports default to a distinct range per agent).', default: 'cpus:2;mem:2048;disk:8192' },
  attributes: { kind: 'string', value: 'attributes', help: "Extra attributes of each agent, e.g. 'rack:r1'; 'hostname:agent-<k>' is always set." },
  allocation_interval: { kind: 'string', value: 'duration', help: 'Master allocation interval.', default: '1secs' },
  verbose: { kind: 'bool', help: 'Also write the daemons\' logs to stderr (they always go to <work_dir>/logs).' },
  launcher_port: { kind: 'string', value: 'port|off', help: "Port of the Marathon-style launcher (POST app JSON to /v2/apps) on --ip; 'off' runs none; 0 = ephemeral. Default 8080 (ephemeral when --port=0)." },
  launcher_role: { kind: 'string', value: 'role', help: "Role the launcher registers with (Marathon's --mesos_role); apps with persistent volumes need one other than '*'.", default: '*' },
  single_address: { kind: 'bool', help: 'Run every agent on --ip (the old mode) instead of distinct loopback addresses 127.0.0.1, 127.0.0.2, … per agent.' },
};

export interface LocalOptions {
  numAgents: number;
  ip: string;
  port: number;
  workDir: string;
  resources: string;
  attributes: string | undefined;
  allocationInterval: string;
  verbose: boolean;
  /** Port of the in-process launcher (frameworks/marathon); undefined: no launcher. */
  launcherPort?: number | undefined;
  /** The launcher's role (`--launcher_role`, default `*`). */
  launcherRole?: string;
  /** Every agent on `ip` instead of one loopback address per agent (ip, ip+1, …). */
  singleAddress?: boolean;
  /** mesos-master flags given to mesos-local, passed on as they are (after mesos-local's own). */
  masterFlags?: readonly string[];
  /** mesos-agent flags given to mesos-local, passed to every agent. */
  agentFlags?: readonly string[];
  /** Environment the master and agents read MESOS_* from. */
  env?: NodeJS.ProcessEnv;
}

export type LocalArgs = { help: true; text: string } | { help: false; options: LocalOptions };

export function parseLocalArgs(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): LocalArgs {
  const split = splitFlags(argv, new Set(Object.keys(LOCAL_FLAGS)), new Set(MASTER_FLAG_SPECS.map((f) => f.name)), new Set(AGENT_FLAG_SPECS.map((f) => f.name)));
  const args = parseArgs(split.local, LOCAL_FLAGS);
  if (args.help) return { help: true, text: localHelp() };
  checkPassedFlags(split.master, split.agent, env);
  if (args.positionals.length > 0) throw usage(`mesos-local takes only flags, got '${args.positionals.join(' ')}'`);
  const get = (name: string): string | undefined => args.strings.get(name) ?? env[`MESOS_LOCAL_${name.toUpperCase()}`] ?? LOCAL_FLAGS[name]?.default;
  const int = (name: string, min: number, max: number): number => {
    const text = get(name) as string;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw usage(`--${name} must be an integer in ${min}..${max}, got '${text}'`);
    return n;
  };
  const numAgents = int('num_agents', 0, 64);
  const checked = (name: string, parse: (text: string) => unknown): string | undefined => {
    const text = get(name);
    if (text === undefined) return undefined;
    try {
      parse(text);
    } catch (e) {
      throw usage(`--${name}: ${(e as Error).message}`);
    }
    return text;
  };
  const port = int('port', 0, 65535 - 1 - numAgents);
  return {
    help: false,
    options: {
      numAgents,
      ip: get('ip') as string,
      port,
      workDir: path.resolve(cwd, get('work_dir') as string),
      resources: checked('resources', (t) => Resources.parse(t)) as string,
      attributes: checked('attributes', parseAttributes),
      allocationInterval: get('allocation_interval') as string,
      verbose: args.bools.get('verbose') ?? false,
      launcherPort: launcherPort(get('launcher_port'), port),
      launcherRole: get('launcher_role') as string,
      singleAddress: args.bools.get('single_address') ?? false,
      masterFlags: split.master,
      agentFlags: split.agent,
      env,
    },
  };
}

export function localHelp(): string {
  return formatHelp(
    'mesos-local [--num_agents=2] [--port=5050] [--work_dir=./.mesos-ts] [--resources=…] [--attributes=…]',
    'Runs a master and N agents in this process: an embedded cluster for trying things out. State persists in\n' +
      '--work_dir, so a restart recovers the registry and agent ids. Ctrl-C kills the tasks and stops everything.\n' +
      'Every mesos-master flag (e.g. --weights, --roles) goes to the master and every mesos-agent flag to each\n' +
      'agent; MESOS_* environment variables reach them too.',
    LOCAL_FLAGS,
  );
}

/** Port of agent k: master port + 1 + k, or 0 (ephemeral) when the master's port is. */
export const agentPort = (masterPort: number, k: number): number => (masterPort === 0 ? 0 : masterPort + 1 + k);

/**
 * Resources of agent k: the given text plus, unless it names ports, a distinct 1000-port range per agent that
 * follows the master's port: [31000+1000k, +999] at 5050, shifted by (port - 5050) otherwise (so two clusters
 * on different --port values offer different ports), back to 31000+1000k when the shifted range would leave
 * 1024..65535 or the port is 0.
 */
export function agentResourcesText(resources: string, k: number, masterPort = 5050): string {
  if (/(^|;)\s*ports\s*[:(]/.test(resources)) return resources;
  const shifted = 31000 + 1000 * k + (masterPort === 0 ? 0 : masterPort - 5050);
  const begin = shifted >= 1024 && shifted + 999 <= 65535 ? shifted : 31000 + 1000 * k;
  return `${resources.replace(/;\s*$/, '')};ports:[${begin}-${begin + 999}]`;
}

/** Attributes of agent k: `hostname:agent-<k>` first, then the user's (a user `hostname` wins). */
export function agentAttributesText(attributes: string | undefined, k: number): string {
  const extra = (attributes ?? '').trim();
  if (/(^|;)\s*hostname\s*:/.test(extra)) return extra;
  return extra === '' ? `hostname:agent-${k}` : `hostname:agent-${k};${extra}`;
}

/** `--launcher_port`: 'off' = none; unset = 8080, or ephemeral when the master's port is. */
export function launcherPort(text: string | undefined, masterPort: number): number | undefined {
  if (text === undefined || text === '') return masterPort === 0 ? 0 : 8080;
  if (text === 'off' || text === 'none' || text === 'false') return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw usage(`--launcher_port must be a port number (0 = ephemeral) or 'off', got '${text}'`);
  return n;
}

/**
 * Address of agent k: `ip` in single-address mode; otherwise a distinct loopback address per agent
 * (127.0.0.1, 127.0.0.2, …) so services with fixed ports run one per agent, as on separate machines.
 * A non-loopback `ip` keeps every agent on it (other addresses may not be local).
 */
export function agentAddress(ip: string, k: number, singleAddress: boolean): string {
  const m = /^127\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (singleAddress || m === null) return ip;
  const last = Number(m[3]) + k;
  if (last > 254) return ip;
  return `127.${m[1]}.${m[2]}.${last}`;
}
