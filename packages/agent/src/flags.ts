// mesos-agent flags: `--name=value` on the command line, `MESOS_<NAME>` in the environment (the command line
// wins), `--name=file:///path` reads the value from a file. Durations are Mesos strings (`5secs`), sizes are
// Mesos byte strings (`2GB`). Parsing is pure: the environment and file reader come in as parameters.
import { SecurityConfigError, parseDuration } from '@mesos-ts/wire';
import { agentSecurity, type AgentSecurity } from './agent-security.js';

export class FlagsError extends Error {
  override readonly name = 'FlagsError';
  readonly code = 'INVALID_FLAGS' as const;
}

export type RecoverMode = 'reconnect' | 'cleanup';
export type CommandExecutorMode = 'process' | 'inline';

export interface AgentFlags {
  master: string;
  port: number;
  /** Address to bind; undefined binds every interface. */
  ip: string | undefined;
  hostname: string | undefined;
  work_dir: string;
  /** Raw --resources text (text or JSON form); undefined means auto-detect. */
  resources: string | undefined;
  attributes: string | undefined;
  default_role: string;
  executor_shutdown_grace_period_ms: number;
  executor_registration_timeout_ms: number;
  executor_reregistration_timeout_ms: number;
  recover: RecoverMode;
  recovery_timeout_ms: number;
  gc_delay_ms: number;
  gc_disk_headroom: number;
  disk_watch_interval_ms: number;
  isolation: string;
  /** The --isolation entries, trimmed, without empty ones. */
  isolators: readonly string[];
  /** Name of the cgroup under each hierarchy that holds the agent's container cgroups. */
  cgroups_root: string;
  /** cgroups/cpu also sets a CFS quota (a hard cap) of cpus × period. */
  cgroups_enable_cfs: boolean;
  /** GPU device indices this agent hands out (--nvidia_gpu_devices); undefined: 0..gpus-1. */
  nvidia_gpu_devices: readonly number[] | undefined;
  fetcher_cache_size_bytes: number;
  fetcher_cache_dir: string;
  launcher_dir: string | undefined;
  command_executor: CommandExecutorMode;
  switch_user: boolean;
  registration_backoff_factor_ms: number;
  /** --containerizers in order of preference ('mesos', 'docker'). */
  containerizers: readonly string[];
  /** The docker CLI (--docker). */
  docker: string;
  docker_stop_timeout_ms: number;
  docker_remove_delay_ms: number;
  /** Credential towards the master, HTTP authentication, ACLs and TLS (all off by default). */
  security: AgentSecurity;
  /** Every flag as given or defaulted, as strings (for /flags and GET_FLAGS). */
  raw: Readonly<Record<string, string>>;
}

interface FlagSpec {
  name: string;
  /** undefined: no default (optional unless `required`). */
  default?: string;
  required?: boolean;
  help: string;
}

export const FLAG_SPECS: readonly FlagSpec[] = [
  { name: 'master', required: true, help: 'Master address: host:port[,host:port…], or zk://host:port[,host:port…]/path to follow the elected leader.' },
  { name: 'port', default: '5051', help: 'Port to listen on.' },
  { name: 'ip', help: 'IP address to listen on (default: every interface; executors reach the agent on 127.0.0.1).' },
  { name: 'hostname', help: 'Hostname the agent reports to the master (default: the system hostname).' },
  { name: 'work_dir', default: '/tmp/mesos', help: 'Directory for sandboxes, checkpoints and persistent volumes.' },
  { name: 'resources', help: "Total resources, e.g. 'cpus:4;mem:8192;ports:[31000-32000];cpus(role):2' or JSON (default: detected)." },
  { name: 'attributes', help: "Attributes, e.g. 'rack:r1;zone:a'." },
  { name: 'default_role', default: '*', help: 'Role of resources given without a role in --resources.' },
  { name: 'executor_shutdown_grace_period', default: '5secs', help: 'Time an executor gets to shut down before it is killed (default kill grace period).' },
  { name: 'executor_registration_timeout', default: '1mins', help: 'Time an executor gets to subscribe before it is killed.' },
  { name: 'executor_reregistration_timeout', default: '2secs', help: 'Time recovered executors get to resubscribe after an agent restart.' },
  { name: 'recover', default: 'reconnect', help: "'reconnect': re-attach to running executors after a restart; 'cleanup': kill them." },
  { name: 'recovery_timeout', default: '15mins', help: 'How long checkpointing executors wait for a restarted agent before exiting.' },
  { name: 'gc_delay', default: '1weeks', help: 'How long sandboxes of terminated executors are kept (shortened under disk pressure).' },
  { name: 'gc_disk_headroom', default: '0.1', help: 'Fraction of the work_dir disk to keep free; GC shortens delays as usage grows.' },
  { name: 'disk_watch_interval', default: '1mins', help: 'How often disk usage is checked for GC.' },
  {
    name: 'isolation',
    default: 'posix/cpu,posix/mem',
    help: 'Isolators: posix/cpu,posix/mem account usage from /proc; cgroups/cpu,cgroups/mem put each container in its own cgroup (cpu shares/quota, memory limit, OOM detection; needs root and cgroup v1 or v2); filesystem/linux bind-mounts persistent volumes into sandboxes (root; filesystem/posix symlinks them); gpu/nvidia is accepted (GPUs are always assigned).',
  },
  { name: 'cgroups_root', default: 'mesos', help: 'Cgroup (under each hierarchy) holding one cgroup per container.' },
  { name: 'cgroups_enable_cfs', default: 'false', help: 'With cgroups/cpu, cap each container at its cpus with a CFS quota (cpus × 100ms per 100ms).' },
  { name: 'nvidia_gpu_devices', help: "GPU indices to hand out, e.g. '0,1' (default: 0..gpus-1 of the agent's gpus resource)." },
  { name: 'fetcher_cache_size', default: '2GB', help: 'Size of the fetcher cache.' },
  { name: 'fetcher_cache_dir', default: '/tmp/mesos/fetch', help: 'Directory of the fetcher cache.' },
  { name: 'containerizers', default: 'mesos', help: "Containerizers in order of preference: 'mesos' (processes) and 'docker' (tasks with ContainerInfo.type=DOCKER, when the docker CLI reaches a daemon)." },
  { name: 'docker', default: 'docker', help: 'The docker CLI the docker containerizer runs.' },
  { name: 'docker_stop_timeout', default: '0ns', help: 'Time docker gives a container between SIGTERM and SIGKILL when a task without a kill grace period is killed.' },
  { name: 'docker_remove_delay', default: '6hrs', help: 'Time an ended docker container is kept (for inspection) before it is removed.' },
  { name: 'launcher_dir', help: 'Directory holding mesos-executor (default: the one installed with this agent).' },
  {
    name: 'command_executor',
    // 'inline' is the default because a Node executor process costs ~60 MiB and ~80 ms of CPU per task, which
    // caps an agent at ~12 launches/s and a few hundred tasks per machine; upstream's C++ executor is far lighter.
    default: 'inline',
    help: "How command tasks run: 'inline' supervised by the agent itself (no executor process; ~3 MiB per task), or 'process' under mesos-executor (one executor process per task, as upstream).",
  },
  { name: 'switch_user', default: 'true', help: "Run tasks as the task's or framework's user when the agent runs as root." },
  { name: 'registration_backoff_factor', default: '1secs', help: 'Initial (re)registration backoff; doubles to 1mins.' },
  { name: 'credential', help: "Path (with or without file://) of this agent's credential towards the master: JSON {\"principal\":\"..\",\"secret\":\"..\"} or 'principal secret'. Needed when the master runs with --authenticate_agents." },
  { name: 'credentials', help: "Path (with or without file://) of the credentials this agent's HTTP endpoints accept: JSON {\"credentials\":[...]} or 'principal secret' lines." },
  { name: 'authenticate_http_readonly', default: 'false', help: 'Read-only endpoints (/state, /files/*, /monitor/statistics, GET_* v1 calls...) need HTTP Basic credentials from --credentials (401 otherwise).' },
  { name: 'authenticate_http_readwrite', default: 'false', help: 'Read-write v1 operator calls need HTTP Basic credentials from --credentials (401 otherwise).' },
  { name: 'authenticate_http_executors', default: 'true', help: 'Executors authenticate to /api/v1/executor with the per-container token the agent gives them (MESOS_EXECUTOR_AUTHENTICATION_TOKEN). Always on in this agent; false is refused.' },
  { name: 'acls', help: 'ACLs as JSON or a file:// path (upstream format); this agent enforces access_sandboxes on /files/* (object: the task user).' },
];

export type FileReader = (path: string) => string;

/**
 * Isolators this agent implements: usage accounting from /proc, cgroups (checked against the host at startup),
 * volumes symlinked (filesystem/posix) or bind-mounted (filesystem/linux), GPU assignment.
 */
const SUPPORTED_ISOLATORS: ReadonlySet<string> = new Set(['posix/cpu', 'posix/mem', 'cgroups/cpu', 'cgroups/mem', 'filesystem/posix', 'filesystem/linux', 'gpu/nvidia']);

/** Parses argv (without node and script), env and file:// values into flags; throws FlagsError. */
export function parseFlags(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, readFile: FileReader): AgentFlags {
  const known = new Map(FLAG_SPECS.map((s) => [s.name, s]));
  const given = new Map<string, string>();
  for (const spec of FLAG_SPECS) {
    const fromEnv = env[`MESOS_${spec.name.toUpperCase()}`];
    if (fromEnv !== undefined) given.set(spec.name, fromEnv);
  }
  for (const arg of argv) {
    const m = /^--([a-z_]+)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new FlagsError(`unexpected argument '${arg}': flags look like --name=value (see --help)`);
    const name = m[1]!;
    if (!known.has(name)) throw new FlagsError(`unknown flag '--${name}' (see --help for the list)`);
    given.set(name, m[2] ?? 'true');
  }
  const raw: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const spec of FLAG_SPECS) {
    let value = given.get(spec.name) ?? spec.default;
    if (value === undefined) {
      if (spec.required) throw new FlagsError(`missing required flag --${spec.name}: ${spec.help}`);
      continue;
    }
    // Credentials are paths, with or without file://; only the path shows in /flags, never the secrets.
    if (spec.name === 'credential' || spec.name === 'credentials') {
      const file = value.replace(/^file:\/\//, '');
      try {
        secrets[spec.name] = readFile(file);
      } catch (e) {
        throw new FlagsError(`--${spec.name}: cannot read ${file}: ${(e as Error).message}`);
      }
      raw[spec.name] = file;
      continue;
    }
    if (value.startsWith('file://')) {
      const file = value.slice('file://'.length);
      try {
        value = readFile(file).trim();
      } catch (e) {
        throw new FlagsError(`--${spec.name}: cannot read ${file}: ${(e as Error).message}`);
      }
    }
    raw[spec.name] = value;
  }
  const get = (name: string): string => raw[name] ?? '';
  const recover = get('recover');
  if (recover !== 'reconnect' && recover !== 'cleanup') throw new FlagsError(`--recover must be 'reconnect' or 'cleanup', got '${recover}'`);
  const isolators = get('isolation')
    .split(',')
    .map((i) => i.trim())
    .filter((i) => i !== '');
  const unsupported = isolators.filter((i) => !SUPPORTED_ISOLATORS.has(i));
  if (unsupported.length > 0) throw new FlagsError(`--isolation: ${unsupported.join(', ')} not available on this agent; use ${[...SUPPORTED_ISOLATORS].join(',')}`);
  const cgroupsRoot = get('cgroups_root');
  if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(cgroupsRoot) || cgroupsRoot.split('/').some((p) => p === '.' || p === '..')) {
    throw new FlagsError(`--cgroups_root must be a relative cgroup path like 'mesos' (letters, digits, '_', '-', '.', '/'), got '${cgroupsRoot}'`);
  }
  const commandExecutor = get('command_executor');
  if (commandExecutor !== 'process' && commandExecutor !== 'inline') throw new FlagsError(`--command_executor must be 'process' or 'inline', got '${commandExecutor}'`);
  const containerizers = get('containerizers')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const badContainerizers = containerizers.filter((c) => c !== 'mesos' && c !== 'docker');
  if (containerizers.length === 0 || badContainerizers.length > 0) throw new FlagsError(`--containerizers must list mesos and/or docker (e.g. mesos,docker), got '${get('containerizers')}'`);
  if (!parseBool('authenticate_http_executors', get('authenticate_http_executors'))) {
    throw new FlagsError('--authenticate_http_executors=false is not supported: executors always authenticate with their per-container token');
  }
  let security: AgentSecurity;
  try {
    security = agentSecurity({
      credentialText: secrets.credential,
      credentialsText: secrets.credentials,
      aclsText: raw.acls,
      readonly: parseBool('authenticate_http_readonly', get('authenticate_http_readonly')),
      readwrite: parseBool('authenticate_http_readwrite', get('authenticate_http_readwrite')),
      env,
      readFile,
    });
  } catch (e) {
    if (e instanceof SecurityConfigError) throw new FlagsError(e.message);
    throw e;
  }
  const headroom = Number(get('gc_disk_headroom'));
  if (!(headroom >= 0 && headroom <= 1)) throw new FlagsError(`--gc_disk_headroom must be a fraction in [0, 1], got '${get('gc_disk_headroom')}'`);
  return {
    master: get('master'),
    port: parsePort(get('port')),
    ip: raw.ip,
    hostname: raw.hostname,
    work_dir: get('work_dir'),
    resources: raw.resources,
    attributes: raw.attributes,
    default_role: get('default_role'),
    executor_shutdown_grace_period_ms: durationMs('executor_shutdown_grace_period', get('executor_shutdown_grace_period')),
    executor_registration_timeout_ms: durationMs('executor_registration_timeout', get('executor_registration_timeout')),
    executor_reregistration_timeout_ms: durationMs('executor_reregistration_timeout', get('executor_reregistration_timeout')),
    recover,
    recovery_timeout_ms: durationMs('recovery_timeout', get('recovery_timeout')),
    gc_delay_ms: durationMs('gc_delay', get('gc_delay')),
    gc_disk_headroom: headroom,
    disk_watch_interval_ms: durationMs('disk_watch_interval', get('disk_watch_interval')),
    isolation: get('isolation'),
    isolators,
    cgroups_root: cgroupsRoot,
    cgroups_enable_cfs: parseBool('cgroups_enable_cfs', get('cgroups_enable_cfs')),
    nvidia_gpu_devices: raw.nvidia_gpu_devices === undefined ? undefined : parseIndices('nvidia_gpu_devices', raw.nvidia_gpu_devices),
    fetcher_cache_size_bytes: parseBytes('fetcher_cache_size', get('fetcher_cache_size')),
    fetcher_cache_dir: get('fetcher_cache_dir'),
    launcher_dir: raw.launcher_dir,
    command_executor: commandExecutor,
    switch_user: parseBool('switch_user', get('switch_user')),
    registration_backoff_factor_ms: durationMs('registration_backoff_factor', get('registration_backoff_factor')),
    containerizers,
    docker: get('docker'),
    docker_stop_timeout_ms: durationMs('docker_stop_timeout', get('docker_stop_timeout')),
    docker_remove_delay_ms: durationMs('docker_remove_delay', get('docker_remove_delay')),
    security,
    raw,
  };
}

export function helpText(): string {
  const lines = [
    'Usage: mesos-agent --master=host:port [--flag=value …]',
    '',
    'Every flag can also be set as MESOS_<NAME>; --flag=file:///path reads the value from a file.',
    'TLS: LIBPROCESS_SSL_ENABLED=true serves HTTPS (LIBPROCESS_SSL_CERT_FILE, LIBPROCESS_SSL_KEY_FILE) and talks HTTPS to the master, checking it against LIBPROCESS_SSL_CA_FILE; executors inherit these variables.',
    '',
  ];
  for (const spec of FLAG_SPECS) {
    const def = spec.default !== undefined ? ` (default: ${spec.default})` : spec.required ? ' (required)' : '';
    lines.push(`  --${spec.name}=VALUE`, `      ${spec.help}${def}`);
  }
  return lines.join('\n');
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new FlagsError(`--port must be an integer in [0, 65535], got '${text}'`);
  return n;
}

function parseBool(name: string, text: string): boolean {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new FlagsError(`--${name} must be true or false, got '${text}'`);
}

/** A comma-separated list of distinct non-negative integers (device indices). */
function parseIndices(name: string, text: string): number[] {
  const out = text.split(',').map((t) => t.trim());
  if (out.some((t) => !/^\d+$/.test(t))) throw new FlagsError(`--${name} must be comma-separated device indices like 0,1, got '${text}'`);
  const indices = out.map(Number);
  if (new Set(indices).size !== indices.length) throw new FlagsError(`--${name} lists a device twice: '${text}'`);
  return indices;
}

function durationMs(name: string, text: string): number {
  try {
    return Number(parseDuration(text) / 1_000_000n);
  } catch (e) {
    throw new FlagsError(`--${name}: ${(e as Error).message}`);
  }
}

const BYTE_UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** Mesos byte strings: `<integer><B|KB|MB|GB|TB>` (powers of 1024). */
export function parseBytes(name: string, text: string): number {
  const m = /^(\d+)(B|KB|MB|GB|TB)$/.exec(text);
  if (!m) throw new FlagsError(`--${name} must be a size like 512MB or 2GB, got '${text}'`);
  return Number(m[1]) * BYTE_UNITS[m[2]!]!;
}
