// The framework's configuration, read from the environment on FIRST start only (as upstream cassandra-mesos);
// afterwards the stored copy wins, so changing the app's env does not silently reshape a running ring.
// Pure: takes the environment as a plain record. A malformed value is an INVALID_PARAMETER naming the variable.
import { CassandraError } from './errors.js';

export interface CassandraConfig {
  clusterName: string;
  nodeCount: number;
  seedCount: number;
  cpuCores: number;
  memMb: number;
  diskMb: number;
  /** Java heap of each node, MB (CASSANDRA_RESOURCE_HEAP_MB; default: a quarter of memMb, at least 256). */
  heapMb: number;
  healthCheckIntervalSeconds: number;
  bootstrapGraceTimeSeconds: number;
  failoverTimeoutSeconds: number;
  role: string;
  defaultDc: string;
  defaultRack: string;
  /** Extra JVM options for the Cassandra process (JAVA_OPTS of the app is the scheduler's own; this is CASSANDRA_JVM_OPTS). */
  jvmOpts: string;
}

export const DEFAULTS: CassandraConfig = {
  clusterName: 'cassandra',
  nodeCount: 3,
  seedCount: 2,
  cpuCores: 2.0,
  memMb: 2048,
  diskMb: 2048,
  heapMb: 512,
  healthCheckIntervalSeconds: 60,
  bootstrapGraceTimeSeconds: 120,
  failoverTimeoutSeconds: 604800,
  role: '*',
  defaultDc: 'DC1',
  defaultRack: 'RAC1',
  jvmOpts: '',
};

type Env = Readonly<Record<string, string | undefined>>;

const ROLE = /^(\*|[A-Za-z0-9_][A-Za-z0-9_.-]*)$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,47}$/;

/** Builds the first-start configuration from CASSANDRA_* variables; throws INVALID_PARAMETER on the first bad one. */
export function configFromEnv(env: Env): CassandraConfig {
  const memMb = number(env, 'CASSANDRA_RESOURCE_MEM_MB', DEFAULTS.memMb, { min: 256, integer: true });
  const config: CassandraConfig = {
    clusterName: text(env, 'CASSANDRA_CLUSTER_NAME', DEFAULTS.clusterName, NAME, 'letters, digits, space, _ . - (at most 48)'),
    nodeCount: number(env, 'CASSANDRA_NODE_COUNT', DEFAULTS.nodeCount, { min: 1, max: 1000, integer: true }),
    seedCount: number(env, 'CASSANDRA_SEED_COUNT', DEFAULTS.seedCount, { min: 1, max: 100, integer: true }),
    cpuCores: number(env, 'CASSANDRA_RESOURCE_CPU_CORES', DEFAULTS.cpuCores, { min: 0.01 }),
    memMb,
    diskMb: number(env, 'CASSANDRA_RESOURCE_DISK_MB', DEFAULTS.diskMb, { min: 64, integer: true }),
    heapMb: number(env, 'CASSANDRA_RESOURCE_HEAP_MB', Math.max(256, Math.floor(memMb / 4)), { min: 128, integer: true }),
    healthCheckIntervalSeconds: number(env, 'CASSANDRA_HEALTH_CHECK_INTERVAL_SECONDS', DEFAULTS.healthCheckIntervalSeconds, { min: 1, integer: true }),
    bootstrapGraceTimeSeconds: number(env, 'CASSANDRA_BOOTSTRAP_GRACE_TIME_SECONDS', DEFAULTS.bootstrapGraceTimeSeconds, { min: 0, integer: true }),
    failoverTimeoutSeconds: number(env, 'CASSANDRA_FAILOVER_TIMEOUT_SECONDS', DEFAULTS.failoverTimeoutSeconds, { min: 0, integer: true }),
    role: text(env, 'CASSANDRA_FRAMEWORK_MESOS_ROLE', DEFAULTS.role, ROLE, "'*' or a role name"),
    defaultDc: text(env, 'CASSANDRA_DEFAULT_DC', DEFAULTS.defaultDc, /^[A-Za-z0-9_-]{1,48}$/, 'letters, digits, _ or -'),
    defaultRack: text(env, 'CASSANDRA_DEFAULT_RACK', DEFAULTS.defaultRack, /^[A-Za-z0-9_-]{1,48}$/, 'letters, digits, _ or -'),
    jvmOpts: env.CASSANDRA_JVM_OPTS ?? DEFAULTS.jvmOpts,
  };
  if (config.seedCount > config.nodeCount) {
    throw new CassandraError('INVALID_PARAMETER', `CASSANDRA_SEED_COUNT=${config.seedCount} exceeds CASSANDRA_NODE_COUNT=${config.nodeCount}: a ring cannot have more seeds than nodes; lower the seed count`);
  }
  if (config.heapMb >= config.memMb) {
    throw new CassandraError('INVALID_PARAMETER', `CASSANDRA_RESOURCE_HEAP_MB=${config.heapMb} must be below CASSANDRA_RESOURCE_MEM_MB=${config.memMb} (the JVM needs memory besides its heap)`);
  }
  return config;
}

/** Stored config wins over the environment once a ring exists (upstream semantics); returns which one is used. */
export function effectiveConfig(stored: CassandraConfig | undefined, env: Env): { config: CassandraConfig; source: 'stored' | 'env' } {
  if (stored !== undefined) return { config: { ...DEFAULTS, ...stored }, source: 'stored' };
  return { config: configFromEnv(env), source: 'env' };
}

function number(env: Env, name: string, fallback: number, range: { min?: number; max?: number; integer?: boolean }): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  const kind = range.integer ? 'a whole number' : 'a number';
  const bounds = `${range.min !== undefined ? ` >= ${range.min}` : ''}${range.max !== undefined ? ` and <= ${range.max}` : ''}`;
  if (!Number.isFinite(value) || (range.integer && !Number.isInteger(value)) || (range.min !== undefined && value < range.min) || (range.max !== undefined && value > range.max)) {
    throw new CassandraError('INVALID_PARAMETER', `${name}='${raw}' is not ${kind}${bounds}; fix the app's env (e.g. ${name}=${fallback})`);
  }
  return value;
}

function text(env: Env, name: string, fallback: string, pattern: RegExp, what: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!pattern.test(raw)) throw new CassandraError('INVALID_PARAMETER', `${name}='${raw}' is not valid: use ${what} (e.g. ${name}=${fallback})`);
  return raw;
}
