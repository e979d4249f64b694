// Command lines of framework CLIs: positionals plus `--name value` / `--name=value` options, each declared
// (so `--force` can be a flag and `--cpus 2` take a value). Unknown options and missing values are errors
// that name the option and the command's help page.
import { KitError } from '../errors.js';

export interface ArgSpec {
  /** Option names without `--`; true = takes a value, false = a flag. */
  options: Readonly<Record<string, boolean>>;
  /** For messages: `broker add`. */
  command?: string;
}

export interface ParsedArgs {
  positionals: string[];
  /** Values by option name (without `--`); flags map to 'true'. A repeated option keeps the last value. */
  options: Record<string, string>;
}

export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const help = spec.command === undefined ? '' : `; see 'help ${spec.command}'`;
  const out: ParsedArgs = { positionals: [], options: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const takesValue = spec.options[name];
    if (takesValue === undefined) throw new KitError('INVALID_ARGUMENT', `unknown option --${name}${help}`);
    if (!takesValue) {
      if (eq >= 0) throw new KitError('INVALID_ARGUMENT', `option --${name} is a flag and takes no value${help}`);
      out.options[name] = 'true';
      continue;
    }
    if (eq >= 0) {
      out.options[name] = arg.slice(eq + 1);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw new KitError('INVALID_ARGUMENT', `option --${name} needs a value${help}`);
    out.options[name] = value;
    i++;
  }
  return out;
}
