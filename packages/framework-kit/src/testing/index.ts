// Test helpers of @mesos-ts/framework-kit (the `./testing` subpath), for frameworks' scheduler specs: never used
// by product code.
export { Cleanups } from './cleanups.js';
export { TEST_OFFER_RESOURCES, startSchedulerTestbed, type SchedulerTestbed } from './scheduler-testbed.js';
