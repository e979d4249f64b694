// `mesos ps`, `mesos frameworks`, `mesos agents`, `mesos state [path]`: read-only views of /master/state.
import { usage, CliError } from '../errors.js';
import { formatElapsed, formatMegabytes, formatScalar } from '../format.js';
import { getJson } from '../http.js';
import { lookupPath } from '../path-lookup.js';
import { formatTable } from '../table.js';
import { COMMON_FLAGS, json, masterOf, type Command, type Io } from './command.js';
import { agentAddress, allTasks, taskSeconds, type MasterStateJson } from './state-model.js';

const fetchState = async (master: string): Promise<MasterStateJson> => (await getJson(master, '/master/state')) as MasterStateJson;

/** The tasks table rows (pure, for tests): framework, agent host, task, state, cpus, mem, time. */
export function psRows(state: MasterStateJson, nowSecs: number, all: boolean): string[][] {
  return allTasks(state)
    .filter((t) => all || t.active)
    .map(({ task, framework, agent, active }) => [
      framework.name ?? framework.id,
      agent ? String(agent.attributes?.['hostname'] ?? agent.hostname ?? agent.id) : task.slave_id,
      task.id,
      task.state.replace(/^TASK_/, ''),
      formatScalar(task.resources?.['cpus']),
      formatMegabytes(task.resources?.['mem']),
      formatElapsed(taskSeconds(task, nowSecs, active)),
    ]);
}

export const ps: Command = {
  name: 'ps',
  summary: 'List the running tasks (framework, agent, task, state, cpus, mem, time).',
  usage: '[--all] [--master=host:port] [--json]',
  description: 'Lists the tasks the master knows, one row each. --all adds finished tasks.',
  flags: { ...COMMON_FLAGS, all: { kind: 'bool', alias: 'a', help: 'Include completed tasks.' } },
  async run(args, io) {
    const state = await fetchState(await masterOf(args, io));
    const all = args.bools.get('all') ?? false;
    if (args.bools.get('json')) {
      io.out(json(allTasks(state).filter((t) => all || t.active).map((t) => ({ ...t.task, framework_name: t.framework.name, agent_hostname: t.agent?.hostname }))));
      return 0;
    }
    const rows = psRows(state, io.now(), all);
    io.out(formatTable(
      [{ header: 'FRAMEWORK' }, { header: 'AGENT' }, { header: 'TASK' }, { header: 'STATE' }, { header: 'CPUS', align: 'right' }, { header: 'MEM', align: 'right' }, { header: 'TIME', align: 'right' }],
      rows,
    ));
    return 0;
  },
};

export function frameworkRows(state: MasterStateJson): string[][] {
  return (state.frameworks ?? []).map((f) => [
    f.id,
    f.name ?? '',
    (f.roles && f.roles.length > 0 ? f.roles : [f.role ?? '*']).join(','),
    f.active ? 'yes' : 'no',
    String((f.tasks ?? []).length),
    formatScalar(f.used_resources?.['cpus']),
    formatMegabytes(f.used_resources?.['mem']),
  ]);
}

export const frameworks: Command = {
  name: 'frameworks',
  summary: 'List the registered frameworks.',
  usage: '[--master=host:port] [--json]',
  description: 'Lists the frameworks registered with the master: id, name, roles, whether active, tasks and resources in use.',
  flags: COMMON_FLAGS,
  async run(args, io) {
    const state = await fetchState(await masterOf(args, io));
    if (args.bools.get('json')) {
      io.out(json(state.frameworks ?? []));
      return 0;
    }
    io.out(formatTable(
      [{ header: 'ID' }, { header: 'NAME' }, { header: 'ROLES' }, { header: 'ACTIVE' }, { header: 'TASKS', align: 'right' }, { header: 'CPUS', align: 'right' }, { header: 'MEM', align: 'right' }],
      frameworkRows(state),
    ));
    return 0;
  },
};

export function agentRows(state: MasterStateJson): string[][] {
  return (state.slaves ?? []).map((a) => {
    const used = a.used_resources ?? {};
    const total = a.resources ?? {};
    const reserved = Object.keys(a.reserved_resources ?? {}).join(',');
    const attributes = Object.entries(a.attributes ?? {}).map(([k, v]) => `${k}:${v}`).join(';');
    return [
      a.id,
      agentAddress(a),
      a.active ? 'yes' : 'no',
      `${formatScalar(used['cpus'])}/${formatScalar(total['cpus'])}`,
      `${formatMegabytes(used['mem'])}/${formatMegabytes(total['mem'])}`,
      `${formatMegabytes(used['disk'])}/${formatMegabytes(total['disk'])}`,
      reserved || '-',
      attributes || '-',
    ];
  });
}

export const agents: Command = {
  name: 'agents',
  summary: 'List the agents (address, used/total cpus, mem, disk, reserved roles, attributes).',
  usage: '[--master=host:port] [--json]',
  description: 'Lists the agents registered with the master.',
  flags: COMMON_FLAGS,
  async run(args, io) {
    const state = await fetchState(await masterOf(args, io));
    if (args.bools.get('json')) {
      io.out(json(state.slaves ?? []));
      return 0;
    }
    io.out(formatTable(
      [{ header: 'ID' }, { header: 'ADDRESS' }, { header: 'ACTIVE' }, { header: 'CPUS', align: 'right' }, { header: 'MEM', align: 'right' }, { header: 'DISK', align: 'right' }, { header: 'RESERVED' }, { header: 'ATTRIBUTES' }],
      agentRows(state),
    ));
    return 0;
  },
};

export const state: Command = {
  name: 'state',
  summary: "Print the master's state, or one value in it (e.g. frameworks.0.name).",
  usage: '[path] [--master=host:port]',
  description: "Prints /master/state as JSON. With a path (frameworks.0.name, slaves.1.resources.cpus, flags[\"work_dir\"]) prints only that value; strings print bare.",
  flags: COMMON_FLAGS,
  async run(args, io: Io) {
    if (args.positionals.length > 1) throw usage(`'mesos state' takes at most one path, got ${args.positionals.length}`);
    const doc = await getJson(await masterOf(args, io), '/master/state');
    const path = args.positionals[0];
    if (path === undefined) {
      io.out(json(doc));
      return 0;
    }
    const hit = lookupPath(doc, path);
    if (!hit.found) {
      const there = hit.keys.length > 0 ? `; there is: ${hit.keys.slice(0, 20).join(', ')}` : ' (its parent is empty or not an object)';
      throw new CliError('NOT_FOUND', `no '${hit.at}' in the master state${there}`);
    }
    io.out(typeof hit.value === 'string' && !args.bools.get('json') ? `${hit.value}\n` : json(hit.value));
    return 0;
  },
};
