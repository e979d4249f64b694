// @mesos-ts/master public API (filled in by its issue).
export {};
