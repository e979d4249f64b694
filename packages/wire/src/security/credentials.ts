// Credentials as upstream's --credentials / --credential files: JSON `{"credentials":[{"principal","secret"}]}`
// (or a single `{"principal","secret"}` for an agent's --credential), or text with one `principal secret` per
// line. Pure: the caller reads the file.
/** A security flag or file that cannot be used: the daemon or client must not start with it. */
export class SecurityConfigError extends Error {
  override readonly name = 'SecurityConfigError';
}

export interface Credential {
  readonly principal: string;
  readonly secret: string;
}

/** Parses a credentials document; throws SecurityConfigError naming the problem (never the secret). */
export function parseCredentials(text: string): Credential[] {
  const trimmed = text.trim();
  if (trimmed === '') throw bad('the credentials file is empty');
  const out = trimmed.startsWith('{') ? fromJson(trimmed) : fromText(trimmed);
  const seen = new Set<string>();
  for (const c of out) {
    if (c.principal === '' || /[\s:]/.test(c.principal)) throw bad(`principal '${c.principal.slice(0, 64)}' must be non-empty, without spaces or ':'`);
    if (c.secret === '') throw bad(`principal '${c.principal}' has an empty secret`);
    if (seen.has(c.principal)) throw bad(`principal '${c.principal}' is listed twice`);
    seen.add(c.principal);
  }
  return out;
}

/** One credential (an agent's or a client's --credential): the document must hold exactly one. */
export function parseCredential(text: string): Credential {
  const all = parseCredentials(text);
  if (all.length !== 1) throw bad(`expected exactly one credential, found ${all.length}`);
  return all[0] as Credential;
}

function fromJson(text: string): Credential[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw bad(`not valid JSON: ${(e as Error).message}`);
  }
  const list = isObject(doc) && Array.isArray(doc.credentials) ? doc.credentials : [doc];
  return list.map((c, i) => {
    if (!isObject(c) || typeof c.principal !== 'string' || typeof c.secret !== 'string') {
      throw bad(`credential #${i + 1} must be {"principal": "...", "secret": "..."}`);
    }
    return { principal: c.principal, secret: c.secret };
  });
}

function fromText(text: string): Credential[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line, i) => {
      const m = /^(\S+)\s+(\S.*)$/.exec(line);
      if (!m) throw bad(`line ${i + 1} must be 'principal secret'`);
      return { principal: m[1] as string, secret: (m[2] as string).trim() };
    });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(message: string): SecurityConfigError {
  return new SecurityConfigError(`credentials: ${message}`);
}
