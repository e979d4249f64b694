// mesos-local accepts every mesos-master and mesos-agent flag and hands it to the master, the agents, or both
// (e.g. --weights and --roles to the master, --isolation to every agent); MESOS_* environment variables reach
// them the same way (through their own flag parsers). Flags mesos-local sets itself per agent are refused.
import { readFileSync } from 'node:fs';
import { parseFlags as parseAgentFlags } from '@mesos-ts/agent';
import { parseFlags as parseMasterFlags } from '@mesos-ts/master';
import { usage } from '../errors.js';

export interface SplitFlags {
  /** mesos-local's own flags (and anything unknown, which its parser reports). */
  local: string[];
  master: string[];
  agent: string[];
}

/** Agent flags mesos-local derives per agent: passing one would point every agent at the same thing. */
const DERIVED = new Set(['master', 'fetcher_cache_dir']);

export function splitFlags(argv: readonly string[], local: ReadonlySet<string>, master: ReadonlySet<string>, agent: ReadonlySet<string>): SplitFlags {
  const out: SplitFlags = { local: [], master: [], agent: [] };
  for (const arg of argv) {
    if (!arg.startsWith('--') || arg === '--') {
      out.local.push(arg);
      continue;
    }
    const name = arg.slice(2).split('=')[0] as string;
    const base = name.startsWith('no-') ? name.slice(3) : name;
    if (local.has(name) || local.has(base) || name === 'help') {
      out.local.push(arg);
      continue;
    }
    if (DERIVED.has(base) && agent.has(base)) throw usage(`--${base} is set by mesos-local for each agent; leave it out`);
    const toMaster = master.has(base);
    const toAgent = agent.has(base);
    if (toMaster) out.master.push(arg);
    if (toAgent) out.agent.push(arg);
    if (!toMaster && !toAgent) out.local.push(arg);
  }
  return out;
}

/** Parses the passed-on flags with the daemons' own parsers now, so a bad one is a usage error, not a crash later. */
export function checkPassedFlags(master: readonly string[], agent: readonly string[], env: NodeJS.ProcessEnv): void {
  try {
    parseMasterFlags(['--work_dir=/nonexistent', ...master], env);
  } catch (e) {
    throw usage(`a mesos-master flag: ${(e as Error).message}`);
  }
  try {
    // Files are read for real: credential files and TLS keys are checked here, as the agent will read them.
    parseAgentFlags(['--master=127.0.0.1:5050', '--work_dir=/nonexistent', ...agent], env, (p) => readFileSync(p, 'utf8'));
  } catch (e) {
    throw usage(`a mesos-agent flag: ${(e as Error).message}`);
  }
}
