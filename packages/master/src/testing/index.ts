// @mesos-ts/master/testing: working fakes for tests, e2e scenarios and benchmarks.
export { FakeAgent, type FakeAgentOptions, type FakeTask } from './fake-agent.js';
export { TestScheduler, type CallOutcome } from './test-scheduler.js';
export { ManualClock } from '@mesos-ts/common';
