// @mesos-ts/agent public API (filled in by its issue).
export {};
