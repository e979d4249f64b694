// Test fakes of @mesos-ts/executor (the `./testing` subpath): never used by product code.
export { FakeAgent, type FakeAgentOptions, type ReceivedExecutorCall } from './fake-agent.js';
