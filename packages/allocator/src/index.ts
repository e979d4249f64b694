// @mesos-ts/allocator public API (filled in by its issue).
export {};
