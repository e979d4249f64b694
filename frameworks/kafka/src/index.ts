// @mesos-ts/kafka public API.
export {};
