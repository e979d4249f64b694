// Agent operator API samples: the calls behind `mesos ps`/`mesos cat` and the monitor statistics.
import { sample, type CorpusEntry } from './corpus-entry.js';
import * as f from './fixtures.js';

const CALL = 'mesos.v1.agent.Call';
const RESPONSE = 'mesos.v1.agent.Response';

export const agentCorpus: CorpusEntry[] = [
  sample(CALL, 'agent.Call GET_STATE', { type: 'GET_STATE' }),
  sample(CALL, 'agent.Call GET_CONTAINERS', { type: 'GET_CONTAINERS' }),
  sample(CALL, 'agent.Call READ_FILE', { type: 'READ_FILE', read_file: { path: '/var/lib/mesos/slaves/S0/frameworks/日本/stdout', offset: 9007199254740993n, length: 4096n } }),
  sample(CALL, 'agent.Call KILL_NESTED_CONTAINER', { type: 'KILL_NESTED_CONTAINER', kill_nested_container: { container_id: f.containerId, signal: 15 } }),

  sample(RESPONSE, 'agent.Response GET_CONTAINERS', {
    type: 'GET_CONTAINERS',
    get_containers: {
      containers: [
        {
          framework_id: f.frameworkId,
          executor_id: f.executorId,
          executor_name: 'kafka default executor',
          container_id: f.containerId,
          container_status: f.runningStatus.container_status,
          resource_statistics: {
            timestamp: 1763769600.5,
            processes: 12,
            threads: 180,
            cpus_user_time_secs: 1234.56,
            cpus_system_time_secs: 78.9,
            cpus_limit: 2.5,
            cpus_nr_periods: 100000,
            cpus_nr_throttled: 42,
            cpus_throttled_time_secs: 3.25,
            mem_total_bytes: 4294967296n,
            mem_limit_bytes: 4294967296n,
            mem_rss_bytes: 3221225472n,
            mem_cache_bytes: 536870912n,
            disk_limit_bytes: 21474836480n,
            disk_used_bytes: 10737418240n,
            disk_statistics: [{ persistence: { id: 'kafka-broker-0-data' }, limit_bytes: 21474836480n, used_bytes: 9663676416n }],
            net_rx_bytes: 18446744073709551615n, // uint64 max
            net_tx_bytes: 9007199254740993n,
            net_tcp_rtt_microsecs_p99: 812.5,
          },
        },
      ],
    },
  }),
  sample(RESPONSE, 'agent.Response GET_TASKS', {
    type: 'GET_TASKS',
    get_tasks: { launched_tasks: [f.task], queued_tasks: [f.stagingTask], completed_tasks: [{ ...f.task, state: 'TASK_KILLED' }] },
  }),
  sample(RESPONSE, 'agent.Response READ_FILE', { type: 'READ_FILE', read_file: { size: 9007199254740993n, data: f.PAYLOAD } }),
];
