// Flag parsing shared by the three commands. Accepts Mesos' `--name=value` and the usual `--name value`,
// booleans as `--name`, `--name=true|false` or `--no-name`, repeatable flags as lists, and one-letter
// aliases (`-f`). Pure: unknown flags and missing values are USAGE errors that name the flag.
import { usage } from './errors.js';

export type FlagKind = 'string' | 'bool' | 'list';

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly help: string;
  /** Shown in help; applied by the caller (so env fallbacks stay explicit). */
  readonly default?: string;
  /** One-letter alias, e.g. 'f' for `-f`. */
  readonly alias?: string;
  /** Placeholder in help, e.g. 'ID'. */
  readonly value?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface ParsedArgs {
  help: boolean;
  strings: Map<string, string>;
  bools: Map<string, boolean>;
  lists: Map<string, string[]>;
  positionals: string[];
}

export function parseArgs(argv: readonly string[], specs: FlagSpecs): ParsedArgs {
  const out: ParsedArgs = { help: false, strings: new Map(), bools: new Map(), lists: new Map(), positionals: [] };
  const byAlias = new Map(Object.entries(specs).flatMap(([name, s]) => (s.alias ? [[s.alias, name] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string;
    let value: string | undefined;
    let negated = false;
    const long = /^--([a-zA-Z0-9_-]+)(?:=([\s\S]*))?$/.exec(arg);
    const short = /^-([a-zA-Z])$/.exec(arg);
    if (long) {
      name = (long[1] as string).replace(/-/g, '_');
      value = long[2];
      if (!(name in specs) && name.startsWith('no_') && specs[name.slice(3)]?.kind === 'bool' && value === undefined) {
        name = name.slice(3);
        negated = true;
      }
    } else if (short && byAlias.has(short[1] as string)) {
      name = byAlias.get(short[1] as string) as string;
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      throw usage(`unknown flag '${arg}'; run with --help to list the flags`);
    } else {
      out.positionals.push(arg);
      continue;
    }
    const spec = specs[name];
    if (spec === undefined) throw usage(`unknown flag '${arg}'; run with --help to list the flags`);
    if (spec.kind === 'bool') {
      if (negated) out.bools.set(name, false);
      else if (value === undefined || value === 'true') out.bools.set(name, true);
      else if (value === 'false') out.bools.set(name, false);
      else throw usage(`flag '--${name}' is a boolean: use --${name}, --${name}=false or --no-${name}, not '${value}'`);
      continue;
    }
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw usage(`flag '--${name}' needs a value: --${name}=<${spec.value ?? 'value'}>`);
      value = next;
      i++;
    }
    if (spec.kind === 'list') out.lists.set(name, [...(out.lists.get(name) ?? []), value]);
    else out.strings.set(name, value);
  }
  return out;
}

/** Help text: a usage line, a description, then every flag with its help and default, aligned. */
export function formatHelp(usageLine: string, description: string, specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const flag = `${s.alias ? `-${s.alias}, ` : '    '}--${name}${s.kind === 'bool' ? '' : `=<${s.value ?? 'value'}>`}`;
    const extra = s.kind === 'list' ? ' (repeatable)' : '';
    return [flag, `${s.help}${extra}${s.default !== undefined ? ` [default: ${s.default}]` : ''}`] as const;
  });
  rows.push(['-h, --help', 'Show this help.']);
  const width = Math.max(...rows.map(([f]) => f.length));
  return `Usage: ${usageLine}\n\n${description}\n\nFlags:\n${rows.map(([f, h]) => `  ${f.padEnd(width)}  ${h}`).join('\n')}\n`;
}
