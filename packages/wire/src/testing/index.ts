// Test helpers of @mesos-ts/wire (the `@mesos-ts/wire/testing` entry point): never used by production code.
export { makeTestPki, type TestPki } from './test-pki.js';
