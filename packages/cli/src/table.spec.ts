import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTable } from './table.js';

describe('formatTable', () => {
  it('pads columns to the widest cell, right-aligns numbers, trims trailing spaces', () => {
    const text = formatTable(
      [{ header: 'TASK' }, { header: 'STATE' }, { header: 'MEM', align: 'right' }],
      [
        ['echo-test', 'RUNNING', '128M'],
        ['a', 'FINISHED', '2G'],
      ],
    );
    expect(text).toBe('TASK       STATE      MEM\necho-test  RUNNING   128M\na          FINISHED    2G\n');
  });

  it('prints only the header for no rows', () => {
    expect(formatTable([{ header: 'ID' }, { header: 'NAME' }], [])).toBe('ID  NAME\n');
  });

  it('starts every column at the same offset on every line', () => {
    const cell = fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom('a', 'b', 'é', '1') });
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell), { maxLength: 6 }), (rows) => {
        const lines = formatTable([{ header: 'A' }, { header: 'B' }, { header: 'C' }], rows).trimEnd().split('\n');
        const starts = (line: string): number[] => {
          const chars = [...line];
          const out = [0];
          for (let i = 1; i < chars.length; i++) if (chars[i - 1] === ' ' && chars[i - 2] === ' ' && chars[i] !== ' ') out.push(i);
          return out;
        };
        const first = starts(lines[0] as string);
        for (const line of lines) expect(starts(line).slice(0, 3)).toEqual(first.slice(0, 3));
      }),
    );
  });
});
