// `mesos cat <task> [file]` and `mesos tail [-f] <task> [file]`: a task's sandbox files through its agent's
// /files/read API. The master's /state names the task's agent; the agent's /state names the sandbox.
import { CliError, usage } from '../errors.js';
import { getJson } from '../http.js';
import { COMMON_FLAGS, masterOf, type Command, type Io } from './command.js';
import { agentAddress, findTask, sandboxOf, type AgentStateJson, type MasterStateJson } from './state-model.js';

/** Bytes asked for per /files/read call. */
const CHUNK_BYTES = 1024 * 1024;
/** How often `tail -f` polls for new bytes, in ms. */
export const FOLLOW_INTERVAL_MS = 250;

interface SandboxFile {
  agent: string;
  path: string;
}

async function locate(args: { master: string; task: string; file: string }): Promise<SandboxFile> {
  if (args.file.split('/').includes('..') || args.file.startsWith('/')) throw usage(`the file '${args.file}' must be relative to the sandbox, without '..'`);
  const state = (await getJson(args.master, '/master/state')) as MasterStateJson;
  const ref = findTask(state, args.task);
  if (!ref.agent) throw new CliError('NOT_FOUND', `task '${ref.task.id}' ran on agent ${ref.task.slave_id}, which is no longer registered; its sandbox cannot be read`);
  const agent = agentAddress(ref.agent);
  const agentState = (await getJson(agent, '/state', 'agent')) as AgentStateJson;
  const dir = sandboxOf(agentState, ref.task.framework_id, ref.task.id);
  if (dir === undefined) throw new CliError('NOT_FOUND', `agent ${agent} has no sandbox for task '${ref.task.id}' (garbage collected, or the task never started)`);
  return { agent, path: `${dir}/${args.file}` };
}

interface ReadResult {
  data: string;
  offset: number;
}

async function read(file: SandboxFile, offset: number, length: number): Promise<ReadResult> {
  const query = new URLSearchParams({ path: file.path, offset: String(offset), length: String(length) });
  try {
    return (await getJson(file.agent, `/files/read?${query}`, 'agent')) as ReadResult;
  } catch (e) {
    if (e instanceof CliError && e.code === 'NOT_FOUND') throw new CliError('NOT_FOUND', `no file '${file.path}' on agent ${file.agent}`);
    throw e;
  }
}

async function fileSize(file: SandboxFile): Promise<number> {
  return (await read(file, -1, 0)).offset;
}

/** Copies bytes [from, size) of the file to `out`; returns the offset reached. */
async function copy(file: SandboxFile, from: number, out: (s: string) => void): Promise<number> {
  let offset = from;
  for (;;) {
    const { data } = await read(file, offset, CHUNK_BYTES);
    if (data.length === 0) return offset;
    out(data);
    offset += Buffer.byteLength(data, 'utf8');
  }
}

/** Offset where the last `lines` lines of `text` (which starts at `base`) begin. */
export function lastLinesOffset(text: string, base: number, lines: number): number {
  if (lines <= 0) return base + Buffer.byteLength(text, 'utf8');
  let end = text.endsWith('\n') ? text.length - 1 : text.length;
  for (let n = 0; n < lines; n++) {
    const nl = text.lastIndexOf('\n', end - 1);
    if (nl < 0) return base;
    end = nl;
  }
  return base + Buffer.byteLength(text.slice(0, end + 1), 'utf8');
}

/** Waits `ms`, or less if the signal aborts; leaves no listener behind. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

const targetArgs = (positionals: string[], name: string): { task: string; file: string } => {
  const [task, file = 'stdout', ...rest] = positionals;
  if (task === undefined) throw usage(`'mesos ${name}' needs a task id: mesos ${name} <task> [file]`);
  if (rest.length > 0) throw usage(`'mesos ${name}' takes a task and one file, got extra '${rest.join(' ')}'`);
  return { task, file };
};

export const cat: Command = {
  name: 'cat',
  summary: "Print a file of a task's sandbox (default: stdout).",
  usage: '<task> [file] [--master=host:port]',
  description: "Prints a file from the task's sandbox, read through its agent's /files API. The task is an id or a unique id prefix; the file defaults to stdout (try stderr).",
  flags: { master: COMMON_FLAGS['master']!, principal: COMMON_FLAGS['principal']!, secret: COMMON_FLAGS['secret']! },
  async run(args, io: Io) {
    const file = await locate({ master: await masterOf(args, io), ...targetArgs(args.positionals, 'cat') });
    await copy(file, 0, io.out);
    return 0;
  },
};

export const tail: Command = {
  name: 'tail',
  summary: "Print the end of a task's sandbox file; -f follows it.",
  usage: '[-f] [--lines=N] <task> [file] [--master=host:port]',
  description: "Prints the last lines of a file in the task's sandbox (default stdout). With -f keeps printing what is appended until Ctrl-C.",
  flags: {
    master: COMMON_FLAGS['master']!,
    principal: COMMON_FLAGS['principal']!,
    secret: COMMON_FLAGS['secret']!,
    follow: { kind: 'bool', alias: 'f', help: 'Keep printing new data until interrupted.' },
    lines: { kind: 'string', alias: 'n', value: 'N', help: 'Number of lines to print first.', default: '10' },
  },
  async run(args, io) {
    const lines = Number(args.strings.get('lines') ?? '10');
    if (!Number.isInteger(lines) || lines < 0) throw usage(`--lines must be a non-negative integer, got '${args.strings.get('lines')}'`);
    const file = await locate({ master: await masterOf(args, io), ...targetArgs(args.positionals, 'tail') });
    const size = await fileSize(file);
    // Read back far enough for the wanted lines: at most 1 MiB, enough for any sane line count.
    const base = Math.max(0, size - CHUNK_BYTES);
    const { data } = await read(file, base, size - base);
    const start = lastLinesOffset(data, base, lines);
    io.out(Buffer.from(data, 'utf8').subarray(start - base).toString('utf8'));
    let offset = size;
    while (args.bools.get('follow') && !io.signal.aborted) {
      await sleep(FOLLOW_INTERVAL_MS, io.signal);
      if (io.signal.aborted) break;
      offset = await copy(file, offset, io.out);
    }
    return 0;
  },
};
