// @mesos-ts/scheduler public API (filled in by its issue).
export {};
