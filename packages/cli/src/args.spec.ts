import { describe, expect, it } from 'vitest';
import { formatHelp, parseArgs, type FlagSpecs } from './args.js';
import { CliError } from './errors.js';

const SPECS: FlagSpecs = {
  master: { kind: 'string', help: 'm' },
  follow: { kind: 'bool', alias: 'f', help: 'f' },
  uri: { kind: 'list', help: 'u' },
  kill_after: { kind: 'string', help: 'k' },
};

describe('parseArgs', () => {
  it.each([
    [['--master=a:1'], { master: 'a:1' }, {}, {}, []],
    [['--master', 'a:1', 'task'], { master: 'a:1' }, {}, {}, ['task']],
    [['-f', 'x'], {}, { follow: true }, {}, ['x']],
    [['--follow=false'], {}, { follow: false }, {}, []],
    [['--no-follow'], {}, { follow: false }, {}, []],
    [['--uri=a', '--uri', 'b'], {}, {}, { uri: ['a', 'b'] }, []],
    [['--kill-after=5secs'], { kill_after: '5secs' }, {}, {}, []],
    [['--master=x=y;z'], { master: 'x=y;z' }, {}, {}, []],
    [['--', '--master=a'], {}, {}, {}, ['--master=a']],
    [['-1'], {}, {}, {}, ['-1']],
  ] as const)('%j', (argv, strings, bools, lists, positionals) => {
    const a = parseArgs(argv, SPECS);
    expect(Object.fromEntries(a.strings)).toEqual(strings);
    expect(Object.fromEntries(a.bools)).toEqual(bools);
    expect(Object.fromEntries(a.lists)).toEqual(lists);
    expect(a.positionals).toEqual(positionals);
    expect(a.help).toBe(false);
  });

  it.each([
    [['--nope'], "unknown flag '--nope'"],
    [['-x'], "unknown flag '-x'"],
    [['--master'], "flag '--master' needs a value"],
    [['--master', '--follow'], "flag '--master' needs a value"],
    [['--follow=maybe'], "flag '--follow' is a boolean"],
  ])('%j is a usage error', (argv, message) => {
    let error: unknown;
    try {
      parseArgs(argv, SPECS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toContain(message);
  });

  it('sees --help and -h anywhere', () => {
    expect(parseArgs(['x', '--help'], SPECS).help).toBe(true);
    expect(parseArgs(['-h'], SPECS).help).toBe(true);
  });

  it('lists every flag with its default in the help', () => {
    const text = formatHelp('cmd [flags]', 'Does things.', { ...SPECS, master: { kind: 'string', help: 'Master.', default: '127.0.0.1:5050', value: 'host:port' } });
    expect(text).toContain('Usage: cmd [flags]');
    expect(text).toContain('--master=<host:port>  Master. [default: 127.0.0.1:5050]');
    expect(text).toContain('-f, --follow');
    expect(text).toContain('(repeatable)');
  });
});
