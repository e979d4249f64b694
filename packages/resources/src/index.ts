// @mesos-ts/resources public API (filled in by its issue).
export {};
