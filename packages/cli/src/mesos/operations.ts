// `mesos reserve|unreserve|volume|teardown|resolve`: changes through the master's operator API.
import type { FlagSpecs, ParsedArgs } from '../args.js';
import { formatLeader, parseDuration } from '@mesos-ts/wire';
import { masterAddress, resolveOrExplain } from '../endpoint.js';
import { usage } from '../errors.js';
import { getJson, operatorCall } from '../http.js';
import { COMMON_FLAGS, json, masterOf, type Command, type Io } from './command.js';
import { parseSizeMb, reserveCall, unreserveCall, volumeCall } from './operator-calls.js';
import { agentAddress, findAgent, type MasterStateJson } from './state-model.js';

const need = (args: ParsedArgs, name: string, example: string): string => {
  const v = args.strings.get(name);
  if (v === undefined || v === '') throw usage(`--${name} is required, e.g. --${name}=${example}`);
  return v;
};

async function resolveAgent(master: string, query: string): Promise<{ id: string; address: string }> {
  const state = (await getJson(master, '/master/state')) as MasterStateJson;
  const agent = findAgent(state, query);
  return { id: agent.id, address: agentAddress(agent) };
}

const noPositionals = (args: ParsedArgs, name: string): void => {
  if (args.positionals.length > 0) throw usage(`'mesos ${name}' takes only flags, got '${args.positionals.join(' ')}'`);
};

const AGENT_ROLE_FLAGS: FlagSpecs = {
  ...COMMON_FLAGS,
  agent: { kind: 'string', value: 'id|host:port', help: 'Agent: its id, host:port, hostname or hostname attribute.' },
  role: { kind: 'string', value: 'role', help: 'Role the resources are reserved for.' },
  principal: { kind: 'string', value: 'principal', help: 'Principal to authenticate as (with --secret) and to record on the reservation or volume; or MESOS_PRINCIPAL.' },
};

const RESERVE_FLAGS: FlagSpecs = {
  ...AGENT_ROLE_FLAGS,
  resources: { kind: 'string', value: 'resources', help: "Resources to (un)reserve, e.g. 'cpus:1;mem:128'." },
};

function reservation(action: 'reserve' | 'unreserve'): Command {
  return {
    name: action,
    summary: action === 'reserve' ? "Reserve an agent's resources for a role." : 'Give reserved resources back to the unreserved pool.',
    usage: "--agent=<id> --resources='cpus:1;mem:128' --role=<role> [--principal=<p>]",
    description:
      action === 'reserve'
        ? 'Dynamically reserves unreserved resources of one agent for a role (operator API RESERVE_RESOURCES).'
        : 'Removes a dynamic reservation (operator API UNRESERVE_RESOURCES); --role and --principal must match the reservation.',
    flags: RESERVE_FLAGS,
    async run(args, io: Io) {
      noPositionals(args, action);
      const master = await masterOf(args, io);
      const spec = { agentId: '', resources: need(args, 'resources', "'cpus:1;mem:128'"), role: need(args, 'role', 'web'), principal: args.strings.get('principal') };
      const agentQuery = need(args, 'agent', '<agent id>');
      // Build first so bad flags are reported before any request.
      (action === 'reserve' ? reserveCall : unreserveCall)({ ...spec, agentId: agentQuery });
      const agent = await resolveAgent(master, agentQuery);
      const call = (action === 'reserve' ? reserveCall : unreserveCall)({ ...spec, agentId: agent.id });
      await operatorCall(master, call);
      if (args.bools.get('json')) io.out(json({ agent_id: agent.id, action, resources: spec.resources, role: spec.role }));
      else io.out(`${action === 'reserve' ? 'Reserved' : 'Unreserved'} ${spec.resources} for role '${spec.role}' on agent ${agent.id} (${agent.address})\n`);
      return 0;
    },
  };
}

export const reserve = reservation('reserve');
export const unreserve = reservation('unreserve');

export const volume: Command = {
  name: 'volume',
  summary: 'Create or destroy a persistent volume on an agent.',
  usage: 'create|destroy --agent=<id> --role=<role> --id=<volume id> --size=<MB> --path=<container path> [--principal=<p>]',
  description:
    "Creates (or destroys) a persistent volume from the agent's disk reserved for the role. Reserve the disk first: mesos reserve --resources=disk:<MB> --role=<role>.",
  flags: {
    ...AGENT_ROLE_FLAGS,
    id: { kind: 'string', value: 'id', help: 'Persistence id of the volume.' },
    size: { kind: 'string', value: 'MB', help: 'Size in MB (or 512MB, 2GB).' },
    path: { kind: 'string', value: 'path', help: 'Where tasks see the volume, relative to their sandbox.' },
  },
  async run(args, io) {
    const [action, ...rest] = args.positionals;
    if (action !== 'create' && action !== 'destroy') throw usage(`'mesos volume' needs 'create' or 'destroy', got '${action ?? ''}'`);
    if (rest.length > 0) throw usage(`'mesos volume ${action}' takes only flags, got '${rest.join(' ')}'`);
    const master = await masterOf(args, io);
    const spec = {
      agentId: need(args, 'agent', '<agent id>'),
      role: need(args, 'role', 'web'),
      principal: args.strings.get('principal'),
      id: need(args, 'id', 'data-0'),
      sizeMb: parseSizeMb(need(args, 'size', '100')),
      containerPath: need(args, 'path', 'data'),
    };
    volumeCall(action, spec);
    const agent = await resolveAgent(master, spec.agentId);
    await operatorCall(master, volumeCall(action, { ...spec, agentId: agent.id }));
    if (args.bools.get('json')) io.out(json({ agent_id: agent.id, action, id: spec.id, size_mb: spec.sizeMb, path: spec.containerPath, role: spec.role }));
    else io.out(`${action === 'create' ? 'Created' : 'Destroyed'} volume '${spec.id}' (${spec.sizeMb} MB at ${spec.containerPath}, role '${spec.role}') on agent ${agent.id} (${agent.address})\n`);
    return 0;
  },
};

export const teardown: Command = {
  name: 'teardown',
  summary: 'Tear down a framework: kill its tasks and remove it.',
  usage: '<framework id> [--master=host:port]',
  description: 'Removes the framework from the master (operator API TEARDOWN); its tasks are killed. Irreversible.',
  flags: COMMON_FLAGS,
  async run(args, io) {
    const [id, ...rest] = args.positionals;
    if (id === undefined || rest.length > 0) throw usage("'mesos teardown' needs exactly one framework id; 'mesos frameworks' lists them");
    await operatorCall(await masterOf(args, io), { type: 'TEARDOWN', teardown: { framework_id: { value: id } } });
    if (args.bools.get('json')) io.out(json({ framework_id: id, torn_down: true }));
    else io.out(`Tore down framework ${id}\n`);
    return 0;
  },
};

export const resolve: Command = {
  name: 'resolve',
  summary: 'Print the leading master (host:port) of a master address.',
  usage: '<zk://host:2181/mesos | host:port[,host:port…]>',
  description:
    'Prints the elected leader as host:port: for zk:// from the election in ZooKeeper, for a list of masters\n' +
    'from the first one whose /master/redirect names the leader. Exits 1 when there is no leader (or\n' +
    'ZooKeeper / the masters cannot be reached) within --timeout.',
  flags: { ...COMMON_FLAGS, timeout: { kind: 'string', value: 'duration', help: 'How long to look for the leader.', default: '10secs' } },
  async run(args, io) {
    const [target, ...rest] = args.positionals;
    if (rest.length > 0) throw usage("'mesos resolve' takes one master address");
    const spec = target === undefined ? masterAddress(args.strings.get('master'), io.env) : target.trim();
    const leader = formatLeader(await resolveOrExplain(spec, parseTimeout(args.strings.get('timeout') ?? '10secs')));
    io.out(args.bools.get('json') ? json({ leader }) : `${leader}\n`);
    return 0;
  },
};

function parseTimeout(text: string): number {
  let ms: number;
  try {
    ms = Number(parseDuration(text) / 1_000_000n);
  } catch {
    throw usage(`--timeout must be a duration like 5secs or 500ms, got '${text}'`);
  }
  if (ms <= 0) throw usage(`--timeout must be positive, got '${text}'`);
  return ms;
}
