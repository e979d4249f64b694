// mesos-execute flags, as upstream's src/cli/execute.cpp names them: `--master --name --command --resources
// --env --shell --uri(s) --framework_name --role --checkpoint --kill_after --content_type --principal --secret`.
import { APPLICATION_JSON, APPLICATION_PROTOBUF, parseDuration, type ContentType } from '@mesos-ts/wire';
import { formatHelp, parseArgs, type FlagSpecs } from '../args.js';
import { masterAddress } from '../endpoint.js';
import { usage } from '../errors.js';

export const EXECUTE_FLAGS: FlagSpecs = {
  master: { kind: 'string', value: 'host:port|zk://host:2181/mesos', help: 'Master to run the task on (or MESOS_MASTER); zk:// follows the leader elected in ZooKeeper.', default: '127.0.0.1:5050' },
  name: { kind: 'string', value: 'name', help: 'Task name; also its task id. Required.' },
  command: { kind: 'string', value: 'command', help: 'Command to run. Required.' },
  shell: { kind: 'bool', help: 'Run the command with /bin/sh -c; --no-shell runs it as a program with whitespace-separated arguments.', default: 'true' },
  resources: { kind: 'string', value: 'resources', help: "Task resources, e.g. 'cpus:1;mem:128'.", default: 'cpus:1;mem:128' },
  env: { kind: 'string', value: 'json', help: 'Environment variables as a JSON object, e.g. \'{"K":"V"}\'.' },
  uri: { kind: 'list', value: 'uri', help: 'URI to fetch into the sandbox before the command runs.' },
  uris: { kind: 'string', value: 'uri,uri', help: 'Comma-separated URIs to fetch.' },
  framework_name: { kind: 'string', value: 'name', help: 'Name of the throwaway framework.', default: 'mesos-execute instance' },
  role: { kind: 'string', value: 'role', help: 'Role the framework subscribes with.', default: '*' },
  checkpoint: { kind: 'bool', help: 'Ask the agent to checkpoint the task (it survives agent restarts).', default: 'false' },
  kill_after: { kind: 'string', value: 'duration', help: 'Kill the task this long after it starts running, e.g. 10secs.' },
  content_type: { kind: 'string', value: 'json|protobuf', help: 'Encoding spoken with the master.', default: 'protobuf' },
  principal: { kind: 'string', value: 'principal', help: 'Principal of the framework.' },
  secret: { kind: 'string', value: 'secret', help: 'Secret of the principal (HTTP basic authentication).' },
};

export interface ExecuteOptions {
  master: string;
  name: string;
  command: string;
  shell: boolean;
  resources: string;
  env: Record<string, string>;
  uris: string[];
  frameworkName: string;
  role: string;
  checkpoint: boolean;
  /** Milliseconds after TASK_RUNNING to kill the task; undefined = never. */
  killAfterMs: number | undefined;
  contentType: ContentType;
  principal: string | undefined;
  secret: string | undefined;
}

export type ExecuteArgs = { help: true; text: string } | { help: false; options: ExecuteOptions };

export function parseExecuteArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ExecuteArgs {
  const args = parseArgs(argv, EXECUTE_FLAGS);
  if (args.help) return { help: true, text: executeHelp() };
  if (args.positionals.length > 0) throw usage(`mesos-execute takes only flags, got '${args.positionals.join(' ')}'; quote the command: --command='…'`);
  const s = (name: string): string | undefined => args.strings.get(name);
  const name = s('name');
  if (name === undefined || name === '') throw usage("--name is required (the task's name and id), e.g. --name=echo-test");
  const command = s('command');
  if (command === undefined || command === '') throw usage("--command is required, e.g. --command='echo Hello, World'");
  const types: Record<string, ContentType> = { json: APPLICATION_JSON, protobuf: APPLICATION_PROTOBUF };
  const contentType = types[s('content_type') ?? 'protobuf'];
  if (contentType === undefined) throw usage(`--content_type must be 'json' or 'protobuf', got '${s('content_type')}'`);
  const secret = s('secret');
  const principal = s('principal');
  if (secret !== undefined && principal === undefined) throw usage('--secret needs --principal');
  return {
    help: false,
    options: {
      master: masterAddress(s('master'), env),
      name,
      command,
      shell: args.bools.get('shell') ?? true,
      resources: s('resources') ?? 'cpus:1;mem:128',
      env: parseEnv(s('env')),
      uris: [...(args.lists.get('uri') ?? []), ...(s('uris') ?? '').split(',').map((u) => u.trim()).filter((u) => u !== '')],
      frameworkName: s('framework_name') ?? 'mesos-execute instance',
      role: s('role') ?? '*',
      checkpoint: args.bools.get('checkpoint') ?? false,
      killAfterMs: parseKillAfter(s('kill_after')),
      contentType,
      principal,
      secret,
    },
  };
}

function parseEnv(text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw usage(`--env must be a JSON object like '{"K":"V"}', got '${text}'`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw usage(`--env must be a JSON object like '{"K":"V"}', got '${text}'`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw usage(`--env: the value of '${k}' must be a string`);
    out[k] = String(v);
  }
  return out;
}

function parseKillAfter(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return Number(parseDuration(text) / 1_000_000n);
  } catch {
    throw usage(`--kill_after must be a duration like 10secs or 2mins, got '${text}'`);
  }
}

export function executeHelp(): string {
  return formatHelp(
    "mesos-execute --master=host:port|zk://host:2181/mesos --name=<name> --command='<command>' [flags]",
    'Runs one task through a throwaway framework and prints its state transitions. Exits 0 if the task\n' +
      'finished (TASK_FINISHED), 1 otherwise, 2 on bad flags.',
    EXECUTE_FLAGS,
  );
}
