// A throwaway PKI for TLS tests, made by openssl: a CA, a second CA nobody uses (a client trusting only it must
// be refused), a server certificate for 127.0.0.1 signed by the CA, and optional client certificates. Files are
// written into `dir` under fixed names (ca.pem, other.pem, server.pem/.key, <client>.pem/.key).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  ca: string;
  /** A CA that signed nothing here. */
  otherCa: string;
  cert: string;
  key: string;
}

export function makeTestPki(dir: string, clients: readonly string[] = []): TestPki {
  const f = (n: string): string => join(dir, n);
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=mesos-ts test CA');
  ssl('req', '-x509', ...ec, '-keyout', f('other.key'), '-out', f('other.pem'), '-days', '1', '-subj', '/CN=someone else');
  writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  for (const name of ['server', ...clients]) {
    ssl('req', ...ec, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', name === 'server' ? '/CN=127.0.0.1' : `/CN=${name}`);
    ssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f(`${name}.pem`), '-days', '1', '-extfile', f('ext.cnf'));
  }
  return { dir, ca: f('ca.pem'), otherCa: f('other.pem'), cert: f('server.pem'), key: f('server.key') };
}
