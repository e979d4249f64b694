// Test fakes of @mesos-ts/agent, for this package's tests and for other packages' (the `./testing` subpath).
export { FakeMaster, type FakeMasterOptions } from './fake-master.js';
export { bindMountProblem } from './bind-mount-probe.js';
export { mountPoints } from '../mounts.js';
