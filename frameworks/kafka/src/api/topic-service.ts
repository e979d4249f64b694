// The port the REST API uses for topics; the scheduler implements it with kafkajs' admin client against the
// running brokers (scheduler/kafka-topics.ts), tests may implement it with anything that keeps topics.
import type { TopicJson } from '../domain/topic.js';

export interface TopicAddRequest {
  names: string[];
  /** Broker ids the replicas go to. */
  brokers: number[];
  partitions: number;
  replicas: number;
  options: Record<string, string>;
}

export interface RebalanceRequest {
  /** Topic names, or undefined for the status of a running rebalance. */
  names: string[] | undefined;
  brokers: number[];
  replicas: number;
  timeoutMs: number;
}

export interface RebalanceResult {
  /** `started`, `completed`, `running`, `idle`, `timeout`. */
  status: string;
  /** Partitions still moving, `t1:0`. */
  moving: string[];
  topics: TopicJson[];
}

export interface TopicService {
  /** Every topic name in the cluster. */
  names(): Promise<string[]>;
  list(names: readonly string[]): Promise<TopicJson[]>;
  add(request: TopicAddRequest): Promise<TopicJson[]>;
  update(names: readonly string[], options: Record<string, string>): Promise<TopicJson[]>;
  rebalance(request: RebalanceRequest): Promise<RebalanceResult>;
}
