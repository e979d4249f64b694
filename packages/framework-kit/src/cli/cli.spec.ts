import { describe, expect, it } from 'vitest';
import { isKitError } from '../errors.js';
import { parseArgs } from './args.js';
import { formatHelpPage } from './help.js';
import { formatOptionTable, formatTable } from './table.js';

describe('formatTable', () => {
  it('aligns columns and trims trailing space', () => {
    expect(formatTable([['0', 'running', 'slave0'], ['10', 'stopped', '']], ['id', 'state', 'host'])).toBe(
      ['id  state    host', '0   running  slave0', '10  stopped'].join('\n'),
    );
  });

  it('prints the Option / Description table with underlines', () => {
    expect(
      formatOptionTable([
        { name: '--cpus', arg: 'Double', description: 'cpu amount (0.5, 1, 2)' },
        { name: '--failover-delay', description: 'failover delay (10s, 5m, 3h)' },
      ]),
    ).toBe(
      [
        'Option            Description',
        '------            -----------',
        '--cpus <Double>   cpu amount (0.5, 1, 2)',
        '--failover-delay  failover delay (10s, 5m, 3h)',
      ].join('\n'),
    );
  });
});

describe('formatHelpPage', () => {
  it('lays out a kafka-mesos help page', () => {
    const page = formatHelpPage({
      title: 'Start broker',
      usage: 'broker start <broker-expr> [options]',
      options: [{ name: '--timeout', description: 'timeout (30s, 1m, 1h). 0s - no timeout' }],
      footer: ['broker-expr examples:', '  0      - broker 0'],
    });
    expect(page).toBe(
      [
        'Start broker',
        'Usage: broker start <broker-expr> [options]',
        '',
        'Option     Description',
        '------     -----------',
        '--timeout  timeout (30s, 1m, 1h). 0s - no timeout',
        '',
        'Generic Options',
        'Option  Description',
        '------  -----------',
        '--api   Api url. Example: http://master:7000',
        '',
        'broker-expr examples:',
        '  0      - broker 0',
        '',
      ].join('\n'),
    );
  });
});

describe('parseArgs', () => {
  const spec = { options: { cpus: true, force: false, options: true }, command: 'broker add' };
  it.each([
    [['0..2', '--cpus', '2'], { positionals: ['0..2'], options: { cpus: '2' } }],
    [['--cpus=0.5', '0'], { positionals: ['0'], options: { cpus: '0.5' } }],
    [['0', '--force'], { positionals: ['0'], options: { force: 'true' } }],
    [['0', '--options', ''], { positionals: ['0'], options: { options: '' } }],
    [['--options=a=1,b=2'], { positionals: [], options: { options: 'a=1,b=2' } }],
    [['--', '--cpus'], { positionals: ['--cpus'], options: {} }],
  ])('%j', (argv, parsed) => {
    expect(parseArgs(argv, spec)).toEqual(parsed);
  });

  it.each([
    [['--mem', '1'], "unknown option --mem; see 'help broker add'"],
    [['--cpus'], 'option --cpus needs a value'],
    [['--force=yes'], 'option --force is a flag'],
  ])('rejects %j', (argv, why) => {
    try {
      parseArgs(argv, spec);
      expect.unreachable();
    } catch (e) {
      expect(isKitError(e, 'INVALID_ARGUMENT')).toBe(true);
      expect((e as Error).message).toContain(why);
    }
  });
});
