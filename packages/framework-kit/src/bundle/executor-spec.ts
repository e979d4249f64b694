// What a framework's offer planning needs to know of its custom executor, and the CommandInfo the agent runs it
// with. Pure: the scheduler fills the spec in at start (the served bundle's command and URIs), the domain code
// puts the command into each launched task's ExecutorInfo.
import type { v1 } from '@mesos-ts/proto';

export interface ExecutorSpec {
  /** Shell command starting the executor in the sandbox. */
  command: string;
  /** What the agent's fetcher downloads into the sandbox (executor bundle, distribution, JRE). */
  uris: v1.CommandInfo.URI[];
  /** The distribution as the executor finds it: a sandbox file name or an absolute path. */
  distribution: string;
  /** Environment variables of the executor's process. */
  environment?: Record<string, string>;
}

/** The executor's CommandInfo: the command run by a shell in the sandbox, after the fetcher got `uris`. */
export function executorCommandInfo(spec: Pick<ExecutorSpec, 'command' | 'uris' | 'environment'>): v1.CommandInfo {
  const command: v1.CommandInfo = { value: spec.command, shell: true, uris: spec.uris };
  if (spec.environment !== undefined) command.environment = { variables: Object.entries(spec.environment).map(([name, value]) => ({ name, type: 'VALUE', value })) };
  return command;
}
