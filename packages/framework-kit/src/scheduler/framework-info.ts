// Who a framework subscribes as, the same for every framework here: one role (MULTI_ROLE, as Mesos 1.x
// frameworks do), checkpointing (its tasks survive an agent restart), a failover timeout so a restarted
// scheduler takes its tasks back, and, against a master with --authenticate_frameworks, its credential.
import type { v1 } from '@mesos-ts/proto';
import type { SchedulerClientOptions } from '@mesos-ts/scheduler';

export interface FrameworkIdentity {
  user: string;
  name: string;
  role: string;
  /** How long the master keeps the framework's tasks after its scheduler disconnects, s. */
  failoverTimeoutSecs: number;
  /** FrameworkInfo.principal (reservations are made for it). */
  principal?: string;
  /** With `principal`: every call carries the credential. */
  secret?: string;
  webuiUrl?: string;
}

export function frameworkInfo(id: FrameworkIdentity): v1.FrameworkInfo {
  return {
    user: id.user,
    name: id.name,
    roles: [id.role],
    failover_timeout: id.failoverTimeoutSecs,
    checkpoint: true,
    capabilities: [{ type: 'MULTI_ROLE' }],
    ...(id.principal === undefined ? {} : { principal: id.principal }),
    ...(id.webuiUrl === undefined ? {} : { webui_url: id.webuiUrl }),
  };
}

/** SchedulerClient's subscription options: the FrameworkInfo, the stored id to fail over to, the credential. */
export function subscriptionOptions(id: FrameworkIdentity, frameworkId: string | undefined): Pick<SchedulerClientOptions, 'framework' | 'frameworkId' | 'credential'> {
  return {
    framework: frameworkInfo(id),
    ...(frameworkId === undefined ? {} : { frameworkId }),
    ...(id.principal === undefined || id.secret === undefined ? {} : { credential: { principal: id.principal, secret: id.secret } }),
  };
}
