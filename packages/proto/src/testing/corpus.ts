// The representative message corpus shared by every codec test: each scheduler, executor and
// master operator message type mesos-ts speaks (plus a few agent operator messages), with deep, realistic content (reservation stacks,
// revocable and shared resources, persistent volumes, port ranges, 64-bit values above 2^53,
// non-ASCII bytes and UTF-8 strings).
import { agentCorpus } from './agent-corpus.js';
import type { CorpusEntry } from './corpus-entry.js';
import { executorCorpus } from './executor-corpus.js';
import { masterCorpus } from './master-corpus.js';
import { schedulerCorpus } from './scheduler-corpus.js';

export const corpus: ReadonlyArray<CorpusEntry> = [...schedulerCorpus, ...executorCorpus, ...masterCorpus, ...agentCorpus];
