import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Io } from './command.js';
import { COMMANDS, runMesos } from './main.js';

function capture(env: NodeJS.ProcessEnv = {}): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (s: string) => void (io.stdout += s),
    err: (s: string) => void (io.stderr += s),
    env,
    now: () => 0,
    signal: new AbortController().signal,
  };
  return io;
}

/** A port nothing listens on: bind, read the port, close. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('mesos dispatcher', () => {
  it('lists every subcommand when called without arguments', async () => {
    const io = capture();
    expect(await runMesos([], io)).toBe(0);
    for (const c of COMMANDS) expect(io.stdout).toMatch(new RegExp(`^  ${c.name} +\\S`, 'm'));
  });

  it.each(COMMANDS.map((c) => c.name))('%s --help explains the command and its flags', async (name) => {
    const io = capture();
    expect(await runMesos([name, '--help'], io)).toBe(0);
    expect(io.stdout).toContain(`Usage: mesos ${name}`);
    expect(io.stdout).toContain('--master=<host:port|zk://host:2181/mesos>');
  });

  it('unknown commands and flags exit 2 with the reason', async () => {
    const a = capture();
    expect(await runMesos(['nope'], a)).toBe(2);
    expect(a.stderr).toContain("unknown command 'nope'");
    const b = capture();
    expect(await runMesos(['ps', '--bogus'], b)).toBe(2);
    expect(b.stderr).toBe("mesos ps: unknown flag '--bogus'; run with --help to list the flags\n");
    const c = capture();
    expect(await runMesos(['reserve', '--agent=S0', '--resources=cpus:1'], c)).toBe(2);
    expect(c.stderr).toContain('--role is required');
  });

  it('an unreachable master exits 1 and says what to check', async () => {
    const port = await closedPort();
    const io = capture({ MESOS_MASTER: `127.0.0.1:${port}` });
    expect(await runMesos(['ps'], io)).toBe(1);
    expect(io.stderr).toBe(`mesos ps: cannot reach master at 127.0.0.1:${port}: connection refused — is mesos-master running? (set --master or MESOS_MASTER)\n`);
  });
});
