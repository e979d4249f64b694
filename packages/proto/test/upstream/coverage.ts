// What the compatibility check holds us to: the messages mesos-ts relies on (their nested types
// included) must define every field upstream's copy has, except the documented exclusions.

export const REQUIRED_COVERAGE: readonly string[] = [
  'mesos.v1.FrameworkID', 'mesos.v1.OfferID', 'mesos.v1.AgentID', 'mesos.v1.TaskID', 'mesos.v1.ExecutorID',
  'mesos.v1.ContainerID', 'mesos.v1.TimeInfo', 'mesos.v1.DurationInfo', 'mesos.v1.Address', 'mesos.v1.URL',
  'mesos.v1.FrameworkInfo', 'mesos.v1.OfferFilters', 'mesos.v1.MasterInfo', 'mesos.v1.AgentInfo', 'mesos.v1.DomainInfo',
  'mesos.v1.Value', 'mesos.v1.Attribute', 'mesos.v1.Resource', 'mesos.v1.Volume', 'mesos.v1.Offer', 'mesos.v1.InverseOffer',
  'mesos.v1.Unavailability', 'mesos.v1.Filters', 'mesos.v1.TaskInfo', 'mesos.v1.TaskGroupInfo', 'mesos.v1.Task',
  'mesos.v1.TaskStatus', 'mesos.v1.CommandInfo', 'mesos.v1.Environment', 'mesos.v1.ExecutorInfo', 'mesos.v1.HealthCheck',
  'mesos.v1.CheckInfo', 'mesos.v1.CheckStatusInfo', 'mesos.v1.KillPolicy', 'mesos.v1.Labels', 'mesos.v1.Label',
  'mesos.v1.DiscoveryInfo', 'mesos.v1.Ports', 'mesos.v1.Port', 'mesos.v1.ContainerInfo', 'mesos.v1.Image',
  'mesos.v1.NetworkInfo', 'mesos.v1.ContainerStatus', 'mesos.v1.OperationStatus', 'mesos.v1.WeightInfo', 'mesos.v1.Role',
  'mesos.v1.Metric', 'mesos.v1.Flag', 'mesos.v1.VersionInfo', 'mesos.v1.FileInfo', 'mesos.v1.ResourceStatistics',
  'mesos.v1.ResourceUsage', 'mesos.v1.Secret', 'mesos.v1.Parameter', 'mesos.v1.Parameters',
  'mesos.v1.scheduler.Call', 'mesos.v1.scheduler.Event', 'mesos.v1.executor.Call', 'mesos.v1.executor.Event',
  'mesos.v1.master.Call', 'mesos.v1.master.Response', 'mesos.v1.master.Event',
  'mesos.v1.agent.Call', 'mesos.v1.agent.Response', 'mesos.v1.agent.ProcessIO',
  'mesos.v1.quota.QuotaInfo', 'mesos.v1.quota.QuotaRequest', 'mesos.v1.quota.QuotaStatus',
  'mesos.v1.maintenance.Window', 'mesos.v1.maintenance.Schedule', 'mesos.v1.maintenance.ClusterStatus',
  'mesos.v1.allocator.InverseOfferStatus',
];

/** Upstream fields we deliberately leave out: `message -> field -> reason`. */
export const EXCLUSIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'mesos.v1.ResourceStatistics': {
    blkio_statistics: 'cgroup blkio detail; our agent does not collect it (unknown bytes still round-trip)',
    perf: 'perf_event sampling; our agent does not collect it',
    net_traffic_control_statistics: 'Linux tc qdisc detail; only the port-mapping isolator reports it',
    net_snmp_statistics: 'per-container SNMP counters; only the port-mapping isolator reports it',
  },
};

/**
 * Fields upstream Mesos changed after mesos-go's copy was taken: there we follow upstream
 * (include/mesos/v1/**), so the reference disagrees. `message.field -> what changed`.
 */
export const NEWER_UPSTREAM: Readonly<Record<string, string>> = {
  'mesos.v1.agent.Response.GetContainers.Container.framework_id': 'required -> optional (standalone containers have no framework)',
  'mesos.v1.agent.Response.GetContainers.Container.executor_id': 'required -> optional (standalone containers have no executor)',
  'mesos.v1.agent.Response.GetContainers.Container.executor_name': 'required -> optional (standalone containers have no executor)',
};

/** Master operator calls the corpus must cover (the ones mesos-ts serves). */
export const MASTER_CALLS: readonly string[] = [
  'GET_HEALTH', 'GET_FLAGS', 'GET_VERSION', 'GET_METRICS', 'GET_STATE', 'GET_AGENTS', 'GET_FRAMEWORKS', 'GET_EXECUTORS',
  'GET_TASKS', 'GET_ROLES', 'GET_WEIGHTS', 'UPDATE_WEIGHTS', 'GET_MASTER', 'SUBSCRIBE', 'RESERVE_RESOURCES',
  'UNRESERVE_RESOURCES', 'CREATE_VOLUMES', 'DESTROY_VOLUMES', 'GET_QUOTA', 'UPDATE_QUOTA', 'TEARDOWN', 'MARK_AGENT_GONE',
];

/** Master operator responses the corpus must cover. */
export const MASTER_RESPONSES: readonly string[] = ['GET_STATE', 'GET_AGENTS', 'GET_FRAMEWORKS', 'GET_TASKS', 'GET_HEALTH', 'GET_VERSION'];
