// @mesos-ts/framework-kit public API (filled in by its issue).
export {};
