// What the call handlers (frameworks, offers, tasks, agents, operator) need of the master. Master implements
// it; handlers depend on this interface only, so master.ts can import the handlers without an import cycle.
import type { HierarchicalAllocator } from '@mesos-ts/allocator';
import type { master, scheduler, v1 } from '@mesos-ts/proto';
import type { Resources } from '@mesos-ts/resources';
import type { Logger } from 'pino';
import type { EventSink, FrameworkRecord, MasterBooks } from '../core/state.js';
import type { ResourcesInterner } from '../core/resources-interner.js';
import type { MasterFlags } from '../flags.js';
import type { Registry } from '../registry/registry.js';
import type { Clock } from '@mesos-ts/common';
import type { Contender, LeaderDetector } from './leader.js';
import type { MasterMetrics } from './metrics.js';
import type { RateLimiter } from './rate-limiter.js';

export const MASTER_VERSION = '1.11.0';
/** Upstream's DEFAULT_HEARTBEAT_INTERVAL (src/master/constants.hpp). */
export const HEARTBEAT_INTERVAL_MS = 15_000;

export interface MasterContext {
  readonly books: MasterBooks;
  readonly allocator: HierarchicalAllocator;
  readonly clock: Clock;
  readonly flags: MasterFlags;
  readonly registry: Registry;
  readonly log: Logger;
  readonly leader: LeaderDetector & Contender;
  readonly metrics: MasterMetrics;
  readonly id: string;
  readonly startTime: number;
  readonly electedTime: number | undefined;
  readonly recovering: boolean;
  readonly info: v1.MasterInfo;
  readonly operatorSubscribers: Set<EventSink<master.Event>>;
  readonly removedFrameworks: Set<string>;
  readonly recoveredFrameworkInfos: Map<string, v1.FrameworkInfo>;
  readonly removalLimiter: RateLimiter | undefined;
  readonly interner: ResourcesInterner;
  nextFrameworkId(): string;
  nextAgentId(): string;
  nextOfferId(): string;
  requestAllocation(agents?: readonly string[]): void;
  recoverResources(frameworkId: string, agentId: string, resources: Resources, now: number, refuseSeconds?: number): void;
  guarded(what: string, fn: () => void): () => void;
  sendToFramework(fw: FrameworkRecord, event: scheduler.Event): boolean;
  publish(event: master.Event): void;
}
