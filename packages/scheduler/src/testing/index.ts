// Test fakes of @mesos-ts/scheduler (the `./testing` subpath): never used by product code.
export { FakeMaster, type FakeFramework, type FakeMasterOptions, type FakeTask, type ReceivedCall } from './fake-master.js';
export { nextEvent } from './next-event.js';
