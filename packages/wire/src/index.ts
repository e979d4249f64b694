// @mesos-ts/wire public API (filled in by its issue).
export {};
