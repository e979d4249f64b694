// mesos-local flags: how many agents, where the master listens, where state lives, what each agent offers.
import path from 'node:path';
import { parseAttributes, Resources } from '@mesos-ts/resources';
import { formatHelp, parseArgs, type FlagSpecs } from '../args.js';
import { usage } from '../errors.js';

export const LOCAL_FLAGS: FlagSpecs = {
  num_agents: { kind: 'string', value: 'N', help: 'Number of agents.', default: '2' },
  ip: { kind: 'string', value: 'ip', help: 'Address the master and agents listen on.', default: '127.0.0.1' },
  port: { kind: 'string', value: 'port', help: 'Master port; agent k listens on port+1+k (0: every port ephemeral).', default: '5050' },
  work_dir: { kind: 'string', value: 'dir', help: 'Where the registry, sandboxes, checkpoints and logs live; a restart recovers from it.', default: './.mesos-ts' },
  resources: { kind: 'string', value: 'resources', help: 'Resources of each agent (ports default to a distinct range per agent).', default: 'cpus:2;mem:2048;disk:8192' },
  attributes: { kind: 'string', value: 'attributes', help: "Extra attributes of each agent, e.g. 'rack:r1'; 'hostname:agent-<k>' is always set." },
  allocation_interval: { kind: 'string', value: 'duration', help: 'Master allocation interval.', default: '1secs' },
  verbose: { kind: 'bool', help: 'Also write the daemons\' logs to stderr (they always go to <work_dir>/logs).' },
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
}

export type LocalArgs = { help: true; text: string } | { help: false; options: LocalOptions };

export function parseLocalArgs(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): LocalArgs {
  const args = parseArgs(argv, LOCAL_FLAGS);
  if (args.help) return { help: true, text: localHelp() };
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
    },
  };
}

export function localHelp(): string {
  return formatHelp(
    'mesos-local [--num_agents=2] [--port=5050] [--work_dir=./.mesos-ts] [--resources=…] [--attributes=…]',
    'Runs a master and N agents in this process: an embedded cluster for trying things out. State persists in\n' +
      '--work_dir, so a restart recovers the registry and agent ids. Ctrl-C kills the tasks and stops everything.',
    LOCAL_FLAGS,
  );
}

/** Port of agent k: master port + 1 + k, or 0 (ephemeral) when the master's port is. */
export const agentPort = (masterPort: number, k: number): number => (masterPort === 0 ? 0 : masterPort + 1 + k);

/** Resources of agent k: the given text plus, unless it names ports, a distinct 1000-port range per agent. */
export function agentResourcesText(resources: string, k: number): string {
  if (/(^|;)\s*ports\s*[:(]/.test(resources)) return resources;
  const begin = 31000 + 1000 * k;
  return `${resources.replace(/;\s*$/, '')};ports:[${begin}-${begin + 999}]`;
}

/** Attributes of agent k: `hostname:agent-<k>` first, then the user's (a user `hostname` wins). */
export function agentAttributesText(attributes: string | undefined, k: number): string {
  const extra = (attributes ?? '').trim();
  if (/(^|;)\s*hostname\s*:/.test(extra)) return extra;
  return extra === '' ? `hostname:agent-${k}` : `hostname:agent-${k};${extra}`;
}
