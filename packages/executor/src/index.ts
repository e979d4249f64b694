// @mesos-ts/executor public API (filled in by its issue).
export {};
