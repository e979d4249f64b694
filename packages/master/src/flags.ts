// mesos-master flags, Mesos style (src/master/flags.cpp): `--name=value` on the command line, else the
// `MESOS_<NAME>` environment variable, else the upstream default. A value `file:///path` is read from that file
// (trailing newline dropped). Booleans also take `--name` / `--no-name`. Durations use Mesos' format (`15secs`).
import { readFileSync } from 'node:fs';
import { parseDuration, parseZkUrl } from '@mesos-ts/wire';
import { securityFromFlags, type MasterSecurity } from './security/master-security.js';
import { MasterError } from './core/errors.js';

type Kind = 'string' | 'int' | 'bool' | 'duration' | 'number';

interface FlagSpec {
  readonly name: string;
  readonly kind: Kind;
  /** Text form of the default, as --help prints it; undefined = unset. */
  readonly default?: string;
  readonly help: string;
}

export const FLAG_SPECS: readonly FlagSpec[] = [
  { name: 'ip', kind: 'string', default: '127.0.0.1', help: 'IP address to listen on.' },
  { name: 'port', kind: 'int', default: '5050', help: 'Port to listen on.' },
  { name: 'hostname', kind: 'string', help: 'Hostname advertised in MasterInfo (default: the --ip value).' },
  { name: 'advertise_ip', kind: 'string', help: 'IP advertised to frameworks and agents when it differs from --ip.' },
  { name: 'advertise_port', kind: 'int', help: 'Port advertised when it differs from --port.' },
  { name: 'work_dir', kind: 'string', help: 'Directory for the registry (required with --registry=file).' },
  { name: 'registry', kind: 'string', help: "Registry store: 'zk' (in ZooKeeper under the --zk path; the default with --zk), 'file' (under --work_dir; the default without --zk), or 'in_memory' (tests). 'replicated_log' is an alias of 'zk' with --zk, else of 'file'." },
  { name: 'roles', kind: 'string', help: 'Deprecated: comma-separated whitelist of roles frameworks may use.' },
  { name: 'weights', kind: 'string', help: "Deprecated: initial role weights, 'role1=weight1,role2=weight2'." },
  { name: 'allocation_interval', kind: 'duration', default: '1secs', help: 'Time between allocation runs.' },
  { name: 'min_allocatable_resources', kind: 'string', default: 'cpus:0.01|mem:32', help: 'Smallest offerable amounts, alternatives separated by |.' },
  { name: 'offer_timeout', kind: 'duration', help: 'Time after which an unused offer is rescinded (default: never).' },
  { name: 'agent_ping_timeout', kind: 'duration', default: '15secs', help: 'Time an agent has to answer a ping.' },
  { name: 'max_agent_ping_timeouts', kind: 'int', default: '5', help: 'Missed pings after which an agent is unreachable.' },
  { name: 'agent_reregister_timeout', kind: 'duration', default: '10mins', help: 'Time agents have to re-register after a master failover.' },
  { name: 'agent_removal_rate_limit', kind: 'string', help: "Rate unreachable agents are removed at, e.g. '1/10mins' (default: unlimited)." },
  { name: 'max_completed_frameworks', kind: 'int', default: '50', help: 'Completed frameworks kept for the state endpoints.' },
  { name: 'max_completed_tasks_per_framework', kind: 'int', default: '1000', help: 'Completed tasks kept per framework.' },
  { name: 'max_operator_event_stream_subscribers', kind: 'int', default: '1000', help: 'Concurrent operator SUBSCRIBE streams.' },
  { name: 'zk', kind: 'string', help: 'ZooKeeper URL for leader election and the registry: zk://[user:pass@]host1:port1,host2:port2,.../path. Masters contend under the path; the lowest member leads.' },
  { name: 'zk_session_timeout', kind: 'duration', default: '10secs', help: 'ZooKeeper session timeout: a dead leader is replaced after about this long.' },
  { name: 'zk_leader_probe_interval', kind: 'duration', default: '100ms', help: "With --zk: the master next in line connects to the leader's advertised address this often; when the port actively refuses (the process is gone, not a timeout) 3 times in a row over at least 100 ms (confirmed every 50 ms) it deletes the leader's election node, waits 1.6 s (the fence) and takes over, instead of waiting for ZooKeeper to expire the dead leader's session. Every master also stops leading when ZooKeeper has not answered it for 1.4 s, so a deleted leader that is still alive has stepped down before the fence ends. All masters must use the same setting; 0secs turns it off." },
  { name: 'quorum', kind: 'int', help: 'Majority of the masters the operator runs (e.g. 2 of 3); required with --zk and --registry=zk. Registry writes are made durable by the ZooKeeper ensemble\'s own majority; --quorum states the intended size of the master set (quorum = floor(masters / 2) + 1) and must be at least 1.' },
  { name: 'cluster', kind: 'string', help: 'Human readable name of the cluster.' },
  { name: 'log_dir', kind: 'string', help: 'Directory for log files (default: log to stderr only).' },
  { name: 'logging_level', kind: 'string', default: 'INFO', help: 'INFO, WARNING or ERROR.' },
  { name: 'authenticate', kind: 'bool', default: 'false', help: 'Deprecated alias of --authenticate_frameworks.' },
  { name: 'authenticate_frameworks', kind: 'bool', default: 'false', help: "Frameworks must authenticate: SUBSCRIBE and every later scheduler call carry HTTP Basic credentials from --credentials, and FrameworkInfo.principal must be the authenticated principal." },
  { name: 'authenticate_agents', kind: 'bool', default: 'false', help: "Agents must authenticate (the agent's --credential, HTTP Basic on /internal/v1/agent): unauthenticated REGISTER/REREGISTER are refused with 401." },
  { name: 'authenticate_http_readonly', kind: 'bool', default: 'false', help: 'Read-only HTTP endpoints (GET_* operator calls, /master/state, /master/frameworks, /metrics/snapshot, ...) need HTTP Basic credentials (401 otherwise).' },
  { name: 'authenticate_http_readwrite', kind: 'bool', default: 'false', help: 'Read-write HTTP endpoints (operator calls that change state, /master/teardown, /master/reserve, ...) need HTTP Basic credentials (401 otherwise).' },
  { name: 'credentials', kind: 'string', help: "Path (with or without file://) of the credentials: JSON {\"credentials\":[{\"principal\":\"..\",\"secret\":\"..\"}]} or one 'principal secret' per line. Required by every --authenticate_* flag." },
  { name: 'acls', kind: 'string', help: 'ACLs as JSON (upstream\'s local authorizer: {"permissive": false, "register_frameworks": [...], ...}) or a file:// path to them. Default: everything is allowed.' },
];

export interface MasterFlags {
  ip: string;
  port: number;
  hostname: string | undefined;
  advertiseIp: string | undefined;
  advertisePort: number | undefined;
  workDir: string | undefined;
  registry: 'file' | 'in_memory' | 'zk';
  roles: readonly string[] | undefined;
  weights: ReadonlyMap<string, number>;
  allocationIntervalMs: number;
  minAllocatableResources: string;
  offerTimeoutMs: number | undefined;
  agentPingTimeoutMs: number;
  maxAgentPingTimeouts: number;
  agentReregisterTimeoutMs: number;
  /** Removals allowed per `agentRemovalRateLimit.perMs`; undefined = unlimited. */
  agentRemovalRateLimit: { permits: number; perMs: number } | undefined;
  maxCompletedFrameworks: number;
  maxCompletedTasksPerFramework: number;
  maxOperatorEventStreamSubscribers: number;
  /** The `--zk` URL as given (credentials included); undefined for a single master. */
  zk: string | undefined;
  zkSessionTimeoutMs: number;
  /** 0 = off. */
  zkLeaderProbeIntervalMs: number;
  quorum: number | undefined;
  cluster: string | undefined;
  logDir: string | undefined;
  loggingLevel: string;
  /** Authentication, ACLs and TLS asked for by the flags and LIBPROCESS_SSL_* (all off by default). */
  security: MasterSecurity;
  /** Every flag as text, effective value (what GET_FLAGS and /master/state `flags` show). */
  raw: ReadonlyMap<string, string>;
}

export type FlagsResult = { help: true; text: string } | { help: false; flags: MasterFlags };

/** Parses argv (without node and script) and env; throws MasterError INVALID_FLAG on bad input. */
export function parseFlags(argv: readonly string[], env: NodeJS.ProcessEnv = {}): FlagsResult {
  const byName = new Map(FLAG_SPECS.map((s) => [s.name, s]));
  const given = new Map<string, string>();
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') return { help: true, text: helpText() };
    const m = /^--(no-)?([a-z_0-9]+)(?:=([\s\S]*))?$/.exec(arg);
    const spec = m ? byName.get(m[2] as string) : undefined;
    if (!m || !spec) throw invalid(`unknown flag or argument '${arg}'; run with --help to list the flags`);
    if (m[1] !== undefined) {
      if (spec.kind !== 'bool' || m[3] !== undefined) throw invalid(`'--no-${spec.name}' is only valid for boolean flags, without a value`);
      given.set(spec.name, 'false');
    } else if (m[3] === undefined) {
      if (spec.kind !== 'bool') throw invalid(`flag '--${spec.name}' needs a value: --${spec.name}=<value>`);
      given.set(spec.name, 'true');
    } else {
      given.set(spec.name, m[3]);
    }
  }
  const raw = new Map<string, string>();
  let credentialsText: string | undefined;
  for (const spec of FLAG_SPECS) {
    let text = given.get(spec.name) ?? env[`MESOS_${spec.name.toUpperCase()}`] ?? spec.default;
    if (text === undefined) continue;
    // Credentials are a path, with or without file://: read them here, show only the path in GET_FLAGS.
    if (spec.name === 'credentials') {
      const path = text.startsWith('file://') ? text.slice('file://'.length) : text;
      credentialsText = readFlagFile(spec.name, path);
      raw.set(spec.name, path);
      continue;
    }
    if (text.startsWith('file://')) text = readFlagFile(spec.name, text.slice('file://'.length));
    raw.set(spec.name, text);
  }
  const security = securityFromFlags(raw, credentialsText, env);
  return { help: false, flags: toFlags(raw, security) };
}

function toFlags(raw: Map<string, string>, security: MasterSecurity): MasterFlags {
  const str = (n: string): string | undefined => raw.get(n);
  const int = (n: string): number | undefined => {
    const t = raw.get(n);
    if (t === undefined) return undefined;
    if (!/^\d+$/.test(t)) throw invalid(`flag '--${n}' must be a non-negative integer, got '${t}'`);
    return Number(t);
  };
  const ms = (n: string): number | undefined => {
    const t = raw.get(n);
    if (t === undefined) return undefined;
    try {
      return Number(parseDuration(t) / 1_000_000n);
    } catch (e) {
      throw invalid(`flag '--${n}': ${(e as Error).message}`);
    }
  };
  const zk = str('zk');
  if (zk !== undefined) checkZkUrl(zk);
  const registry = registryKind(str('registry'), zk !== undefined);
  if (registry === 'file' && str('work_dir') === undefined) {
    throw invalid("flag '--work_dir' is required with --registry=file (the registry lives there); or pass --registry=in_memory");
  }
  const quorum = int('quorum');
  if (registry === 'zk' && quorum === undefined) {
    throw invalid("flag '--quorum' is required with --zk and --registry=zk: pass the majority of the masters you run, e.g. --quorum=2 for three masters");
  }
  if (quorum !== undefined && quorum < 1) throw invalid("flag '--quorum' must be at least 1 (the majority of the masters you run)");
  const zkSessionTimeoutMs = ms('zk_session_timeout') as number;
  const zkLeaderProbeIntervalMs = ms('zk_leader_probe_interval') as number;
  // What GET_FLAGS and /master/state show: the effective registry, and no ZooKeeper password.
  raw.set('registry', registry);
  if (zk !== undefined) raw.set('zk', zk.replace(/^zk:\/\/([^:@/]+):[^@/]*@/, 'zk://$1:********@'));
  if (zkSessionTimeoutMs <= 0) throw invalid("flag '--zk_session_timeout' must be positive, e.g. 10secs");
  const port = int('port') as number;
  if (port > 65535) throw invalid(`flag '--port' must be at most 65535, got ${port}`);
  const interval = ms('allocation_interval') as number;
  if (interval <= 0) throw invalid("flag '--allocation_interval' must be positive");
  const ping = ms('agent_ping_timeout') as number;
  if (ping <= 0) throw invalid("flag '--agent_ping_timeout' must be positive");
  const maxPings = int('max_agent_ping_timeouts') as number;
  if (maxPings < 1) throw invalid("flag '--max_agent_ping_timeouts' must be at least 1");
  const roles = str('roles');
  return {
    ip: str('ip') as string,
    port,
    hostname: str('hostname'),
    advertiseIp: str('advertise_ip'),
    advertisePort: int('advertise_port'),
    workDir: str('work_dir'),
    registry,
    roles: roles === undefined ? undefined : roles.split(',').map((r) => r.trim()).filter((r) => r !== ''),
    weights: parseWeights(str('weights')),
    allocationIntervalMs: interval,
    minAllocatableResources: str('min_allocatable_resources') as string,
    offerTimeoutMs: ms('offer_timeout'),
    agentPingTimeoutMs: ping,
    maxAgentPingTimeouts: maxPings,
    agentReregisterTimeoutMs: ms('agent_reregister_timeout') as number,
    agentRemovalRateLimit: parseRate(str('agent_removal_rate_limit')),
    maxCompletedFrameworks: int('max_completed_frameworks') as number,
    maxCompletedTasksPerFramework: int('max_completed_tasks_per_framework') as number,
    maxOperatorEventStreamSubscribers: int('max_operator_event_stream_subscribers') as number,
    zk,
    zkSessionTimeoutMs,
    zkLeaderProbeIntervalMs,
    quorum,
    cluster: str('cluster'),
    logDir: str('log_dir'),
    loggingLevel: str('logging_level') as string,
    security,
    raw,
  };
}

/** --registry: the default and the 'replicated_log' alias depend on whether masters elect through ZooKeeper. */
function registryKind(text: string | undefined, withZk: boolean): MasterFlags['registry'] {
  const kind = text === undefined || text === 'replicated_log' ? (withZk ? 'zk' : 'file') : text;
  if (kind !== 'file' && kind !== 'in_memory' && kind !== 'zk') throw invalid(`flag '--registry' must be 'zk', 'file' or 'in_memory', got '${kind}'`);
  if (kind === 'zk' && !withZk) throw invalid("flag '--registry=zk' needs --zk=zk://host:port/path (where the registry lives); or use --registry=file");
  return kind;
}

function checkZkUrl(text: string): void {
  try {
    parseZkUrl(text);
  } catch (e) {
    throw invalid(`flag '--zk': ${(e as Error).message}`);
  }
}

function parseWeights(text: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (text === undefined || text.trim() === '') return out;
  for (const part of text.split(',')) {
    const [role, weight] = part.split('=').map((s) => s.trim());
    const w = Number(weight);
    if (!role || !(w > 0) || !Number.isFinite(w)) throw invalid(`flag '--weights': '${part}' must look like role=weight with a positive weight`);
    out.set(role, w);
  }
  return out;
}

/** '1/10mins' → 1 removal per 10 minutes. */
function parseRate(text: string | undefined): { permits: number; perMs: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(.+)$/.exec(text);
  if (!m || Number(m[1]) < 1) throw invalid(`flag '--agent_removal_rate_limit' must look like '1/10mins', got '${text}'`);
  try {
    const perMs = Number(parseDuration(m[2] as string) / 1_000_000n);
    if (perMs <= 0) throw new Error('the duration must be positive');
    return { permits: Number(m[1]), perMs };
  } catch (e) {
    throw invalid(`flag '--agent_removal_rate_limit': ${(e as Error).message}`);
  }
}

function readFlagFile(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw invalid(`flag '--${name}': cannot read '${path}': ${(e as Error).message}`);
  }
}

export function helpText(): string {
  const lines = ['Usage: mesos-master [options]', ''];
  for (const s of FLAG_SPECS) {
    const value = s.kind === 'bool' ? `--[no-]${s.name}` : `--${s.name}=VALUE`;
    const def = s.default === undefined ? '' : ` (default: ${s.default})`;
    lines.push(`  ${value.padEnd(44)} ${s.help}${def}`);
  }
  lines.push('', 'Every flag can also be set through MESOS_<FLAG> (e.g. MESOS_PORT=5050); a value file:///path is read from that file.');
  lines.push('TLS: LIBPROCESS_SSL_ENABLED=true serves HTTPS with LIBPROCESS_SSL_CERT_FILE and LIBPROCESS_SSL_KEY_FILE; LIBPROCESS_SSL_CA_FILE is the CA clients are checked against with LIBPROCESS_SSL_VERIFY_CERT / LIBPROCESS_SSL_REQUIRE_CERT.');
  return lines.join('\n') + '\n';
}

function invalid(message: string): MasterError {
  return new MasterError('INVALID_FLAG', message);
}
