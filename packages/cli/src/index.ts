// @mesos-ts/cli public API.
export {};
