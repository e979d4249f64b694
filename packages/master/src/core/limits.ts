// Bounds on what clients may store in the master: role names, weights and FrameworkInfo strings. Without
// them one SUBSCRIBE with a 5 MiB name (times 60 frameworks) makes every /master/state answer huge, and a
// NUL or a lone surrogate in a role breaks the registry and the UTF-8 encoders downstream. Pure.

/** Longest role name accepted (upstream has no bound; 255 is a file name's length, ample for paths like 'a/b/c'). */
export const MAX_ROLE_CHARS = 255;
/** Longest single string in a FrameworkInfo (name, principal, hostname, webui_url, label key/value). */
export const MAX_FRAMEWORK_STRING_CHARS = 1024;
/** Most labels, capabilities or roles a FrameworkInfo may list. */
export const MAX_FRAMEWORK_LIST = 1024;
/**
 * Largest FrameworkInfo as a whole (the sum of its strings, roughly its JSON size). The per-string and per-list
 * caps alone still let 1024 labels of 1 KiB each through; 64 KiB keeps 60 frameworks' /master/state small.
 */
export const MAX_FRAMEWORK_INFO_CHARS = 64 * 1024;
/** Largest weight a role may get (upstream caps nothing, but 1e308 overflows every sum the sorter makes). */
export const MAX_WEIGHT = 1e9;

const CONTROL = /[\u0000-\u001f\u007f]/;
/** Lone UTF-16 surrogates cannot be encoded as UTF-8 (protobuf strings, the registry). */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A short, printable excerpt of a client string for an error message (never echo 5 MiB back). */
export function excerpt(s: string): string {
  const cut = s.length > 64 ? `${s.slice(0, 64)}…(${s.length} chars)` : s;
  return JSON.stringify(cut).slice(1, -1);
}

/** Why `role` cannot be stored (too long, control characters, lone surrogates), or null; syntax is checked elsewhere. */
export function roleProblem(role: string): string | null {
  if (role.length > MAX_ROLE_CHARS) return `role '${excerpt(role)}' is longer than ${MAX_ROLE_CHARS} characters`;
  if (CONTROL.test(role)) return `role '${excerpt(role)}' contains control characters (NUL, newline, ...)`;
  if (LONE_SURROGATE.test(role)) return `role '${excerpt(role)}' is not valid Unicode (lone surrogate)`;
  return null;
}

/** Why a role weight is refused (not finite, not positive, above MAX_WEIGHT), or null. */
export function weightProblem(weight: unknown): string | null {
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) return `weight must be a finite positive number, got ${String(weight)}`;
  if (weight > MAX_WEIGHT) return `weight ${weight} is above the maximum ${MAX_WEIGHT}`;
  return null;
}

/** Why a FrameworkInfo is too big to keep (any string or list over the caps, lone surrogates), or null. */
export function frameworkInfoProblem(info: unknown): string | null {
  const p = walk(info, 'framework_info', 0);
  if (p !== null) return p;
  const total = stringChars(info, 0);
  if (total > MAX_FRAMEWORK_INFO_CHARS) return `framework_info holds ${total} characters of strings, more than ${MAX_FRAMEWORK_INFO_CHARS}`;
  return null;
}

/** Characters in all strings and keys of `v` (walk() has bounded its depth already). */
function stringChars(v: unknown, depth: number): number {
  if (typeof v === 'string') return v.length;
  if (depth > 16 || v === null || typeof v !== 'object' || v instanceof Uint8Array) return 0;
  let n = 0;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) n += k.length + stringChars(x, depth + 1);
  return n;
}

function walk(v: unknown, at: string, depth: number): string | null {
  if (depth > 16) return `${at} is nested too deeply`;
  if (typeof v === 'string') {
    if (v.length > MAX_FRAMEWORK_STRING_CHARS) return `${at} is longer than ${MAX_FRAMEWORK_STRING_CHARS} characters ('${excerpt(v)}')`;
    if (LONE_SURROGATE.test(v)) return `${at} is not valid Unicode (lone surrogate)`;
    return null;
  }
  if (Array.isArray(v)) {
    if (v.length > MAX_FRAMEWORK_LIST) return `${at} lists more than ${MAX_FRAMEWORK_LIST} entries`;
    for (let i = 0; i < v.length; i++) {
      const p = walk(v[i], `${at}[${i}]`, depth + 1);
      if (p !== null) return p;
    }
    return null;
  }
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const p = walk(x, `${at}.${k}`, depth + 1);
      if (p !== null) return p;
    }
  }
  return null;
}
