// @mesos-ts/proto/testing: sample messages for codec and compatibility tests.
export { corpus } from './corpus.js';
export { sample, type CorpusEntry } from './corpus-entry.js';
export * as fixtures from './fixtures.js';
